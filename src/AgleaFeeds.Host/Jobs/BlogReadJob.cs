using AgleaFeeds.Moderation;
using AgleaFeeds.Storage;
using Hangfire;

namespace AgleaFeeds.Host.Jobs;

/// <summary>
/// Reads what only the connected blogs' moderators see (held and spam comments, with e-mail, IP, user agent) into
/// the queue; on a new connection first imports the blog's history as labels. Recurring (WordPress:ReadCron),
/// and triggered on connecting.
/// </summary>
internal sealed class BlogReadJob(BlogModeration blogs, IBlogSyncStore sync, IFeedStore store, IBackgroundJobClient jobs, WordPress.ConfiguredBlogs configured)
{
    public const string RecurringJobId = "wordpress-read";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<string> RunAsync(CancellationToken ct)
    {
        var lines = new List<string>();
        var (added, changed) = (0, 0);
        if (await configured.ConnectAsync(ct).ConfigureAwait(false) is > 0 and var fromConfiguration)
        {
            lines.Add($"{fromConfiguration} source(s) connected from configuration");
        }

        foreach (var connection in await sync.ListConnectionsAsync(ct).ConfigureAwait(false))
        {
            // Only comments on the posts the blog publishes are kept: the first full read of its posts comes first.
            if (await store.GetSourceAsync(connection.SourceId, ct).ConfigureAwait(false) is not { LastSuccessAt: not null } source || (source.ApiRoot is not null && source.BackfilledAt is null))
            {
                lines.Add($"source {connection.SourceId}: waiting for its first complete poll");
                continue;
            }

            if (connection.HistoryAt is null)
            {
                var labels = await blogs.ImportHistoryAsync(connection, ct).ConfigureAwait(false);
                lines.Add($"source {connection.SourceId}: history imported ({labels} labels from the blogs' decisions)");
            }

            var read = await blogs.ReadAsync(connection, ct).ConfigureAwait(false);
            lines.Add(read.Error is { } error ? $"source {connection.SourceId}: {error}" : $"source {connection.SourceId}: {read.Added} new, {read.Changed} changed on the blog");
            added += read.Added;
            changed += read.Changed;
        }

        if (added > 0)
        {
            jobs.Enqueue<ScoreJob>(j => j.RunAsync(CancellationToken.None));
        }

        if (changed > 0)
        {
            PublishJob.EnqueueNow(jobs);
        }

        return lines.Count == 0 ? "no source is connected to its WordPress" : string.Join("; ", lines);
    }
}
