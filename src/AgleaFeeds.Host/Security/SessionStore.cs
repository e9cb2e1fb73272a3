using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Host.Security;

/// <summary>
/// Dashboard sessions kept on the server: the cookie holds only a random key, so logging out ends the
/// session for good (a copied cookie is worthless), and a restart ends every session. Each request
/// also checks the account still exists with the same role and password (its security stamp).
/// </summary>
internal sealed class SessionStore(TimeProvider time) : ITicketStore
{
    public const string StampClaim = "agleafeeds:stamp";
    private readonly ConcurrentDictionary<string, AuthenticationTicket> _tickets = new(StringComparer.Ordinal);

    /// <summary>Gets how many sessions are open.</summary>
    public int Count => _tickets.Count;

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        _tickets[key] = ticket;
        Prune();
        return Task.FromResult(key);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        _tickets[key] = ticket;
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) =>
        Task.FromResult(_tickets.TryGetValue(key, out var ticket) && ticket.Properties.ExpiresUtc > time.GetUtcNow() ? ticket : null);

    public Task RemoveAsync(string key)
    {
        _tickets.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    /// <summary>The stamp of an account: changes when its role or password does.</summary>
    public static string Stamp(Account account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{account.Name}\n{account.Role}\n{account.PasswordHash}")))[..32];
    }

    /// <summary>Rejects a session whose account was removed, demoted or given a new password.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = context.Principal?.FindFirst(ClaimTypes.Name)?.Value;
        var stamp = context.Principal?.FindFirst(StampClaim)?.Value;
        var accounts = context.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<SecurityOptions>>().CurrentValue.Accounts;
        var valid = stamp == LoginLink.OperatorName && name == LoginLink.OperatorName
            || accounts.Any(a => a.Name == name && Stamp(a) == stamp);
        if (!valid)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
        }
    }

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var (key, ticket) in _tickets)
        {
            if (ticket.Properties.ExpiresUtc <= now)
            {
                _tickets.TryRemove(key, out _);
            }
        }
    }
}
