using System.Net;
using System.Security.Claims;
using AgleaFeeds.Fetching;
using Hangfire.Dashboard;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Host.Security;

/// <summary>
/// The dashboard's door: a logged-in account (a password or the start-up login link), or, only when
/// the operator opted in (<see cref="SecurityOptions.AllowLocalAnonymous"/>), an anonymous request
/// that provably comes from this machine; a Viewer sees everything and can do nothing.
/// </summary>
internal sealed class DashboardAccess(IOptions<SecurityOptions> options, IConfiguration configuration) : IDashboardAsyncAuthorizationFilter
{
    public const string ModeratorRole = "Moderator";

    // A proxy that names the client in any of these makes the request someone else's, whatever its peer address.
    private static readonly string[] ForwardedHeaders = ["Forwarded", "X-Original-For", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Real-IP", "X-Client-IP", "True-Client-IP", "CF-Connecting-IP"];

    private readonly SecurityOptions _options = options.Value;
    private readonly HashSet<string> _hosts = AllowedHosts(options.Value, configuration["Urls"]);

    public Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        return Task.FromResult(IsLocalAnonymous(http) || http.User.Identity?.IsAuthenticated == true);
    }

    /// <summary>Whether the request may change anything: a Moderator, or local anonymous when allowed.</summary>
    public bool CanAct(HttpContext http) => http.User.IsInRole(ModeratorRole) || IsLocalAnonymous(http);

    /// <summary>Whether the request is anonymous access from this machine, as the operator allowed it.</summary>
    public bool IsLocalAnonymous(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!_options.AllowLocalAnonymous || http.Connection.RemoteIpAddress is not { } ip || !IPAddress.IsLoopback(ip))
        {
            return false;
        }

        var headers = http.Request.Headers;
        if (ForwardedHeaders.Any(headers.ContainsKey) || headers.ContainsKey(FeedFetcher.MarkerHeader))
        {
            return false;
        }

        // DNS rebinding: a page on evil.example whose name now points here still sends Host: evil.example.
        return _hosts.Contains(http.Request.Host.Host.Trim('[', ']'));
    }

    /// <summary>Gets the moderator's name for the audit trail.</summary>
    public static string Who(HttpContext http) => http.User.FindFirst(ClaimTypes.Name)?.Value ?? "local";

    private static HashSet<string> AllowedHosts(SecurityOptions options, string? urls)
    {
        var hosts = new HashSet<string>(options.AllowedHosts.Select(h => h.Trim().Trim('[', ']')), StringComparer.OrdinalIgnoreCase);
        if (hosts.Count > 0)
        {
            return hosts;
        }

        hosts.UnionWith(["localhost", "127.0.0.1", "::1"]);
        // A wildcard listen address names no host a browser would send.
        hosts.UnionWith(ListenUrls.Parse(urls).Where(u => !ListenUrls.IsAnyAddress(u)).Select(u => u.Host.Trim('[', ']')));
        return hosts;
    }
}
