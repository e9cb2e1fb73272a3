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
    WordPressApi api,
    IOptions<PollingOptions> options,
    TimeProvider time,
    Observability.PipelineMetrics metrics,
    ILogger<SourceRefresher> logger)
{
    private readonly PollingOptions _options = options.Value;

    /// <summary>Polls one source and records the outcome on it; null when the source does not exist.</summary>
    public Task<PollResult?> RefreshAsync(long sourceId, CancellationToken ct) => RefreshAsync(sourceId, null, ct);

    /// <summary>
    /// Polls one source as part of <paramref name="batch"/> (null: alone): its start read with the batch's, its outcome
    /// written with the batch's when the poll stored nothing else; null when the source does not exist.
    /// </summary>
    public async Task<PollResult?> RefreshAsync(long sourceId, PollBatchStore? batch, CancellationToken ct)
    {
        // The source, its feeds' validators and the posts to check again: one read before the fetches.
        var start = batch is not null
            ? await batch.GetStartAsync(sourceId, ct).ConfigureAwait(false)
            : await store.GetPollStartAsync(sourceId, _options.RecheckPostsPerPoll, ct).ConfigureAwait(false);
        if (start is null)
        {
            return null;
        }

        var source = start.Source;

        var now = time.GetUtcNow();
        var interval = _options.IntervalOf(source.PollInterval);
        var (fetch, parsed) = await FetchFeedAsync(new FetchRequest(new Uri(source.FeedUrl), source.ETag, source.LastModified), ct).ConfigureAwait(false);
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

        FeedHead? feed = null;
        IReadOnlyList<PostUpsert> posts = [];
        if (fetch.Outcome == FetchOutcome.Ok && parsed is not null)
        {
            warnings.AddRange(parsed.Problems);
            if (parsed.Feed is null)
            {
                return await FailAsync(source, now, interval, parsed.Error!, null, newFeedUrl, ct).ConfigureAwait(false);
            }

            posts = FeedMapping.ToPosts(parsed.Feed, warnings);
            // The rest of the poll needs only the feed's head: its entries (their raw content, now mapped to posts)
            // are not held while the comment feeds are read and the write waits its turn.
            feed = new FeedHead(parsed.Feed.SiteUrl, parsed.Feed.UpdateInterval, parsed.Feed.IsWordPress);
            parsed = null;
        }

        // Every post and comment the blog publishes: from its REST API where it offers one (discovered from
        // the feed's Link header), else the posts beyond the feed's first page from the paged feeds, once.
        var feedUri = new Uri(newFeedUrl ?? source.FeedUrl);
        var apiRoot = Uri.TryCreate(source.ApiRoot, UriKind.Absolute, out var knownRoot) ? knownRoot : WordPressApi.RootFrom(fetch, feedUri);
        ApiSync? synced = null;
        var backfilled = false;
        if (_options.UseWordPressApi && apiRoot is not null)
        {
            synced = await SyncApiAsync(source, apiRoot, warnings, ct).ConfigureAwait(false);
            var fromApi = synced.Posts.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            posts = [.. synced.Posts, .. posts.Where(p => !fromApi.Contains(p.Key))];
            backfilled = synced.Backfilled;
        }

        // Without the API, or where it refuses to answer (disabled by a plugin, behind a login): the paged feeds.
        if ((synced is null || synced.Error is not null) && source.BackfilledAt is null && feed?.IsWordPress == true)
        {
            (var older, backfilled) = await ReadPagedFeedsAsync(feedUri, posts, warnings, ct).ConfigureAwait(false);
            posts = [.. posts, .. older];
        }

        // Comment feeds to read: the site's (it has the newest comments of every post, pingbacks too) and,
        // without the API, the own feed of each post that is new or whose announced comment count changed.
        var commentFeeds = new List<(string Url, string SeenIn, PostUpsert? Post)>();
        var commentsFeedUrl = source.CommentsFeedUrl
            ?? (feed?.IsWordPress == true ? FeedMapping.SiteCommentsFeed(newFeedUrl ?? source.FeedUrl) : null);
        if (commentsFeedUrl is not null)
        {
            commentFeeds.Add((commentsFeedUrl, "comments-feed", null));
        }

        if (_options.ReadPostCommentFeeds && posts.Count > 0 && (synced is null || synced.Error is not null))
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
            var stored = start.Validators;
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

            // The site feed's newest comments are in their posts' own feeds too (the same item, from the same
            // template): each is written once, from its first sighting (the site feed, which also names the post),
            // rather than inserted and then read back and compared in the same write. A first sync of 1,000 blogs
            // wrote 10,000 comments twice.
            comments = comments.DistinctBy(c => (c.PostLink, c.Key)).ToList();
        }

        if (synced is not null)
        {
            // The API's view of a comment is the better one: the feeds' copies of those comments are not written.
            var fromApi = synced.Comments.Select(c => c.WordPressId).OfType<long>().ToHashSet();
            comments = [.. synced.Comments, .. comments.Where(c => c.WordPressId is not { } id || !fromApi.Contains(id))];
        }

        // A slice of the older posts is read again each poll (rotating): removals and edits the feeds never announce.
        var recheck = start.Recheck;
        var notModified = fetch.Outcome == FetchOutcome.NotModified;
        // A 304 carries no feed: the hint the feed gave last time still holds.
        var feedInterval = feed is null ? source.FeedInterval : feed.UpdateInterval;
        var next = PollSchedule.AfterSuccess(now, interval, fetch.FreshFor, feedInterval, _options, ownInterval: source.PollInterval > TimeSpan.Zero);
        var nextPollAt = next.At;
        PollResult? result = null;
        SourcePollState Outcome(PollWriteResult write)
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
                RemovedComments = write.Removed,
                RescoredComments = write.Rescored,
                // Posts with new comments are scraped too: pingbacks, threads and authors the feeds do not carry.
                ChangedPostIds = changes.Where(c => c.IsNew || c.ContentChanged || c.CommentCountChanged).Select(c => c.PostId)
                    .Concat(write.PostsWithNewComments).Concat(recheck).Distinct().ToList(),
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
                ApiRoot = _options.UseWordPressApi ? apiRoot?.ToString() : null,
                Backfilled = backfilled,
                ApiCommentTotal = synced?.Total,
                ApiPostTotal = synced?.PostTotal,
                ApiSynced = synced is { Error: null },
                ErrorCount = 0,
                Error = warnings.Count > 0 ? string.Join(Environment.NewLine, warnings) : null,
                Outcome = result.Summary,
                FeedInterval = feed is null ? null : feed.UpdateInterval ?? TimeSpan.Zero,
                ScheduleReason = next.Reason,
            };
        }

        var pollWrite = new PollWrite(source.Id, now, posts, comments, validators) { PublishedCommentIds = synced?.Published, PublishedPostIds = synced?.PublishedPosts };
        if (batch is not null && pollWrite.IsOutcomeOnly)
        {
            // Nothing but the outcome to store: written with the batch's others.
            await batch.SaveOutcomeAsync(Outcome(new PollWriteResult([], 0)), ct).ConfigureAwait(false);
        }
        else
        {
            await store.SavePollAsync(pollWrite, Outcome, ct).ConfigureAwait(false);
        }

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
        var interval = _options.IntervalOf(source.PollInterval);
        return await FailAsync(source, time.GetUtcNow(), interval, $"Polling: unexpected {exception.GetType().Name}: {exception.Message}", null, null, ct).ConfigureAwait(false);
    }

    private async Task<PollResult> FailAsync(Source source, DateTimeOffset now, TimeSpan interval, string error, TimeSpan? retryAfter, string? newFeedUrl, CancellationToken ct)
    {
        var errorCount = source.ErrorCount + 1;
        var next = PollSchedule.AfterFailure(now, interval, errorCount, retryAfter, _options);
        var result = new PollResult
        {
            SourceId = source.Id,
            Title = source.Title,
            Error = error,
            NextPollAt = next.At,
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
            ScheduleReason = next.Reason,
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

        var (fetch, parsed) = await FetchFeedAsync(new FetchRequest(uri, stored?.ETag, stored?.LastModified), ct).ConfigureAwait(false);
        if (fetch.Outcome == FetchOutcome.NotModified)
        {
            return true;
        }

        if (!fetch.IsSuccess || parsed is null)
        {
            warnings.Add($"{seenIn} {url}: {fetch.Error}");
            return false;
        }

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

    /// <summary>
    /// Fetches a feed and parses a 2xx body while the fetcher holds it in a pooled buffer (the body is never kept);
    /// the parse is null for any other answer.
    /// </summary>
    private async Task<(FetchResult Fetch, ParseResult? Parsed)> FetchFeedAsync(FetchRequest request, CancellationToken ct)
    {
        ParseResult? parsed = null;
        var fetch = await fetcher.FetchAsync(request, (result, body) => parsed = FeedParser.Parse(body, result.Charset, result.FinalUrl ?? result.RequestedUrl), ct)
            .ConfigureAwait(false);
        return (fetch, parsed);
    }

    /// <summary>What a poll keeps of its posts feed once the entries are mapped to posts.</summary>
    private sealed record FeedHead(string? SiteUrl, TimeSpan? UpdateInterval, bool IsWordPress);

    /// <summary>What a poll read from the WordPress REST API.</summary>
    private sealed record ApiSync(IReadOnlyList<PostUpsert> Posts, IReadOnlyList<CommentUpsert> Comments, IReadOnlySet<long>? Published, int? Total, bool Backfilled, string? Error)
    {
        public IReadOnlySet<long>? PublishedPosts { get; init; }
        public int? PostTotal { get; init; }
    }

    /// <summary>
    /// Reads the blog's REST API: on the first sync every post and comment; after it the most recently
    /// modified posts and the newest comments, and the whole list of comment ids when the API's total is
    /// not the stored one plus the new comments seen (something was removed or came back). Failures are warnings.
    /// </summary>
    private async Task<ApiSync> SyncApiAsync(Source source, Uri root, List<string> warnings, CancellationToken ct)
    {
        var full = source.BackfilledAt is null;
        var max = _options.MaxBackfillPages;
        // After the first read: the posts modified since the last good read (an edit moves a post's modified
        // date, whatever its age) and the post total from a one-item page; the newest 100 comments, unfiltered,
        // so that an edit of any of them is seen too (comments carry no modified date), with their total.
        var posts = await api.ReadPostsAsync(root, full, max, full ? null : source.ApiSyncedAt, ct).ConfigureAwait(false);
        var (publishedPosts, postTotal) = await CheckPostsAsync(source, root, full, posts, warnings, ct).ConfigureAwait(false);
        var read = await api.ReadCommentsAsync(root, full, max, null, ct).ConfigureAwait(false);

        var error = posts.Error ?? read.Error;
        warnings.AddRange(new[] { posts.Error, posts.Warning, read.Error, read.Warning }.OfType<string>());
        var comments = read.Items.ToList();
        IReadOnlySet<long>? published = null;
        if (read.Error is not null)
        {
            return new ApiSync(posts.Items, comments, null, null, false, error);
        }

        if (full && read.Complete)
        {
            published = comments.Select(c => c.WordPressId).OfType<long>().ToHashSet();
        }
        else if (!full)
        {
            var stored = await store.GetPublishedCommentIdsAsync(source.Id, ct).ConfigureAwait(false);
            var unseen = comments.Count(c => c.WordPressId is { } id && !stored.Contains(id));
            if (source.ApiCommentTotal is not { } before || read.Total != before + unseen)
            {
                var ids = await api.ReadCommentIdsAsync(root, max * 10, ct).ConfigureAwait(false);
                if (ids.Error is not null || !ids.Complete)
                {
                    warnings.Add(ids.Error ?? "WordPress API: the list of comment ids was not read to its end; removals not checked.");
                    return new ApiSync(posts.Items, comments, null, null, false, ids.Error);
                }

                var known = comments.Select(c => c.WordPressId).OfType<long>().ToHashSet();
                var missing = ids.Items.Where(id => !stored.Contains(id) && !known.Contains(id)).ToList();
                var more = missing.Count > 0 ? await api.ReadCommentsByIdAsync(root, missing, ct).ConfigureAwait(false) : null;
                comments.AddRange(more?.Items ?? []);
                if (more?.Error is { } moreError)
                {
                    warnings.Add(moreError);
                    return new ApiSync(posts.Items, comments, null, null, false, moreError);
                }

                published = ids.Items.ToHashSet();
            }
        }

        // A first read cut short by the page limit still counts as done: the next polls read only what changed.
        return new ApiSync(posts.Items, comments, published, read.Total, full && error is null, error) { PublishedPosts = publishedPosts, PostTotal = postTotal };
    }

    /// <summary>
    /// The ids of every post the blog publishes, when this poll can tell: the whole first read, or the id list
    /// read because the API's post total is not the stored one plus the new posts seen (one was unpublished).
    /// </summary>
    private async Task<(IReadOnlySet<long>? Published, int? Total)> CheckPostsAsync(Source source, Uri root, bool full, ApiRead<PostUpsert> posts, List<string> warnings, CancellationToken ct)
    {
        if (posts.Error is not null)
        {
            return (null, null);
        }

        if (full)
        {
            return (posts.Complete ? posts.Items.Select(p => p.WordPressId).OfType<long>().ToHashSet() : null, posts.Total);
        }

        var count = await api.CountAsync(root, "wp/v2/posts", ct).ConfigureAwait(false);
        if (count.Error is not null)
        {
            warnings.Add(count.Error);
            return (null, null);
        }

        var stored = await store.GetPublishedPostIdsAsync(source.Id, ct).ConfigureAwait(false);
        var unseen = posts.Items.Count(p => p.WordPressId is { } id && !stored.Contains(id));
        if (source.ApiPostTotal is { } before && count.Total == before + unseen)
        {
            return (null, count.Total);
        }

        var ids = await api.ReadPostIdsAsync(root, _options.MaxBackfillPages * 10, ct).ConfigureAwait(false);
        if (ids.Error is not null || !ids.Complete)
        {
            warnings.Add(ids.Error ?? "WordPress API: the list of post ids was not read to its end; unpublished posts not checked.");
            return (null, null);
        }

        return (ids.Items.ToHashSet(), count.Total);
    }

    /// <summary>
    /// Reads the posts feed's further pages (?paged=2, 3, …) until the blog answers 404, an empty page or a
    /// page of posts already read (a blog that ignores the parameter), within Polling:MaxBackfillPages.
    /// </summary>
    private async Task<(List<PostUpsert> Posts, bool Complete)> ReadPagedFeedsAsync(Uri feedUrl, IReadOnlyList<PostUpsert> first, List<string> warnings, CancellationToken ct)
    {
        var posts = new List<PostUpsert>();
        var seen = first.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        for (var page = 2; page <= _options.MaxBackfillPages; page++)
        {
            var builder = new UriBuilder(feedUrl);
            builder.Query = (builder.Query.TrimStart('?') is { Length: > 0 } q ? q + "&" : string.Empty) + $"paged={page}";
            var (fetch, parsed) = await FetchFeedAsync(new FetchRequest(builder.Uri), ct).ConfigureAwait(false);
            if (fetch.StatusCode == 404)
            {
                return (posts, true);
            }

            if (parsed?.Feed is not { } feed)
            {
                warnings.Add($"Fetching: older posts at {builder.Uri} not read: {fetch.Error ?? parsed?.Error ?? "not modified"}");
                return (posts, false);
            }

            var more = FeedMapping.ToPosts(feed, warnings).Where(p => seen.Add(p.Key)).ToList();
            if (more.Count == 0)
            {
                return (posts, true);
            }

            posts.AddRange(more);
        }

        warnings.Add($"Fetching: stopped reading older posts after {_options.MaxBackfillPages} feed pages (limit Polling:MaxBackfillPages).");
        return (posts, true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Polled source {SourceId}: {Outcome}")]
    private static partial void LogPolled(ILogger logger, long sourceId, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Poll of source {SourceId} failed ({ErrorCount} in a row): {Error}; next poll at {NextPollAt}")]
    private static partial void LogPollFailed(ILogger logger, long sourceId, int errorCount, string error, DateTimeOffset nextPollAt);
}
