using AgleaFeeds.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AgleaFeeds.Host.Tests.Fixtures;

/// <summary>The real AgleaFeeds host (Kestrel on 127.0.0.1, Hangfire on SQLite) on a given data folder.</summary>
internal sealed class RunningHost : IAsyncDisposable
{
    private RunningHost(WebApplication app, Uri baseUrl)
    {
        App = app;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public Uri BaseUrl { get; }

    public HttpClient Http { get; }

    public IFeedStore Store => App.Services.GetRequiredService<IFeedStore>();

    /// <summary>Starts the host with an OPML file listing <paramref name="feedUrls"/>.</summary>
    public static Task<RunningHost> StartAsync(string dataFolder, params string[] feedUrls) => StartAsync(dataFolder, new Dictionary<string, string?>(), feedUrls);

    /// <summary>Starts the host with extra settings.</summary>
    public static async Task<RunningHost> StartAsync(string dataFolder, IDictionary<string, string?> settings, params string[] feedUrls) =>
        await StartAsync(dataFolder, settings, repositorySettings: false, feedUrls);

    /// <summary>Starts the host, optionally reading the repository's appsettings.json first, as `dotnet run` does.</summary>
    public static Task<RunningHost> StartAsync(string dataFolder, IDictionary<string, string?> settings, bool repositorySettings, params string[] feedUrls) =>
        StartAsync(dataFolder, settings, repositorySettings, null, feedUrls);

    /// <summary>Starts the host; with <paramref name="logs"/>, everything it logs (every level) goes there too.</summary>
    public static async Task<RunningHost> StartAsync(string dataFolder, IDictionary<string, string?> settings, bool repositorySettings, ILoggerProvider? logs, params string[] feedUrls)
    {
        var opml = Path.Combine(dataFolder, "sources.opml");
        await WriteOpmlAsync(opml, feedUrls);
        // AGLEAFEEDS_TEST_STORE=PostgreSql runs the host on a fresh database of the test PostgreSQL instead of SQLite.
        string? database = null;
        if (Environment.GetEnvironmentVariable("AGLEAFEEDS_TEST_STORE") == "PostgreSql" && !settings.ContainsKey("Storage:Provider"))
        {
            var (server, reason) = AgleaFeeds.Testing.TestPostgres.Server();
            Skip.If(server is null, reason);
            // One database per data folder: a host started again on the same folder finds its data, as on SQLite.
            var marker = Path.Combine(dataFolder, "postgres.txt");
            database = File.Exists(marker) ? await File.ReadAllTextAsync(marker) : await AgleaFeeds.Testing.TestPostgres.CreateDatabaseAsync(server!);
            await File.WriteAllTextAsync(marker, database);
            settings = new Dictionary<string, string?>(settings) { ["Storage:Provider"] = "PostgreSql", ["Storage:ConnectionString"] = database };
        }

        var app = AgleaFeedsApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            if (repositorySettings)
            {
                builder.Configuration.AddJsonFile(Path.Combine(TestPaths.RepositoryRoot, "appsettings.json"), optional: false);
            }

            builder.Configuration.AddInMemoryCollection(TestSettings(dataFolder, opml));
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.SetMinimumLevel(logs is null ? LogLevel.Warning : LogLevel.Trace);
            if (logs is not null)
            {
                builder.Logging.AddFilter((_, _) => true);
                builder.Logging.AddProvider(logs);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Writes an OPML file listing <paramref name="feedUrls"/> ("Test blog 1", …).</summary>
    public static Task WriteOpmlAsync(string path, IEnumerable<string> feedUrls) => File.WriteAllTextAsync(path, $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <opml version="2.0"><head><title>test</title></head><body>
        {string.Concat(feedUrls.Select((u, i) => $"<outline type=\"rss\" text=\"Test blog {i + 1}\" xmlUrl=\"{u}\" />"))}
        </body></opml>
        """);

    /// <summary>The settings every test host starts with (a test's own settings come after them).</summary>
    public static Dictionary<string, string?> TestSettings(string dataFolder, string opml) => new()
    {
        ["Urls"] = "http://127.0.0.1:0",
        ["Storage:DataDirectory"] = dataFolder,
        ["Jobs:SourcesOpml"] = opml,
        ["Jobs:SamplesFolder"] = "",
        ["Jobs:QueuePollInterval"] = "00:00:00.200",
        ["Jobs:WorkerCount"] = "2",
        ["Scraping:MinDelayPerHost"] = "00:00:00",
        // The fixture sites live on this machine: an operator's allow-list, as for blogs on one's own network.
        ["Fetching:AllowedNetworks:0"] = "127.0.0.0/8",
        // Most tests act as the operator at this machine; the security tests turn it off again.
        ["Security:AllowLocalAnonymous"] = "true",
        ["Scoring:ModelPath"] = TestPaths.Model,
        ["Scoring:Rules:ModerationKeys"] = TestPaths.SampleModerationKeys,
        // A retrain triggered from the dashboard finds no corpus and says so at once, instead of training for seconds.
        ["Scoring:CorpusPath"] = Path.Combine(dataFolder, "no-corpus"),
    };

    /// <summary>Lists every comment in the store, of every source and post.</summary>
    public async Task<List<Model.Comment>> CommentsAsync()
    {
        var all = new List<Model.Comment>();
        foreach (var source in await Store.ListSourcesAsync(CancellationToken.None))
        {
            foreach (var post in await Store.ListPostsAsync(source.Id, CancellationToken.None))
            {
                all.AddRange(await Store.ListCommentsAsync(post.Id, CancellationToken.None));
            }
        }

        return all;
    }

    /// <summary>Gets the comment with a WordPress id.</summary>
    public async Task<Model.Comment> CommentAsync(long wordPressId) => (await CommentsAsync()).Single(c => c.WordPressId == wordPressId);

    /// <summary>Waits until the sample blog is polled, scraped (21 comments) and every comment scored; says what it saw when it times out.</summary>
    public async Task WaitUntilSampleJudgedAsync()
    {
        var done = false;
        try
        {
            await WaitUntilAsync(
                async () => done = await Store.ListSourcesAsync(CancellationToken.None) is [{ CommentCount: 21 }]
                    && (await Store.ListUnscoredCommentsAsync(1, CancellationToken.None)).Count == 0,
                TimeSpan.FromSeconds(60),
                "the sample blog to be stored, scraped and scored");
        }
        catch (Xunit.Sdk.XunitException) when (!done)
        {
            var sources = await Store.ListSourcesAsync(CancellationToken.None);
            var monitoring = App.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
            var failed = monitoring.FailedJobs(0, 5).Select(j => $"{j.Value.Job?.Type.Name}: {j.Value.ExceptionMessage}");
            var processing = monitoring.ProcessingJobs(0, 10).Select(j => $"{j.Value.Job?.Type.Name} since {j.Value.StartedAt:HH:mm:ss}");
            var succeeded = monitoring.SucceededJobs(0, 30).Select(j => $"{j.Value.Job?.Type.Name}={j.Value.Result}");
            var scrapeErrors = new List<string>();
            foreach (var source in sources)
            {
                scrapeErrors.AddRange((await Store.ListPostsAsync(source.Id, CancellationToken.None)).Where(p => p.ScrapeError is not null).Select(p => $"{p.Title}: {p.ScrapeError}"));
            }

            Assert.Fail($"Timed out after 60 s waiting for the sample blog to be stored, scraped and scored: sources {string.Join(", ", sources.Select(s => $"{s.Title} {s.CommentCount} comments, last error {s.LastError}"))}; scrape errors: {string.Join(" | ", scrapeErrors)}; "
                + $"unscored {(await Store.ListUnscoredCommentsAsync(100, CancellationToken.None)).Count}; failed jobs: {string.Join(" | ", failed)}; processing: {string.Join(" | ", processing)}; succeeded: {string.Join(" | ", succeeded)}");
        }
    }

    /// <summary>Waits until no job is enqueued or processing, five checks in a row (a poll and the scrapes and scoring it started).</summary>
    public Task WaitUntilQuietAsync()
    {
        var monitoring = App.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        var quiet = 0;
        return WaitUntilAsync(
            () =>
            {
                var stats = monitoring.GetStatistics();
                quiet = stats.Enqueued + stats.Processing == 0 ? quiet + 1 : 0;
                return Task.FromResult(quiet >= 5);
            },
            TimeSpan.FromSeconds(120),
            "the jobs to finish");
    }

    /// <summary>Waits until the condition holds, polling; fails the test after the timeout.</summary>
    /// <remarks><paramref name="explain"/>, if given, adds what the test knows of why to a timeout's message.</remarks>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<Task<string>>? explain = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds} s waiting for {what}.{(explain is null ? string.Empty : "\n" + await explain())}");
            }

            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
    }
}
