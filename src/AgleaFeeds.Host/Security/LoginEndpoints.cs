using System.Net;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Host.Security;

/// <summary>/login and /logout: a form with an antiforgery token, accounts from configuration, failures rate-limited per address.</summary>
internal static class LoginEndpoints
{
    public const string RateLimitPolicy = "login";
    private static readonly PasswordHasher<string> Hasher = new();

    /// <summary>Hashes a password as `hash-password` prints it (ASP.NET Core Identity's PBKDF2 format).</summary>
    public static string Hash(string password) => Hasher.HashPassword("agleafeeds", password);

    public static void AddLoginRateLimit(this IServiceCollection services, int perMinute) =>
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(RateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });

    public static void Map(WebApplication app)
    {
        app.MapGet("/login", (HttpContext http, IAntiforgery antiforgery) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(http);
            var failed = http.Request.Query.ContainsKey("failed") ? "<p class=\"error\">Wrong name or password.</p>" : string.Empty;
            return Results.Content(
                $"""
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>AgleaFeeds: log in</title></head>
                <body><h1>Log in</h1>{failed}<form method="post" action="/login">
                <input type="hidden" name="{tokens.FormFieldName}" value="{WebUtility.HtmlEncode(tokens.RequestToken)}">
                <label>Name <input name="name" autocomplete="username" required></label>
                <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
                <button type="submit">Log in</button></form></body></html>
                """, "text/html; charset=utf-8");
        });

        app.MapPost("/login", async (HttpContext http, IOptions<SecurityOptions> options, IAntiforgery antiforgery) =>
        {
            try
            {
                await antiforgery.ValidateRequestAsync(http).ConfigureAwait(false);
            }
            catch (AntiforgeryValidationException)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            var name = form["name"].ToString();
            var account = options.Value.Accounts.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.Ordinal));
            if (account is null || Hasher.VerifyHashedPassword("agleafeeds", account.PasswordHash, form["password"].ToString()) == PasswordVerificationResult.Failed)
            {
                return Results.Redirect("/login?failed=1");
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, account.Name), new Claim(ClaimTypes.Role, account.Role)], CookieAuthenticationDefaults.AuthenticationScheme);
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
            return Results.Redirect("/hangfire/moderation");
        }).RequireRateLimiting(RateLimitPolicy);

        app.MapPost("/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
            return Results.Redirect("/login");
        });
    }
}
