using AgleaFeeds.Scoring;
using AgleaFeeds.Storage;
using Hangfire;
using Hangfire.Storage;

namespace AgleaFeeds.Host.Jobs;

/// <summary>Judges every comment still waiting for a verdict; enqueued by polls and scrapes that store new comments.</summary>
public sealed class ScoreJob(CommentScorer scorer, IBackgroundJobClient jobs, IBlogSyncStore sync, IFeedStore store, JobStorage storage)
{
    /// <summary>The distributed lock one scoring run holds, on whichever host (Hangfire's storage).</summary>
    public const string LockName = "agleafeeds:score";

    /// <summary>
    /// Scores in batches of 500 until none is left. One run at a time across hosts, and a run never waits for
    /// another: while one scores (it takes every comment stored meanwhile too), another returns at once instead of
    /// holding a worker that polls need. After letting go of the lock the run looks once more, so a comment
    /// stored just as it finished is scored by a run enqueued then.
    /// </summary>
    [AutomaticRetry(Attempts = 3)]
    public async Task<string> RunAsync(CancellationToken ct)
    {
        IReadOnlyDictionary<Model.CommentStatus, int> counts;
        using (var connection = storage.GetConnection())
        {
            IDisposable held;
            try
            {
                held = connection.AcquireDistributedLock(LockName, TimeSpan.Zero);
            }
            catch (Exception ex) when (ex is DistributedLockTimeoutException or Hangfire.PostgreSql.PostgreSqlDistributedLockException)
            {
                // Taken by another run (SQLite's storage and PostgreSQL's each say so with their own exception).
                return "another scoring run is in progress: it scores these comments too";
            }

            using (held)
            {
                counts = await scorer.ScorePendingAsync(500, ct).ConfigureAwait(false);
            }
        }

        if ((await store.ListUnscoredCommentsAsync(1, ct).ConfigureAwait(false)).Count > 0)
        {
            jobs.Enqueue<ScoreJob>(job => job.RunAsync(CancellationToken.None));
        }

        if (counts.Count > 0)
        {
            // Verdicts change what subscribers see: publish at once rather than at the next minute.
            PublishJob.EnqueueNow(jobs);
            // Where a source pushes automatic verdicts, they were queued with the verdicts.
            if (await sync.NextPushAtAsync(ct).ConfigureAwait(false) is not null)
            {
                BlogPushJob.EnqueueNow(jobs);
            }
        }

        return counts.Count == 0 ? "nothing to score" : string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Value} {c.Key.ToString().ToLowerInvariant()}"));
    }
}
