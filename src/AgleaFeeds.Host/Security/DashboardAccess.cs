using System.Net;
using System.Security.Claims;
using Hangfire.Dashboard;

namespace AgleaFeeds.Host.Security;

/// <summary>
/// The dashboard's door: anonymous only from this machine (after forwarded headers are applied, so a
/// reverse proxy on the same host does not make everyone local), otherwise a logged-in account;
/// a Viewer sees everything and can do nothing.
/// </summary>
internal sealed class DashboardAccess(bool allowLocalAnonymous) : IDashboardAsyncAuthorizationFilter
{
    public const string ModeratorRole = "Moderator";

    public Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        return Task.FromResult(IsLocalAnonymousAllowed(http) || http.User.Identity?.IsAuthenticated == true);
    }

    /// <summary>Whether the request may change anything: local (when allowed) or a Moderator.</summary>
    public bool CanAct(HttpContext http) => IsLocalAnonymousAllowed(http) || http.User.IsInRole(ModeratorRole);

    private bool IsLocalAnonymousAllowed(HttpContext http) =>
        allowLocalAnonymous && http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip);

    /// <summary>Gets the moderator's name for the audit trail.</summary>
    public static string Who(HttpContext http) => http.User.FindFirst(ClaimTypes.Name)?.Value ?? "local";
}
