using AgleaFeeds.Scraping;
using Hangfire;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Host.Jobs;

/// <summary>Scrapes a batch of posts by id; each outcome is recorded on its post. Politeness per host is the scraper's.</summary>
public sealed class ScrapeBatchJob(PostScraper scraper, IOptions<ScrapingOptions> options, IBackgroundJobClient jobs)
{
    /// <summary>How many posts one batch job scrapes at most.</summary>
    public const int BatchSize = 100;

    /// <summary>Scrapes the posts; a post that fails is recorded on the post and the others go on.</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task<string> RunAsync(long[] postIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(postIds);
        if (!options.Value.Enabled)
        {
            return "scraping is disabled (Scraping:Enabled)";
        }

        var results = new ScrapeResult?[postIds.Length];
        // Across hosts in parallel; the throttle keeps each host to its own limit.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct };
        await Parallel.ForEachAsync(Enumerable.Range(0, postIds.Length), parallel, async (i, token) =>
        {
            try
            {
                results[i] = await scraper.ScrapeAsync(postIds[i], token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
            {
                // One post's crash is recorded on that post; the other posts of the batch are still scraped.
                results[i] = await scraper.RecordCrashAsync(postIds[i], ex, token).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        var done = results.OfType<ScrapeResult>().ToList();
        if (done.Sum(r => r.NewComments + r.Rescored) > 0)
        {
            jobs.Enqueue<ScoreJob>(job => job.RunAsync(CancellationToken.None));
        }

        return $"{done.Count} post(s) scraped, {done.Count(r => r.Error is not null)} failed, {done.Sum(r => r.NewComments)} new comment(s), {done.Sum(r => r.Removed)} removed";
    }

    /// <summary>Enqueues scrapes of the posts in batches.</summary>
    public static void Enqueue(IBackgroundJobClient jobs, IEnumerable<long> postIds)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        foreach (var chunk in postIds.Chunk(BatchSize))
        {
            jobs.Enqueue<ScrapeBatchJob>(job => job.RunAsync(chunk, CancellationToken.None));
        }
    }
}
