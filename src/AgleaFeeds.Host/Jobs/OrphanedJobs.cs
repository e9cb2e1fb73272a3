using Hangfire;
using Hangfire.States;

namespace AgleaFeeds.Host.Jobs;

/// <summary>
/// Jobs a killed process left "Processing". Hangfire's SQLite storage gives a fetched job back only
/// after its invisibility timeout (30 minutes), and runs on one process only: so at start, every job
/// processing on a server that is not this process's is an orphan, and is enqueued again at once.
/// A job that finished meanwhile refuses the change (its state is no longer Processing).
/// </summary>
internal static class OrphanedJobs
{
    /// <summary>Gets this process's Hangfire server name: unique per start, so our own jobs are told from a dead process's.</summary>
    public static string ServerName => AgleaFeeds.Polling.ThisHost.Name;

    /// <summary>
    /// Enqueues again every job processing on another server than <paramref name="serverName"/>; returns their ids.
    /// With <paramref name="onlyDeadServers"/> (several hosts on one PostgreSQL), only the jobs of servers that no
    /// longer report (not listed, or silent for a minute): another live host's work is its own.
    /// </summary>
    public static IReadOnlyList<string> Requeue(JobStorage storage, IBackgroundJobClient client, string serverName, bool onlyDeadServers = false)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(client);
        var requeued = new List<string>();
        var monitoring = storage.GetMonitoringApi();
        var alive = onlyDeadServers
            ? monitoring.Servers().Where(s => s.Heartbeat is { } beat && DateTime.UtcNow - beat < TimeSpan.FromMinutes(1)).Select(s => s.Name).ToHashSet(StringComparer.OrdinalIgnoreCase)
            : [];
        foreach (var (id, job) in monitoring.ProcessingJobs(0, 10_000))
        {
            if (job.ServerId is { } server && !server.StartsWith(serverName + ":", StringComparison.OrdinalIgnoreCase) && !alive.Contains(server)
                && client.ChangeState(id, new EnqueuedState { Reason = $"Its process ({server}) stopped without finishing it: enqueued again at start." }, ProcessingState.StateName))
            {
                requeued.Add(id);
            }
        }

        return requeued;
    }
}
