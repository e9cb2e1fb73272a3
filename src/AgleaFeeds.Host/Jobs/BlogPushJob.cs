using AgleaFeeds.Moderation;
using Hangfire;

namespace AgleaFeeds.Host.Jobs;

/// <summary>
/// Pushes moderators' decisions (and, where a source opts in, automatic verdicts) to the blogs' WordPress:
/// enqueued right after a decision, scheduled again for the next retry, and run every minute as a safety net.
/// Idempotent: each comment's push asks the blog first, so a second run changes nothing.
/// </summary>
public sealed class BlogPushJob(BlogModeration blogs, IBackgroundJobClient jobs, TimeProvider time)
{
    public const string RecurringJobId = "wordpress-push";

    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<string> RunAsync(CancellationToken ct)
    {
        var run = await blogs.PushDueAsync(ct).ConfigureAwait(false);
        if (run.Pushed + run.Conflicts > 0)
        {
            PublishJob.EnqueueNow(jobs);
        }

        if (run.NextAt is { } next)
        {
            // The next retry, on time (the every-minute run is only the safety net).
            var wait = next - time.GetUtcNow();
            jobs.Schedule<BlogPushJob>(j => j.RunAsync(CancellationToken.None), wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1));
        }

        return run.ToString();
    }

    /// <summary>Pushes at once (a failed push a moderator asked to push again).</summary>
    public static void EnqueueNow(IBackgroundJobClient jobs) => jobs.Enqueue<BlogPushJob>(job => job.RunAsync(CancellationToken.None));

    /// <summary>
    /// After a moderator's decision: the static copies and the hub follow now (feed requests see it at once), and
    /// a decision on a connected blog's comment goes to the blog now (queued in the decision's own transaction).
    /// </summary>
    public static void AfterDecision(IBackgroundJobClient jobs)
    {
        PublishJob.EnqueueNow(jobs);
        EnqueueNow(jobs);
    }
}
