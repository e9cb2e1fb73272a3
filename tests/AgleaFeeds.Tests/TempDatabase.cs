using AgleaFeeds.Storage;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Tests;

/// <summary>A real SQLite store in a fresh temporary folder, deleted afterwards.</summary>
internal sealed class TempDatabase : IAsyncDisposable
{
    public TempDatabase()
    {
        Directory.CreateDirectory(Folder);
        Options = new StorageOptions { DataDirectory = Folder };
        Store = new SqliteFeedStore(Microsoft.Extensions.Options.Options.Create(Options));
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "agleafeeds-tests", Guid.NewGuid().ToString("N"));

    public StorageOptions Options { get; }

    public SqliteFeedStore Store { get; }

    public static async Task<TempDatabase> CreateAsync()
    {
        var db = new TempDatabase();
        await db.Store.MigrateAsync(CancellationToken.None);
        return db;
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine: the OS temp cleaner takes it.
        }

        return ValueTask.CompletedTask;
    }
}
