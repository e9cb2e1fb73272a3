using AgleaFeeds.Polling;
using Hangfire;

namespace AgleaFeeds.Host.Jobs;

/// <summary>Polls one batch of sources by id; each outcome is recorded on its source.</summary>
public sealed class PollBatchJob(PollBatchRunner runner, IBackgroundJobClient jobs)
{
    /// <summary>
    /// Polls the sources the scheduler's <paramref name="claim"/> still holds; a retry is left to the leases, which
    /// make the sources due again (and a job that runs again after its host died polls nothing another host took).
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task<string> RunAsync(long[] sourceIds, string claim, CancellationToken ct)
    {
        var results = await runner.RunAsync(sourceIds, claim, ct).ConfigureAwait(false);
        var failed = results.Count(r => r.Error is not null);
        // New or changed posts (content or announced comment count) get their pages scraped.
        ScrapeBatchJob.Enqueue(jobs, results.SelectMany(r => r.ChangedPostIds));
        if (results.Sum(r => r.NewComments + r.RescoredComments) > 0)
        {
            jobs.Enqueue<ScoreJob>(job => job.RunAsync(CancellationToken.None));
        }
        var elsewhere = sourceIds.Length - results.Count;
        return $"{results.Count} source(s) polled{(elsewhere > 0 ? $" ({elsewhere} polled or taken by another worker meanwhile)" : string.Empty)}, {failed} failed, {results.Sum(r => r.NewPosts)} new post(s), {results.Sum(r => r.NewComments)} new comment(s)";
    }
}
