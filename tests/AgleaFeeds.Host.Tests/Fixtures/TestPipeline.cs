using AgleaFeeds.Polling;
using AgleaFeeds.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AgleaFeeds.Host.Tests.Fixtures;

/// <summary>The pipeline as the host wires it, on a real SQLite file in a temp folder, with a fake clock.</summary>
internal sealed class TestPipeline : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TestPipeline(ServiceProvider services, string folder)
    {
        _services = services;
        Folder = folder;
    }

    public string Folder { get; }

    public FakeTimeProvider Time => (FakeTimeProvider)_services.GetRequiredService<TimeProvider>();

    public IFeedStore Store => _services.GetRequiredService<IFeedStore>();

    public SourceRefresher Refresher => _services.GetRequiredService<SourceRefresher>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static async Task<TestPipeline> CreateAsync(IDictionary<string, string?>? settings = null, string? folder = null)
    {
        folder ??= TestPaths.NewTempFolder();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DataDirectory"] = folder, ["Scoring:ModelPath"] = TestPaths.Model, ["Scoring:Rules:ModerationKeys"] = TestPaths.SampleModerationKeys, ["Fetching:AllowedNetworks:0"] = "127.0.0.0/8" })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero)));
        services.AddAgleaFeedsPipeline(configuration);
        var pipeline = new TestPipeline(services.BuildServiceProvider(validateScopes: true), folder);
        await pipeline.Store.MigrateAsync(CancellationToken.None);
        return pipeline;
    }

    /// <summary>Adds a source due now.</summary>
    public Task<long> AddSourceAsync(string feedUrl, string title = "Test blog") =>
        Store.AddSourceAsync(new SourceDefinition(title, feedUrl), Time.GetUtcNow(), CancellationToken.None);

    public async Task<(int Posts, int Comments)> CountAsync(long sourceId)
    {
        var source = await Store.GetSourceAsync(sourceId, CancellationToken.None);
        return (source!.PostCount, source.CommentCount);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
