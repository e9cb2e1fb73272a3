using AgleaFeeds.Scraping;
using AgleaFeeds.Storage;
using Hangfire;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Host.Jobs;

/// <summary>The periodic re-scrape: comments keep coming to recent posts, and the comment feeds miss the older ones.</summary>
public sealed class RescrapeRecentJob(IFeedStore store, IBackgroundJobClient jobs, IOptions<ScrapingOptions> options, TimeProvider time)
{
    /// <summary>The recurring job id shown on the dashboard.</summary>
    public const string RecurringJobId = "rescrape-recent";

    /// <summary>Enqueues scrapes of every post younger than Scraping:RescrapeMaxAge; returns how many.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        if (!options.Value.Enabled)
        {
            return 0;
        }

        var ids = await store.ListRecentPostIdsAsync(time.GetUtcNow() - options.Value.RescrapeMaxAge, ct).ConfigureAwait(false);
        ScrapeBatchJob.Enqueue(jobs, ids);
        return ids.Count;
    }
}
