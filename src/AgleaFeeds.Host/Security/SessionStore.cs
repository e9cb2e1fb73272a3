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
/// session for good (a copied cookie is worthless). On SQLite (one host) they are in memory and a restart
/// ends every session; on PostgreSQL they are in the store (keyed by the key's SHA-256), so a moderator
/// signed in on one host is signed in on all, and signing out on one ends the session on all. Each request
/// also checks the account still exists with the same role and password (its security stamp).
/// </summary>
internal sealed class SessionStore(TimeProvider time, IOptions<AgleaFeeds.Storage.StorageOptions> storage, AgleaFeeds.Storage.ISharedStateStore shared) : ITicketStore
{
    public const string StampClaim = "agleafeeds:stamp";
    private readonly ConcurrentDictionary<string, AuthenticationTicket> _tickets = new(StringComparer.Ordinal);
    private readonly bool _inStore = storage.Value.IsPostgreSql;

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        await RenewAsync(key, ticket).ConfigureAwait(false);
        Prune();
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (_inStore)
        {
            var expires = ticket.Properties.ExpiresUtc ?? time.GetUtcNow().AddHours(12);
            await shared.SaveSessionAsync(Hash(key), TicketSerializer.Default.Serialize(ticket), expires, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            return;
        }

        _tickets[key] = ticket;
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var ticket = _inStore
            ? await shared.GetSessionAsync(Hash(key), time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false) is { } bytes ? TicketSerializer.Default.Deserialize(bytes) : null
            : _tickets.GetValueOrDefault(key);
        return ticket is not null && ticket.Properties.ExpiresUtc > time.GetUtcNow() ? ticket : null;
    }

    public async Task RemoveAsync(string key)
    {
        if (_inStore)
        {
            await shared.RemoveSessionAsync(Hash(key), CancellationToken.None).ConfigureAwait(false);
            return;
        }

        _tickets.TryRemove(key, out _);
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

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
