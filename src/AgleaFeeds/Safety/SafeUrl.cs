namespace AgleaFeeds.Safety;

/// <summary>
/// Only http and https addresses are kept, shown as links or republished: a feed's
/// <c>javascript:</c> or <c>data:</c> link would run script in a moderator's or subscriber's browser.
/// </summary>
public static class SafeUrl
{
    /// <summary>The absolute http(s) URL <paramref name="value"/> names (relative ones resolved against <paramref name="baseUrl"/>); null for any other scheme or a malformed value.</summary>
    public static string? Http(string? value, Uri? baseUrl = null) => Screen(value, out var absolute) is { } trimmed ? Http(trimmed, absolute, baseUrl) : null;

    /// <summary>
    /// The value as <see cref="Screen(string?)"/> keeps it, made absolute (<see cref="Http(string?, Uri?)"/>) where
    /// <paramref name="baseUrl"/> resolves it: what a feed's links are stored as. The value is parsed once (a poll
    /// screens the link of every comment it reads).
    /// </summary>
    public static string? Resolve(string? value, Uri? baseUrl)
    {
        if (Screen(value, out var absolute) is not { } kept)
        {
            return null;
        }

        return baseUrl is null ? kept : Http(kept, absolute, baseUrl) ?? kept;
    }

    /// <summary><see cref="Http(string?, Uri?)"/> of a screened value, given the absolute http(s) URI it was found to be, if it was.</summary>
    private static string? Http(string trimmed, Uri? absolute, Uri? baseUrl)
    {
        var uri = absolute;
        if (uri is null && (!Uri.TryCreate(trimmed, UriKind.Absolute, out uri) || (uri.IsFile && !trimmed.StartsWith("file:", StringComparison.OrdinalIgnoreCase))))
        {
            // On Unix "/path" parses as an absolute file URI: a relative reference, resolved against the base.
            uri = baseUrl is not null && Uri.TryCreate(baseUrl, trimmed, out var resolved) ? resolved : null;
        }

        return uri is not null && IsHttp(uri) ? uri.AbsoluteUri : null;
    }

    /// <summary>Whether the URI is absolute http or https.</summary>
    public static bool IsHttp(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
    }

    /// <summary>The value when it is an http(s) URL, else "#": for an href on a dashboard page.</summary>
    public static string Href(string? value) => Http(value) ?? "#";

    /// <summary>
    /// The value as stored: an absolute http(s) URL, or a relative reference (resolved later against
    /// its document); null for any other scheme. Tabs, newlines and control characters are removed
    /// first, as browsers do, so "java&#9;script:" cannot pass as relative.
    /// </summary>
    public static string? Screen(string? value) => Screen(value, out _);

    /// <summary><see cref="Screen(string?)"/>, with the absolute http(s) URI the value parsed as (null for a relative one).</summary>
    private static string? Screen(string? value, out Uri? absolute)
    {
        absolute = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var cleaned = value.AsSpan().Trim().ContainsAnyInRange('\u0000', '\u001F')
            ? string.Concat(value.Trim().Where(c => c >= ' ' && c != '\u007F'))
            : value.Trim();
        var end = cleaned.AsSpan().IndexOfAny('/', '?', '#');
        var colon = cleaned.AsSpan().IndexOf(':');
        if (colon < 0 || (end >= 0 && colon > end))
        {
            return cleaned.Length > 0 ? cleaned : null; // relative: no scheme
        }

        if (Uri.TryCreate(cleaned, UriKind.Absolute, out var uri) && IsHttp(uri))
        {
            absolute = uri;
            return cleaned;
        }

        return null;
    }
}
