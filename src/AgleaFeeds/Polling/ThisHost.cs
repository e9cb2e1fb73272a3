using System.Security.Cryptography;

namespace AgleaFeeds.Polling;

/// <summary>
/// This process among the hosts on one store: its name (the Hangfire server's too, so the dashboard's
/// Servers page and the sources' "polled by" agree) and the lease owners its workers use.
/// </summary>
public static class ThisHost
{
    /// <summary>Gets this process's name: the machine's and a random part, unique per start.</summary>
    public static string Name { get; } = $"{Environment.MachineName.ToLowerInvariant()}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    /// <summary>Gets a new lease owner of this host: "name/random", so a source's lease says which host holds it.</summary>
    public static string NewLeaseOwner() => $"{Name}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
}
