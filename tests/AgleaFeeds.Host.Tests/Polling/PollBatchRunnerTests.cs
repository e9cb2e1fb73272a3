using AgleaFeeds.Host.Tests.Fixtures;
using AgleaFeeds.Polling;

namespace AgleaFeeds.Host.Tests.Polling;

/// <summary>The leases a poll batch holds: short while it works, given back when it stops.</summary>
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
}
