using Hangfire;

namespace AgleaFeeds.Host.Jobs;

/// <summary>
/// Several hosts on PostgreSQL: every minute, the jobs a host left processing when it died (no heartbeat for a
/// minute) are enqueued again for the live hosts, instead of waiting for Hangfire's 30-minute invisibility timeout.
/// A poll batch run again polls only what its claim still holds (another host took the rest after the leases ran out).
/// </summary>
public sealed class RequeueOrphansJob(JobStorage storage, IBackgroundJobClient client)
{
    /// <summary>The recurring job id shown on the dashboard (PostgreSQL only).</summary>
    public const string RecurringJobId = "requeue-orphans";

    /// <summary>Requeues dead hosts' jobs; the result says how many.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)]
    public string Run()
    {
        var requeued = OrphanedJobs.Requeue(storage, client, OrphanedJobs.ServerName, onlyDeadServers: true);
        return requeued.Count == 0 ? "no job of a stopped host" : $"{requeued.Count} job(s) of a stopped host enqueued again: {string.Join(", ", requeued)}";
    }
}
