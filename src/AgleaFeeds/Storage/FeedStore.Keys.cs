using Dapper;

namespace AgleaFeeds.Storage;

/// <summary>The store's key ring: ASP.NET Core Data Protection's keys as XML (the host's repository over it).</summary>
public sealed partial class FeedStore
{
    /// <summary>Every key's XML, oldest first.</summary>
    public IReadOnlyList<string> ListProtectionKeys()
    {
        using var connection = _db.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        return connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY id").ToList();
    }

    /// <summary>Adds a key by name; a key is never changed, the same name again is ignored (also <see cref="StoreCopy"/>'s).</summary>
    internal const string InsertProtectionKey =
        "INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES (@name, @xml, @at) ON CONFLICT (friendly_name) DO NOTHING";

    /// <summary>Adds a key (a key is never changed; the same name again is ignored).</summary>
    public void SaveProtectionKey(string name, string xml, DateTimeOffset now)
    {
        using var connection = _db.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        connection.Execute(InsertProtectionKey, new { name, xml, at = now.ToUnixTimeMilliseconds() });
    }
}
