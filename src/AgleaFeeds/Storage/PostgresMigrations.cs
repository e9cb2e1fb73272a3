using System.Reflection;
using Dapper;
using Npgsql;

namespace AgleaFeeds.Storage;

/// <summary>
/// Applies the numbered SQL files under Storage/Migrations/PostgreSql, each once, in one transaction holding an
/// advisory lock: several hosts starting together migrate once, the others wait and find it done.
/// </summary>
internal static class PostgresMigrations
{
    private const string Prefix = "AgleaFeeds.Storage.Migrations.PostgreSql.";

    /// <summary>The advisory lock's key ("AgleaFeeds" migrations).</summary>
    private const long LockKey = 0x41676c6561466565;

    public static IReadOnlyList<(int Version, string Name)> Available { get; } =
        typeof(PostgresMigrations).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Version: int.Parse(n[Prefix.Length..].Split('_')[0], System.Globalization.CultureInfo.InvariantCulture), Name: n))
            .OrderBy(m => m.Version)
            .ToList();

    public static async Task ApplyAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@LockKey)", new { LockKey }, tx).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)", transaction: tx).ConfigureAwait(false);
        var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations", transaction: tx).ConfigureAwait(false)).ToHashSet();
        foreach (var (version, name) in Available.Where(m => !applied.Contains(m.Version)))
        {
            await connection.ExecuteAsync(Read(name), transaction: tx).ConfigureAwait(false);
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (@version, @name, @at)",
                new { version, name = name[Prefix.Length..], at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, tx).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    private static string Read(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
