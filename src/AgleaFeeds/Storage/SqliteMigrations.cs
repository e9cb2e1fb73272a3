using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AgleaFeeds.Storage;

/// <summary>Applies the numbered SQL files under Storage/Migrations/Sqlite, each once, each in its own transaction.</summary>
internal static class SqliteMigrations
{
    private const string Prefix = "AgleaFeeds.Storage.Migrations.Sqlite.";

    /// <summary>Gets the migrations shipped in the assembly, by number.</summary>
    public static IReadOnlyList<(int Version, string Name)> Available { get; } =
        typeof(SqliteMigrations).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Version: int.Parse(n[Prefix.Length..].Split('_')[0], System.Globalization.CultureInfo.InvariantCulture), Name: n))
            .OrderBy(m => m.Version)
            .ToList();

    public static async Task ApplyAsync(SqliteConnection connection, CancellationToken ct)
    {
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)").ConfigureAwait(false);
        // Read without a lock first: at most starts every migration is applied, and poll-once starts often.
        var done = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations").ConfigureAwait(false)).ToHashSet();
        foreach (var (version, name) in Available.Where(m => !done.Contains(m.Version)))
        {
            // BEGIN IMMEDIATE: two processes starting at once apply each migration exactly once.
            await using var tx = connection.BeginTransaction(deferred: false);
            var applied = await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @version", new { version }, tx).ConfigureAwait(false);
            if (applied == 0)
            {
                await connection.ExecuteAsync(Read(name), transaction: tx).ConfigureAwait(false);
                await connection.ExecuteAsync(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, datetime('now'))",
                    new { version, name = name[Prefix.Length..] }, tx).ConfigureAwait(false);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
    }

    private static string Read(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
