using AgleaFeeds.Scoring;
using Hangfire;

namespace AgleaFeeds.Host.Jobs;

/// <summary>Judges every comment still waiting for a verdict; enqueued by polls and scrapes that store new comments.</summary>
public sealed class ScoreJob(CommentScorer scorer, IBackgroundJobClient jobs, AgleaFeeds.Storage.IBlogSyncStore sync)
{
    /// <summary>Scores in batches of 500; idempotent, so a retry or a second server changes nothing.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 3)]
    public async Task<string> RunAsync(CancellationToken ct)
    {
        var counts = await scorer.ScorePendingAsync(500, ct).ConfigureAwait(false);
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
