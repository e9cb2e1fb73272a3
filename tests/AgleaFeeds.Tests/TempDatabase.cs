using AgleaFeeds.Storage;
using AgleaFeeds.Testing;

namespace AgleaFeeds.Tests;

/// <summary>The store's providers, for a test suite that runs on each: SQLite always, PostgreSQL where a test server runs.</summary>
public static class StoreProviders
{
    public static TheoryData<string> All => new() { "Sqlite", "PostgreSql" };
}

/// <summary>A real store in a fresh temporary folder (SQLite) or a fresh database (PostgreSQL), deleted afterwards.</summary>
internal sealed class TempDatabase : IAsyncDisposable
{
    private TempDatabase(StorageOptions options)
    {
        Directory.CreateDirectory(Folder);
        options.DataDirectory = Folder;
        Options = options;
        Store = new FeedStore(Microsoft.Extensions.Options.Options.Create(Options));
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "agleafeeds-tests", Guid.NewGuid().ToString("N"));

    public StorageOptions Options { get; }

    public FeedStore Store { get; }

    /// <summary>A migrated SQLite store.</summary>
    public static Task<TempDatabase> CreateAsync() => CreateAsync("Sqlite");

    /// <summary>A migrated store on the provider; skips the test, saying why, when PostgreSQL is not running.</summary>
    public static async Task<TempDatabase> CreateAsync(string provider)
    {
        var options = new StorageOptions { Provider = provider };
        if (options.IsPostgreSql)
        {
            var (server, reason) = TestPostgres.Server();
            Skip.If(server is null, reason);
            options.ConnectionString = await TestPostgres.CreateDatabaseAsync(server!);
        }

        var db = new TempDatabase(options);
        await db.Store.MigrateAsync(CancellationToken.None);
        return db;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();

        if (Options.IsPostgreSql)
        {
            await TestPostgres.DropDatabaseAsync(Options.ConnectionString!);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine: the OS temp cleaner takes it.
        }
    }
}
