using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Host.Security;

/// <summary>
/// /login and /logout: a form with an antiforgery token, accounts from configuration, the start-up
/// login link; failures rate-limited per address (per /64 for IPv6) and per account name.
/// </summary>
internal static class LoginEndpoints
{
    public const string RateLimitPolicy = "login";
    private static readonly PasswordHasher<string> Hasher = new();

    // Verified for an unknown name, so a wrong name costs the same time as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword("agleafeeds", "no such account");

    /// <summary>Hashes a password as `hash-password` prints it (ASP.NET Core Identity's PBKDF2 format).</summary>
    public static string Hash(string password) => Hasher.HashPassword("agleafeeds", password);

    public static void AddLoginRateLimit(this IServiceCollection services, int perMinute)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(RateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                AddressKey(http.Connection.RemoteIpAddress),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        services.AddSingleton(new AccountLimiter(perMinute));
    }

    /// <summary>The rate-limit key of an address: itself for IPv4, its /64 for IPv6 (one host holds a whole /64).</summary>
    internal static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    public static void Map(WebApplication app)
    {
        app.MapGet("/login", async (HttpContext http, IAntiforgery antiforgery, LoginLink link) =>
        {
            if (http.Request.Query.TryGetValue("token", out var token))
            {
                if (link.TryConsume(token.ToString()))
                {
                    await SignInAsync(http, LoginLink.OperatorName, DashboardAccess.ModeratorRole, LoginLink.OperatorName).ConfigureAwait(false);
                    return Results.Redirect(ReturnUrl(http.Request.Query["ReturnUrl"]));
                }

                return await PageAsync(http, antiforgery, "This login link was already used or belongs to an earlier start: open the newest one (the service prints it at start and keeps it in " + link.FilePath + ").").ConfigureAwait(false);
            }

            return await PageAsync(http, antiforgery, http.Request.Query.ContainsKey("failed") ? "Wrong name or password." : null).ConfigureAwait(false);
        });

        app.MapPost("/login", async (HttpContext http, IOptionsMonitor<SecurityOptions> options, IAntiforgery antiforgery, AccountLimiter limiter) =>
        {
            if (!await IsValidAsync(http, antiforgery).ConfigureAwait(false))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            var name = form["name"].ToString();
            if (!limiter.TryAcquire(name))
            {
                return Results.StatusCode(StatusCodes.Status429TooManyRequests);
            }

            // The accounts as they are now: the same list every request's session check reads.
            var account = options.CurrentValue.Accounts.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.Ordinal));
            var verified = Hasher.VerifyHashedPassword("agleafeeds", account?.PasswordHash ?? DummyHash, form["password"].ToString()) != PasswordVerificationResult.Failed;
            var returnUrl = ReturnUrl(form["ReturnUrl"]);
            if (account is null || !verified)
            {
                return Results.Redirect("/login?failed=1" + (returnUrl == Home ? string.Empty : "&ReturnUrl=" + Uri.EscapeDataString(returnUrl)));
            }

            await SignInAsync(http, account.Name, account.Role, SessionStore.Stamp(account)).ConfigureAwait(false);
            return Results.Redirect(returnUrl);
        }).RequireRateLimiting(RateLimitPolicy);

        app.MapPost("/logout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await IsValidAsync(http, antiforgery).ConfigureAwait(false))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
            return Results.Redirect("/login");
        });
    }

    private const string Home = "/hangfire/moderation";

    /// <summary>Where to go after logging in: a path on this site only (never //host or a scheme: no open redirect), else the queue.</summary>
    internal static string ReturnUrl(string? value) =>
        value is { Length: > 1 } v && v[0] == '/' && v[1] is not ('/' or '\\') && !v.Contains("://", StringComparison.Ordinal) && !v.Any(char.IsControl) ? v : Home;

    private static async Task<bool> IsValidAsync(HttpContext http, IAntiforgery antiforgery)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http).ConfigureAwait(false);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }

    private static Task SignInAsync(HttpContext http, string name, string role, string stamp)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role), new Claim(SessionStore.StampClaim, stamp)], CookieAuthenticationDefaults.AuthenticationScheme);
        return http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    private static async Task<IResult> PageAsync(HttpContext http, IAntiforgery antiforgery, string? message)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var html = await Views.ViewRenderer.RenderAsync<Views.LoginView>(http.RequestServices, new Dictionary<string, object?>
        {
            ["Message"] = message,
            ["TokenName"] = tokens.FormFieldName,
            ["TokenValue"] = tokens.RequestToken,
            ["ReturnUrl"] = ReturnUrl(http.Request.Query["ReturnUrl"]),
        }).ConfigureAwait(false);
        return Results.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>Login attempts per account name, whatever address they come from (rotating addresses gain nothing).</summary>
    internal sealed class AccountLimiter(int perMinute)
    {
        private readonly ConcurrentDictionary<string, FixedWindowRateLimiter> _limiters = new(StringComparer.Ordinal);

        public bool TryAcquire(string name)
        {
            if (_limiters.Count > 10_000)
            {
                _limiters.Clear(); // a flood of invented names: forget them rather than grow without bound
            }

            var limiter = _limiters.GetOrAdd(name.Length > 200 ? name[..200] : name, _ => new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
            using var lease = limiter.AttemptAcquire();
            return lease.IsAcquired;
        }
    }
}
