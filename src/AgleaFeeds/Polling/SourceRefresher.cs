using AgleaFeeds.Fetching;
using AgleaFeeds.Model;
using AgleaFeeds.Parsing;
using AgleaFeeds.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Polling;

/// <summary>
/// The one type that knows the order of a poll for one source: fetch the posts feed, parse, store
/// posts, then the site comments feed and the comment feeds of posts whose count changed; then
/// record the outcome and the next poll on the source. Expected failures end up on the source.
/// </summary>
public sealed partial class SourceRefresher(
    IFeedStore store,
    FeedFetcher fetcher,
    IOptions<PollingOptions> options,
    TimeProvider time,
    Observability.PipelineMetrics metrics,
    ILogger<SourceRefresher> logger)
{
    private readonly PollingOptions _options = options.Value;

    /// <summary>Polls one source and records the outcome on it; null when the source does not exist.</summary>
    public async Task<PollResult?> RefreshAsync(long sourceId, CancellationToken ct)
    {
        var source = await store.GetSourceAsync(sourceId, ct).ConfigureAwait(false);
        if (source is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var interval = source.PollInterval > TimeSpan.Zero ? source.PollInterval : _options.DefaultInterval;
        var fetch = await fetcher.FetchAsync(new FetchRequest(new Uri(source.FeedUrl), source.ETag, source.LastModified), ct).ConfigureAwait(false);
        if (!fetch.IsSuccess)
        {
            return await FailAsync(source, now, interval, fetch.Error!, fetch.RetryAfter, newFeedUrl: null, ct).ConfigureAwait(false);
        }

        var warnings = new List<string>();
        var newFeedUrl = fetch.PermanentUrl?.ToString();
        if (newFeedUrl is not null)
        {
            warnings.Add($"Fetching: the feed moved permanently to {newFeedUrl}; the source now uses it.");
        }

        ParsedFeed? feed = null;
        IReadOnlyList<PostUpsert> posts = [];
        if (fetch.Outcome == FetchOutcome.Ok)
        {
            var parsed = FeedParser.Parse(fetch.Body, fetch.Charset);
            warnings.AddRange(parsed.Problems);
            if (parsed.Feed is null)
            {
                return await FailAsync(source, now, interval, parsed.Error!, null, newFeedUrl, ct).ConfigureAwait(false);
            }

            feed = parsed.Feed;
            posts = FeedMapping.ToPosts(feed, warnings);
        }

        // Comment feeds to read: the site's (it has the newest comments of every post) and the own feed
        // of each post that is new or whose announced comment count changed.
        var commentFeeds = new List<(string Url, string SeenIn, PostUpsert? Post)>();
        var commentsFeedUrl = source.CommentsFeedUrl
            ?? (feed?.IsWordPress == true ? FeedMapping.SiteCommentsFeed(newFeedUrl ?? source.FeedUrl) : null);
        if (commentsFeedUrl is not null)
        {
            commentFeeds.Add((commentsFeedUrl, "comments-feed", null));
        }

        if (_options.ReadPostCommentFeeds && posts.Count > 0)
        {
            var known = await store.GetPostCommentCountsAsync(source.Id, ct).ConfigureAwait(false);
            foreach (var post in posts.Where(p => p.CommentFeedUrl is not null))
            {
                if (!known.TryGetValue(post.Key, out var count) || (post.FeedCommentCount is { } n && n != count))
                {
                    commentFeeds.Add((post.CommentFeedUrl!, "post-feed", post));
                }
            }
        }

        var comments = new List<CommentUpsert>();
        var validators = new List<(string Url, HttpValidators Validators)>();
        if (commentFeeds.Count > 0)
        {
            var stored = await store.GetValidatorsAsync(source.Id, ct).ConfigureAwait(false);
            var unread = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (url, seenIn, post) in commentFeeds)
            {
                if (!await ReadCommentFeedAsync(url, seenIn, post, stored.GetValueOrDefault(url), comments, validators, warnings, ct).ConfigureAwait(false) && post is not null)
                {
                    unread.Add(post.Key);
                }
            }

            // A post whose comment feed could not be read keeps its stored count (null leaves it as it
            // was), so the next poll sees the change again and reads the feed again: nothing is lost.
            if (unread.Count > 0)
            {
                posts = posts.Select(p => unread.Contains(p.Key) ? p with { FeedCommentCount = null } : p).ToList();
            }
        }

        var notModified = fetch.Outcome == FetchOutcome.NotModified;
        var nextPollAt = PollSchedule.AfterSuccess(now, interval, fetch.FreshFor, feed?.UpdateInterval, _options);
        PollResult? result = null;
        await store.SavePollAsync(new PollWrite(source.Id, now, posts, comments, validators), write =>
        {
            var changes = write.PostChanges;
            result = new PollResult
            {
                SourceId = source.Id,
                Title = source.Title,
                NotModified = notModified,
                NewPosts = changes.Count(c => c.IsNew),
                ChangedPosts = changes.Count(c => !c.IsNew && (c.ContentChanged || c.CommentCountChanged)),
                NewComments = write.NewComments,
                ChangedPostIds = changes.Where(c => c.IsNew || c.ContentChanged || c.CommentCountChanged).Select(c => c.PostId).ToList(),
                Warnings = warnings,
                NextPollAt = nextPollAt,
            };
            return new SourcePollState
            {
                SourceId = source.Id,
                PolledAt = now,
                NextPollAt = nextPollAt,
                Succeeded = true,
                ETag = fetch.ETag,
                LastModified = fetch.LastModified,
                NewFeedUrl = newFeedUrl,
                CommentsFeedUrl = commentsFeedUrl,
                SiteUrl = feed?.SiteUrl,
                ErrorCount = 0,
                Error = warnings.Count > 0 ? string.Join(Environment.NewLine, warnings) : null,
                Outcome = result.Summary,
            };
        }, ct).ConfigureAwait(false);
        metrics.Polled(result!.NotModified && result.NewComments == 0 ? "not_modified" : "ok");
        LogPolled(logger, source.Id, result.Summary);
        return result;
    }

    /// <summary>Records a failure that happened outside the expected paths (a bug or the infrastructure), so the source shows it.</summary>
    public async Task<PollResult> RecordCrashAsync(long sourceId, Exception exception, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var source = await store.GetSourceAsync(sourceId, ct).ConfigureAwait(false)
            ?? new Source { Id = sourceId, Title = $"#{sourceId}", FeedUrl = string.Empty };
        var interval = source.PollInterval > TimeSpan.Zero ? source.PollInterval : _options.DefaultInterval;
        return await FailAsync(source, time.GetUtcNow(), interval, $"Polling: unexpected {exception.GetType().Name}: {exception.Message}", null, null, ct).ConfigureAwait(false);
    }

    private async Task<PollResult> FailAsync(Source source, DateTimeOffset now, TimeSpan interval, string error, TimeSpan? retryAfter, string? newFeedUrl, CancellationToken ct)
    {
        var errorCount = source.ErrorCount + 1;
        var result = new PollResult
        {
            SourceId = source.Id,
            Title = source.Title,
            Error = error,
            NextPollAt = PollSchedule.AfterFailure(now, interval, errorCount, retryAfter, _options),
        };
        await store.SavePollStateAsync(new SourcePollState
        {
            SourceId = source.Id,
            PolledAt = now,
            NextPollAt = result.NextPollAt,
            Succeeded = false,
            NewFeedUrl = newFeedUrl,
            ErrorCount = errorCount,
            Error = error,
            Outcome = result.Summary,
        }, ct).ConfigureAwait(false);
        metrics.Polled("error");
        LogPollFailed(logger, source.Id, errorCount, error, result.NextPollAt);
        return result;
    }

    /// <summary>Reads one comment feed with conditional GET; what it holds joins the poll's write, a failure its warnings (and false).</summary>
    private async Task<bool> ReadCommentFeedAsync(
        string url,
        string seenIn,
        PostUpsert? post,
        HttpValidators? stored,
        List<CommentUpsert> comments,
        List<(string Url, HttpValidators Validators)> validators,
        List<string> warnings,
        CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            warnings.Add($"Fetching: ignored the comment feed URL \"{url}\": not an absolute URL.");
            return false;
        }

        var fetch = await fetcher.FetchAsync(new FetchRequest(uri, stored?.ETag, stored?.LastModified), ct).ConfigureAwait(false);
        if (fetch.Outcome == FetchOutcome.NotModified)
        {
            return true;
        }

        if (!fetch.IsSuccess)
        {
            warnings.Add($"{seenIn} {url}: {fetch.Error}");
            return false;
        }

        var parsed = FeedParser.Parse(fetch.Body, fetch.Charset);
        if (parsed.Feed is null)
        {
            warnings.Add($"{seenIn} {url}: {parsed.Error}");
            return false;
        }

        comments.AddRange(FeedMapping.ToComments(parsed.Feed, seenIn, post?.Link ?? post?.Key, post?.Guid));
        // Stored in the same transaction as the comments: a crash before the commit refetches rather than loses them.
        validators.Add((url, new HttpValidators(fetch.ETag, fetch.LastModified)));
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Polled source {SourceId}: {Outcome}")]
    private static partial void LogPolled(ILogger logger, long sourceId, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Poll of source {SourceId} failed ({ErrorCount} in a row): {Error}; next poll at {NextPollAt}")]
    private static partial void LogPollFailed(ILogger logger, long sourceId, int errorCount, string error, DateTimeOffset nextPollAt);
}
