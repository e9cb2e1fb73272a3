using AgleaFeeds.Host.Jobs;
using AgleaFeeds.Host.Tests.Fixtures;
using AgleaFeeds.Model;
using Hangfire;

namespace AgleaFeeds.Host.Tests.Hosting;

public sealed class HostTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private FixtureSite _site = null!;
    private string _data = null!;

    public async Task InitializeAsync()
    {
        _site = await FixtureSite.StartAsync();
        _data = TestPaths.NewTempFolder();
    }

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task Start_FreshDataFolder_PollsTheOpmlSourcesWithHangfireAndShowsThemOnTheDashboard()
    {
        await using var host = await RunningHost.StartAsync(_data, _site.PostsFeed);

        // The feeds carry 19 comments; scraping the four post pages adds the 2 oldest of a 12-comment thread.
        await RunningHost.WaitUntilAsync(async () => (await host.Store.ListSourcesAsync(Ct)) is [{ CommentCount: 21 }], TimeSpan.FromSeconds(60), "the sample blog to be stored and scraped");
        var monitoring = host.App.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await RunningHost.WaitUntilAsync(() => Task.FromResult(monitoring.SucceededJobs(0, 50).Any(j => j.Value.Job?.Type == typeof(ScrapeBatchJob))), TimeSpan.FromSeconds(30), "the scrape batch job to succeed");

        var source = Assert.Single(await host.Store.ListSourcesAsync(Ct));
        Assert.Equal((4, 21, 0), (source.PostCount, source.CommentCount, source.ErrorCount));
        // Every comment gets a verdict: the SEO spam with two links and the BBCode link are caught.
        var jackMa = (await host.Store.ListPostsAsync(source.Id, Ct)).Single(p => p.Title!.StartsWith("Jack Ma", StringComparison.Ordinal));
        await RunningHost.WaitUntilAsync(async () => (await host.Store.ListCommentsAsync(jackMa.Id, Ct)).Single(c => c.WordPressId == 103).Status == CommentStatus.Spam, TimeSpan.FromSeconds(30), "the SEO spam to be caught");
        var spam = (await host.Store.ListCommentsAsync(jackMa.Id, Ct)).Single(c => c.WordPressId == 103);
        var verdict = (await host.Store.ListEventsAsync(spam.Id, Ct)).Last();
        Assert.StartsWith("scoring:", verdict.Actor, StringComparison.Ordinal);
        Assert.Contains("max-links:2", verdict.Reasons, StringComparison.Ordinal);
        Assert.Contains(monitoring.SucceededJobs(0, 50), j => j.Value.Job?.Type == typeof(PollBatchJob));
        Assert.Contains(monitoring.SucceededJobs(0, 50), j => j.Value.Job?.Type == typeof(PollSchedulerJob));
        var page = await host.Http.GetStringAsync("hangfire/sources");
        Assert.Contains("Test blog 1", page, StringComparison.Ordinal);
        Assert.Contains("4 new post(s), 0 changed, 19 new comment(s)", page, StringComparison.Ordinal);
        Assert.Contains("(in 60 min)", page, StringComparison.Ordinal);
        // The sample feed asks for hourly polls (sy:updatePeriod): the page says so, and why the next poll is an hour away.
        Assert.Contains("polled every 1 h: the feed asks for 1 h (the default 15 min is shorter)", page, StringComparison.Ordinal);
        Assert.Contains("the feed asks to be read every 1 h (sy:updatePeriod or ttl)", page, StringComparison.Ordinal);
        var recurring = await host.Http.GetStringAsync("hangfire/recurring");
        Assert.Contains(PollSchedulerJob.RecurringJobId, recurring, StringComparison.Ordinal);
        Assert.Contains(RescrapeRecentJob.RecurringJobId, recurring, StringComparison.Ordinal);
        Assert.Contains(RetrainJob.RecurringJobId, recurring, StringComparison.Ordinal);
        var health = await host.Http.GetAsync("health");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        await host.WaitUntilSampleJudgedAsync();
        var metrics = await host.Http.GetStringAsync("metrics");
        Assert.Contains("agleafeeds_polls_total{outcome=\"ok\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("agleafeeds_scrapes_total{outcome=\"ok\"} 4", metrics, StringComparison.Ordinal);
        Assert.Contains("agleafeeds_comments{status=\"spam\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("agleafeeds_sources_failing 0", metrics, StringComparison.Ordinal);
        Assert.Contains("agleafeeds_scoring_batch_seconds_count", metrics, StringComparison.Ordinal);
        Assert.Contains("\"model\":\"ok (shipped-", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var posts = await host.Http.GetStringAsync("hangfire/posts");
        Assert.Contains("Seoul Meetup Recap", posts, StringComparison.Ordinal);
        Assert.Contains("12 comment(s) on 1 page(s), 2 new, 0 removed", posts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_RepositorySampleOnAnyPort_PollsItThereAndFollowsTheServiceToAnotherPort()
    {
        // The repository's own sources file and sample blog, as `dotnet run` uses them, on a port the OS picks (never 5080).
        var sample = new Dictionary<string, string?>
        {
            ["Jobs:SourcesOpml"] = Path.Combine(TestPaths.RepositoryRoot, "feeds", "sources.opml"),
            ["Jobs:SamplesFolder"] = Path.Combine(TestPaths.RepositoryRoot, "feeds", "samples"),
        };
        int posts;
        Uri firstAddress;
        await using (var first = await RunningHost.StartAsync(_data, sample))
        {
            firstAddress = first.BaseUrl;
            await RunningHost.WaitUntilAsync(async () => (await first.Store.ListSourcesAsync(Ct)) is [{ CommentCount: 21 }], TimeSpan.FromSeconds(60), "the sample blog on this port to be polled and scraped");
            var source = Assert.Single(await first.Store.ListSourcesAsync(Ct));
            Assert.Equal(new Uri(first.BaseUrl, "samples/agla/feed/").ToString(), source.FeedUrl);
            Assert.Equal(0, source.ErrorCount);
            posts = source.PostCount;
            var feed = await first.Http.GetStringAsync("feeds/all.atom");
            Assert.Contains($"href=\"{first.BaseUrl}feeds/all.atom\"", feed, StringComparison.Ordinal);
            Assert.Contains($"{first.BaseUrl}samples/agla/2025/03/14/", feed, StringComparison.Ordinal);
            Assert.DoesNotContain("agleafeeds.invalid", feed, StringComparison.Ordinal);
        }

        await using var second = await RunningHost.StartAsync(_data, sample);
        Assert.NotEqual(firstAddress, second.BaseUrl);
        var moved = Assert.Single(await second.Store.ListSourcesAsync(Ct));
        Assert.Equal(new Uri(second.BaseUrl, "samples/agla/feed/").ToString(), moved.FeedUrl);
        await second.Store.MakeDueAsync(moved.Id, DateTimeOffset.UtcNow, Ct);
        second.App.Services.GetRequiredService<IRecurringJobManagerV2>().TriggerJob(PollSchedulerJob.RecurringJobId);
        await RunningHost.WaitUntilAsync(async () => (await second.Store.GetSourceAsync(moved.Id, Ct))!.LastPolledAt > moved.LastPolledAt, TimeSpan.FromSeconds(60), "a poll on the new port");
        var after = Assert.Single(await second.Store.ListSourcesAsync(Ct));
        Assert.Equal((posts, 21, 0), (after.PostCount, after.CommentCount, after.ErrorCount));
        var page = await second.Http.GetStringAsync("hangfire/posts");
        Assert.DoesNotContain(firstAddress.GetLeftPart(UriPartial.Authority), page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithTheRepositoryAppSettings_EveryOptionValidatesAndTheServiceIsHealthy()
    {
        await using var host = await RunningHost.StartAsync(_data, new Dictionary<string, string?>(), repositorySettings: true, _site.PostsFeed);

        var health = await host.Http.GetAsync("health");

        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.Http.GetAsync("feeds/all.atom")).StatusCode);
    }

    [Fact]
    public async Task Health_CorruptModel_Is503NamingTheProblem()
    {
        var corrupt = Path.Combine(_data, "corrupt.zip");
        await File.WriteAllTextAsync(corrupt, "not a model");
        await using var host = await RunningHost.StartAsync(_data, new Dictionary<string, string?> { ["Scoring:ModelPath"] = corrupt }, _site.PostsFeed);

        var health = await host.Http.GetAsync("health");
        var body = await health.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("\"store\":\"ok\"", body, StringComparison.Ordinal);
        Assert.Contains("cannot be used", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_SameDataFolder_PollsAgainWithoutDuplicatingAnything()
    {
        long id;
        await using (var first = await RunningHost.StartAsync(_data, _site.PostsFeed))
        {
            await RunningHost.WaitUntilAsync(async () => (await first.Store.ListSourcesAsync(Ct)) is [{ CommentCount: 21 }], TimeSpan.FromSeconds(60), "the first poll and scrape");
            id = (await first.Store.ListSourcesAsync(Ct))[0].Id;
        }

        await using var second = await RunningHost.StartAsync(_data, _site.PostsFeed);
        var before = (await second.Store.GetSourceAsync(id, Ct))!.LastPolledAt;
        await second.Store.MakeDueAsync(id, DateTimeOffset.UtcNow, Ct);
        second.App.Services.GetRequiredService<IRecurringJobManagerV2>().TriggerJob(PollSchedulerJob.RecurringJobId);
        await RunningHost.WaitUntilAsync(async () => (await second.Store.GetSourceAsync(id, Ct))!.LastPolledAt > before, TimeSpan.FromSeconds(60), "the second poll");

        var sources = await second.Store.ListSourcesAsync(Ct);
        var source = Assert.Single(sources);
        Assert.Equal((4, 21), (source.PostCount, source.CommentCount));
        Assert.Equal("not modified (304)", source.LastOutcome);
    }

    [Fact]
    public async Task Start_AfterAProcessWasKilledMidJob_EnqueuesItsProcessingJobsAgainAtOnce()
    {
        string orphan;
        await using (var killed = await RunningHost.StartAsync(_data))
        {
            // What kill -9 leaves: a job Processing on a server that no longer runs.
            var client = killed.App.Services.GetRequiredService<IBackgroundJobClient>();
            orphan = client.Create<PublishJob>(j => j.RunAsync(CancellationToken.None), new Hangfire.States.ScheduledState(TimeSpan.FromDays(1)));
            Assert.True(client.ChangeState(orphan, new DeadServerProcessing("deadhost-0badc0de:4242:7f6e")));
        }

        await using var host = await RunningHost.StartAsync(_data);
        var monitoring = host.App.Services.GetRequiredService<JobStorage>().GetMonitoringApi();

        await RunningHost.WaitUntilAsync(
            () => Task.FromResult(monitoring.JobDetails(orphan).History.Any(h => h.StateName == Hangfire.States.SucceededState.StateName)),
            TimeSpan.FromSeconds(30),
            "the orphaned job to run again and succeed (not wait 30 minutes of invisibility)");
    }

    /// <summary>The Processing state as a worker of another (now dead) server records it; Hangfire's own constructor is internal.</summary>
    private sealed class DeadServerProcessing(string serverId) : Hangfire.States.IState
    {
        public string Name => Hangfire.States.ProcessingState.StateName;

        public string Reason => "worker of a process that was killed";

        public bool IsFinal => false;

        public bool IgnoreJobLoadException => false;

        public Dictionary<string, string> SerializeData() => new()
        {
            ["StartedAt"] = Hangfire.Common.JobHelper.SerializeDateTime(DateTime.UtcNow),
            ["ServerId"] = serverId,
            ["WorkerId"] = "worker-1",
        };
    }
}
