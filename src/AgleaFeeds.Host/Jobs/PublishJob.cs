using AgleaFeeds.Publishing;
using Hangfire;

namespace AgleaFeeds.Host.Jobs;

/// <summary>Writes static copies and pings the WebSub hub for the feeds that changed (every minute, and after scoring).</summary>
public sealed class PublishJob(FeedPublisher publisher)
{
    /// <summary>The recurring job id shown on the dashboard.</summary>
    public const string RecurringJobId = "publish-feeds";

    /// <summary>Publishes what changed; errors are in the result and retried on the next run.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<string> RunAsync(CancellationToken ct) => (await publisher.PublishAsync(ct).ConfigureAwait(false)).Summary;

    /// <summary>Publishes soon after a change (a decision, a removed source) instead of at the next minute.</summary>
    public static void EnqueueNow(IBackgroundJobClient jobs) => jobs.Enqueue<PublishJob>(job => job.RunAsync(CancellationToken.None));
}
