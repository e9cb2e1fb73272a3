using Hangfire.Dashboard;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>
/// Plain HTML forms on the dashboard's pages (adding a source, importing OPML, adding a list entry):
/// the POST they send (with the antiforgery field of Views/TokenField.razor), answered with a redirect
/// back to the page with a message (Views/Notice.razor). The dashboard middleware validates the token before a dispatcher runs.
/// </summary>
internal static class DashboardForms
{
    /// <summary>The posted form, or null after answering 405 (not a POST) or 403 (a read-only viewer).</summary>
    public static async Task<IFormCollection?> ReadAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (!HttpMethods.IsPost(http.Request.Method) || !http.Request.HasFormContentType)
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return null;
        }

        if (context.IsReadOnly)
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return null;
        }

        return await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Redirects (303) to a dashboard page with a message for the person: <c>?done=</c> or <c>?error=</c>.</summary>
    public static void Back(DashboardContext context, string path, string? done = null, string? error = null)
    {
        var query = error is not null ? "?error=" + Uri.EscapeDataString(error) : done is not null ? "?done=" + Uri.EscapeDataString(done) : string.Empty;
        var http = context.GetHttpContext();
        http.Response.StatusCode = StatusCodes.Status303SeeOther;
        http.Response.Headers.Location = context.Options.PrefixPath + context.Request.PathBase + path + query;
    }
}
