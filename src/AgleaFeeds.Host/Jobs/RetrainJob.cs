using AgleaFeeds.Scoring;
using Hangfire;

namespace AgleaFeeds.Host.Jobs;

/// <summary>The recurring retrain (daily by default, and on demand from the dashboard's Recurring Jobs).</summary>
public sealed class RetrainJob(ModelRetrainer retrainer)
{
    /// <summary>The recurring job id shown on the dashboard.</summary>
    public const string RecurringJobId = "retrain-model";

    /// <summary>Retrains and promotes if not worse; the job's result says what happened.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<string> RunAsync(CancellationToken ct) => (await retrainer.RetrainAsync(ct).ConfigureAwait(false)).Message;
}
