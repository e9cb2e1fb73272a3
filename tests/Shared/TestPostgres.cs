using Npgsql;

namespace AgleaFeeds.Testing;

/// <summary>
/// The throwaway PostgreSQL of tests/postgres/postgres.sh (or the server AGLEAFEEDS_PG names): each test gets a
/// database of its own, dropped afterwards. Tests skip, saying how to start one, where none is running; CI starts it.
/// </summary>
internal static class TestPostgres
{
    /// <summary>The server's connection string (no database), or null with the reason there is none.</summary>
    public static (string? ConnectionString, string Reason) Server()
    {
        if (Environment.GetEnvironmentVariable("AGLEAFEEDS_PG") is { Length: > 0 } configured)
        {
            return (configured, string.Empty);
        }

        var folder = Environment.GetEnvironmentVariable("AGLEAFEEDS_PG_DIR") is { Length: > 0 } d ? d : "/tmp/agleafeeds-postgres";
        var file = Path.Combine(folder, "connection.txt");
        return File.Exists(file)
            ? (File.ReadAllText(file).Trim(), string.Empty)
            : (null, $"no test PostgreSQL ({file} is missing): run 'tests/postgres/postgres.sh install' (root) and 'tests/postgres/postgres.sh start' (.ci/run does both), or set AGLEAFEEDS_PG");
    }

    /// <summary>Creates an empty database; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string server)
    {
        var name = "agleafeeds_test_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ToString()))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing what still uses it.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ToString());
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {builder.Database} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// A fresh database and the settings that put a host on it (plus <paramref name="extra"/>); skips the test, saying
    /// why, where no test PostgreSQL runs.
    /// </summary>
    public static async Task<(string Database, Dictionary<string, string?> Settings)> NewHostDatabaseAsync(IDictionary<string, string?>? extra = null)
    {
        var (server, reason) = Server();
        Skip.If(server is null, reason);
        var database = await CreateDatabaseAsync(server!);
        var settings = new Dictionary<string, string?> { ["Storage:Provider"] = "PostgreSql", ["Storage:ConnectionString"] = database };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return (database, settings);
    }
}
