using AgleaFeeds.Polling;
using AgleaFeeds.Storage;
using Hangfire;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Host.Jobs;

/// <summary>
/// The one recurring job: leases the sources that are due and enqueues them in batches, so the
/// number of Hangfire jobs grows with batches, not with sources. A lease keeps a source from being
/// polled twice at once, on this server or another.
/// </summary>
public sealed class PollSchedulerJob(IFeedStore store, IBackgroundJobClient jobs, IOptions<PollingOptions> options, TimeProvider time)
{
    /// <summary>The recurring job id shown on the dashboard.</summary>
    public const string RecurringJobId = "poll-scheduler";

    /// <summary>Enqueues every due source in batches; returns how many sources were enqueued.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var claim = ThisHost.NewLeaseOwner();
            var ids = await store.ClaimDueSourcesAsync(time.GetUtcNow(), options.Value.BatchSize, options.Value.Lease, claim, ct).ConfigureAwait(false);
            if (ids.Count == 0)
            {
                return total;
            }

            var batch = ids.ToArray();
            jobs.Enqueue<PollBatchJob>(job => job.RunAsync(batch, claim, CancellationToken.None));
            total += batch.Length;
        }
    }
}
