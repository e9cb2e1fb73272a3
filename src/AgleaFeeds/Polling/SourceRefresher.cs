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
        IReadOnlyList<PostChange> changes = [];
        if (fetch.Outcome == FetchOutcome.Ok)
        {
            var parsed = FeedParser.Parse(fetch.Body, fetch.Charset);
            warnings.AddRange(parsed.Problems);
            if (parsed.Feed is null)
            {
                return await FailAsync(source, now, interval, parsed.Error!, null, newFeedUrl, ct).ConfigureAwait(false);
            }

            feed = parsed.Feed;
            var posts = FeedMapping.ToPosts(feed, warnings);
            changes = await store.UpsertPostsAsync(source.Id, posts, now, ct).ConfigureAwait(false);
        }

        var commentsFeedUrl = source.CommentsFeedUrl
            ?? (feed?.IsWordPress == true ? FeedMapping.SiteCommentsFeed(newFeedUrl ?? source.FeedUrl) : null);
        var newComments = 0;
        if (commentsFeedUrl is not null)
        {
            newComments += await ReadCommentFeedAsync(source.Id, commentsFeedUrl, "comments-feed", null, warnings, ct).ConfigureAwait(false);
        }

        if (_options.ReadPostCommentFeeds)
        {
            foreach (var change in changes.Where(c => (c.IsNew || c.CommentCountChanged) && c.CommentFeedUrl is not null))
            {
                newComments += await ReadCommentFeedAsync(source.Id, change.CommentFeedUrl!, "post-feed", (change.Link ?? change.Key, change.Guid), warnings, ct).ConfigureAwait(false);
            }
        }

        var result = new PollResult
        {
            SourceId = source.Id,
            Title = source.Title,
            NotModified = fetch.Outcome == FetchOutcome.NotModified,
            NewPosts = changes.Count(c => c.IsNew),
            ChangedPosts = changes.Count(c => !c.IsNew && (c.ContentChanged || c.CommentCountChanged)),
            NewComments = newComments,
            ChangedPostIds = changes.Where(c => c.IsNew || c.ContentChanged || c.CommentCountChanged).Select(c => c.PostId).ToList(),
            Warnings = warnings,
            NextPollAt = PollSchedule.AfterSuccess(now, interval, fetch.FreshFor, feed?.UpdateInterval, _options),
        };
        await store.SavePollStateAsync(new SourcePollState
        {
            SourceId = source.Id,
            PolledAt = now,
            NextPollAt = result.NextPollAt,
            Succeeded = true,
            ETag = fetch.ETag,
            LastModified = fetch.LastModified,
            NewFeedUrl = newFeedUrl,
            CommentsFeedUrl = commentsFeedUrl,
            SiteUrl = feed?.SiteUrl,
            ErrorCount = 0,
            Error = warnings.Count > 0 ? string.Join(Environment.NewLine, warnings) : null,
            Outcome = result.Summary,
        }, ct).ConfigureAwait(false);
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
        LogPollFailed(logger, source.Id, errorCount, error, result.NextPollAt);
        return result;
    }

    private async Task<int> ReadCommentFeedAsync(long sourceId, string url, string seenIn, (string? Link, string? Guid)? post, List<string> warnings, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            warnings.Add($"Fetching: ignored the comment feed URL \"{url}\": not an absolute URL.");
            return 0;
        }

        var validators = await store.GetValidatorsAsync(sourceId, url, ct).ConfigureAwait(false);
        var fetch = await fetcher.FetchAsync(new FetchRequest(uri, validators?.ETag, validators?.LastModified), ct).ConfigureAwait(false);
        if (fetch.Outcome == FetchOutcome.NotModified)
        {
            return 0;
        }

        if (!fetch.IsSuccess)
        {
            warnings.Add($"{seenIn} {url}: {fetch.Error}");
            return 0;
        }

        var parsed = FeedParser.Parse(fetch.Body, fetch.Charset);
        if (parsed.Feed is null)
        {
            warnings.Add($"{seenIn} {url}: {parsed.Error}");
            return 0;
        }

        var comments = FeedMapping.ToComments(parsed.Feed, seenIn, post?.Link, post?.Guid);
        var added = await store.UpsertCommentsAsync(sourceId, comments, time.GetUtcNow(), ct).ConfigureAwait(false);
        // Validators only after the comments are stored: a crash in between refetches rather than loses them.
        await store.SaveValidatorsAsync(sourceId, url, new HttpValidators(fetch.ETag, fetch.LastModified), time.GetUtcNow(), ct).ConfigureAwait(false);
        return added;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Polled source {SourceId}: {Outcome}")]
    private static partial void LogPolled(ILogger logger, long sourceId, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Poll of source {SourceId} failed ({ErrorCount} in a row): {Error}; next poll at {NextPollAt}")]
    private static partial void LogPollFailed(ILogger logger, long sourceId, int errorCount, string error, DateTimeOffset nextPollAt);
}
