using AgleaFeeds.Polling;
using Hangfire;

namespace AgleaFeeds.Host.Jobs;

/// <summary>Polls one batch of sources by id; each outcome is recorded on its source.</summary>
public sealed class PollBatchJob(PollBatchRunner runner, IBackgroundJobClient jobs)
{
    /// <summary>Polls the sources; a retry is left to the leases, which make the sources due again.</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task<string> RunAsync(long[] sourceIds, CancellationToken ct)
    {
        var results = await runner.RunAsync(sourceIds, ct).ConfigureAwait(false);
        var failed = results.Count(r => r.Error is not null);
        // New or changed posts (content or announced comment count) get their pages scraped.
        ScrapeBatchJob.Enqueue(jobs, results.SelectMany(r => r.ChangedPostIds));
        if (results.Sum(r => r.NewComments + r.RescoredComments) > 0)
        {
            jobs.Enqueue<ScoreJob>(job => job.RunAsync(CancellationToken.None));
        }
        return $"{results.Count} source(s) polled, {failed} failed, {results.Sum(r => r.NewPosts)} new post(s), {results.Sum(r => r.NewComments)} new comment(s)";
    }
}
