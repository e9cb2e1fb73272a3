namespace AgleaFeeds.Host.Views;

/// <summary>
/// What every dashboard view needs from its request: the dashboard's address prefix, whether the viewer may
/// act, the antiforgery field for forms, and the message a form's redirect left (?done= / ?error=).
/// </summary>
public sealed record PageLinks(string Prefix, bool ReadOnly, string TokenName, string TokenValue, string? Done = null, string? Error = null)
{
    /// <summary>A dashboard path as a link ("/sources" → "/hangfire/sources").</summary>
    public string To(string path) => Prefix + path;
}
