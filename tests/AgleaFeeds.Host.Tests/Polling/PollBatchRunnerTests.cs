using AgleaFeeds.Host.Tests.Fixtures;
using AgleaFeeds.Polling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Host.Tests.Polling;

/// <summary>The leases a poll batch holds (short while it works, given back when it stops), and how many polls run at once.</summary>
public sealed class PollBatchRunnerTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private FixtureSite _site = null!;
    private TestPipeline _pipeline = null!;

    public async Task InitializeAsync()
    {
        _site = await FixtureSite.StartAsync();
        _pipeline = await TestPipeline.CreateAsync(new Dictionary<string, string?> { ["Fetching:Timeout"] = "00:01:00" });
    }

    public async Task DisposeAsync()
    {
        await _pipeline.DisposeAsync();
        await _site.DisposeAsync();
    }

    /// <summary>Claims a source on a page that answers after 30 s, as the scheduler does, and starts polling it.</summary>
    private async Task<(long Id, Task Poll, CancellationTokenSource Stop)> StartSlowPollAsync()
    {
        var id = await _pipeline.AddSourceAsync(_site.Url("/fail/slow-headers"));
        Assert.Equal([id], await _pipeline.Store.ClaimSourcesAsync([id], _pipeline.Time.GetUtcNow(), TimeSpan.FromMinutes(10), "test", Ct));
        var stop = new CancellationTokenSource();
        var poll = _pipeline.Get<PollBatchRunner>().RunAsync([id], "test", stop.Token);
        await RunningHost.WaitUntilAsync(() => Task.FromResult(_site.Hits("/fail/slow-headers") > 0), TimeSpan.FromSeconds(10), "the poll to reach the slow page");
        return (id, poll, stop);
    }

    [Fact]
    public async Task RunAsync_Working_HoldsItsSourcesOnAShortLease()
    {
        var (id, poll, stop) = await StartSlowPollAsync();
        var now = _pipeline.Time.GetUtcNow();

        // The scheduler's 10-minute claim became a 1-minute working lease: were this host killed now,
        // the source would be free again within a minute.
        var stillHeld = await _pipeline.Store.ClaimSourcesAsync([id], now.AddSeconds(30), TimeSpan.FromMinutes(10), "test", Ct);
        var freeAfterAMinute = await _pipeline.Store.ClaimSourcesAsync([id], now.AddSeconds(61), TimeSpan.FromMinutes(10), "test", Ct);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poll);

        Assert.Empty(stillHeld);
        Assert.Equal([id], freeAfterAMinute);
    }

    [Fact]
    public async Task RunAsync_FeedsThatAnswer304_RecordEachOutcomeAndFreeEachSource()
    {
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await _pipeline.AddSourceAsync($"{_site.PostsFeed}?blog={i}", $"blog {i}"));
        }

        var runner = _pipeline.Get<PollBatchRunner>();
        var first = await runner.RunAsync(await _pipeline.Store.ClaimSourcesAsync(ids, _pipeline.Time.GetUtcNow(), TimeSpan.FromMinutes(10), "test", Ct), "test", Ct);
        Assert.All(first, r => Assert.False(r.NotModified));
        _pipeline.Time.Advance(TimeSpan.FromHours(1));
        var again = await runner.RunAsync(await _pipeline.Store.ClaimSourcesAsync(ids, _pipeline.Time.GetUtcNow(), TimeSpan.FromMinutes(10), "test", Ct), "test", Ct);

        // What the dashboard shows of each: this poll's outcome and time, the next poll planned, the source free again.
        Assert.Equal(3, again.Count(r => r.NotModified && r.Error is null));
        foreach (var id in ids)
        {
            var source = (await _pipeline.Store.GetSourceAsync(id, Ct))!;
            Assert.Equal("not modified (304)", source.LastOutcome);
            Assert.Equal(_pipeline.Time.GetUtcNow(), source.LastPolledAt);
            Assert.Equal(again.Single(r => r.SourceId == id).NextPollAt, source.NextPollAt);
        }

        Assert.Equal(ids.Order(), (await _pipeline.Store.ClaimSourcesAsync(ids, _pipeline.Time.GetUtcNow(), TimeSpan.FromMinutes(10), "next", Ct)).Order());
    }

    [Fact]
    public async Task RunAsync_RenewsItsLeaseWhileItWorks()
    {
        var (id, poll, stop) = await StartSlowPollAsync();
        var start = _pipeline.Time.GetUtcNow();

        _pipeline.Time.Advance(TimeSpan.FromSeconds(40)); // past a renewal (every 20 s)
        await Task.Delay(TimeSpan.FromSeconds(1)); // the renewal is a store write on the timer's thread
        // One look only: a claim that succeeds takes the lease itself.
        var atSeventySeconds = await _pipeline.Store.ClaimSourcesAsync([id], start.AddSeconds(70), TimeSpan.FromMinutes(10), "test", Ct);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poll);

        Assert.Empty(atSeventySeconds);
    }

    [Fact]
    public async Task RunAsync_StoppedBeforeItsSourcesArePolled_ReleasesThemAtOnce()
    {
        var (id, poll, stop) = await StartSlowPollAsync();

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poll);

        Assert.Equal([id], await _pipeline.Store.ClaimSourcesAsync([id], _pipeline.Time.GetUtcNow(), TimeSpan.FromMinutes(10), "test", Ct));
    }
    /// <summary>Adds <paramref name="count"/> farm blogs that answer after 300 ms and claims them as the scheduler does.</summary>
    private async Task<List<long>> ClaimSlowFarmAsync(TestPipeline pipeline, int count)
    {
        _site.FarmDelay = TimeSpan.FromMilliseconds(300);
        var ids = new List<long>();
        foreach (var feed in _site.AddFarm(count))
        {
            ids.Add(await pipeline.AddSourceAsync(feed));
        }

        Assert.Equal(ids, await pipeline.Store.ClaimSourcesAsync(ids, pipeline.Time.GetUtcNow(), TimeSpan.FromMinutes(10), "test", Ct));
        return ids;
    }

    [Fact]
    public async Task RunAsync_TwoBatchesAtOnce_PollNoMoreThanMaxConcurrencyTogether()
    {
        await using var pipeline = await TestPipeline.CreateAsync(new Dictionary<string, string?> { ["Polling:MaxConcurrency"] = "3" });
        var ids = await ClaimSlowFarmAsync(pipeline, 8);

        // Two batch jobs of one host, as Hangfire's workers run them side by side.
        var batches = await Task.WhenAll(pipeline.Get<PollBatchRunner>().RunAsync(ids[..4], "test", Ct), pipeline.Get<PollBatchRunner>().RunAsync(ids[4..], "test", Ct));

        Assert.All(batches.SelectMany(b => b), r => Assert.Null(r.Error));
        Assert.Equal(8, batches.Sum(b => b.Count));
        Assert.InRange(_site.MostFarmAtOnce, 1, 3);
    }

    [Fact]
    public async Task RunAsync_SlowBlogsWhileTheProcessorsIdle_PollsMoreAtOnceThanAtFirst()
    {
        var ids = await ClaimSlowFarmAsync(_pipeline, 12);
        // The processors as an idle process on an idle machine sees them: the wall clock runs, no CPU time is used.
        var admission = new PollAdmission(max: 16, processors: 1, () => System.Diagnostics.Stopwatch.GetElapsedTime(0), () => TimeSpan.Zero, () => null);
        var runner = new PollBatchRunner(_pipeline.Refresher, _pipeline.Store, admission, _pipeline.Get<IOptions<PollingOptions>>(), _pipeline.Time,
            _pipeline.Get<ILogger<PollBatchRunner>>());

        var results = await runner.RunAsync(ids, "test", Ct);

        Assert.Equal(12, results.Count);
        Assert.Equal(2, admission.First);
        Assert.True(admission.MostRunning > 2, $"at most {admission.MostRunning} polls ran at once");
        Assert.True(_site.MostFarmAtOnce > 2, $"the blogs saw at most {_site.MostFarmAtOnce} requests at once");
    }
}
