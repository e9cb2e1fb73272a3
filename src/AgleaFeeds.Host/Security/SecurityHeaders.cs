using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Host.Security;

/// <summary>Response headers that limit what a page can do if something hostile slips into it, and the door of /metrics.</summary>
internal static class SecurityHeaders
{
    // Scripts and styles only from this service (no inline script anywhere);
    // images from here only: a spammer's tracking pixel in a comment does not load in a moderator's browser.
    private const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Adds the Content-Security-Policy and companions to every response.</summary>
    public static Task ApplyAsync(HttpContext http, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(next);
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        return next();
    }

    /// <summary>
    /// Hangfire's /stats reads a form without checking there is one (a GET answered 500): anything but a
    /// form POST gets 405 before the dashboard sees it.
    /// </summary>
    public static Task GuardDashboardStatsAsync(HttpContext http, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(next);
        if (http.Request.Path.Equals("/hangfire/stats", StringComparison.OrdinalIgnoreCase) && !(HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            http.Response.Headers.Allow = "POST";
            return Task.CompletedTask;
        }

        return next();
    }

    /// <summary>/metrics answers a logged-in account, local anonymous access where allowed, or the bearer token of Security:MetricsToken.</summary>
    public static async Task MetricsAccessAsync(HttpContext http, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(next);
        if (!http.Request.Path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase))
        {
            await next().ConfigureAwait(false);
            return;
        }

        var token = http.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.MetricsToken;
        var sent = http.Request.Headers.Authorization.ToString();
        var bearer = !string.IsNullOrEmpty(token) && sent.StartsWith("Bearer ", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent["Bearer ".Length..].Trim()), Encoding.UTF8.GetBytes(token));
        if (bearer || http.User.Identity?.IsAuthenticated == true || http.RequestServices.GetRequiredService<DashboardAccess>().IsLocalAnonymous(http))
        {
            await next().ConfigureAwait(false);
            return;
        }

        http.Response.Headers.WWWAuthenticate = "Bearer";
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
    }
}
