using AgleaFeeds.Model;

namespace AgleaFeeds.Storage;

/// <summary>A source to add: what an OPML outline or a moderator gives; no interval means Polling:DefaultInterval.</summary>
public sealed record SourceDefinition(string Title, string FeedUrl, string? SiteUrl = null, TimeSpan? PollInterval = null);

/// <summary>What a poll leaves on its source: validators, schedule, and the outcome or error.</summary>
public sealed record SourcePollState
{
    public required long SourceId { get; init; }
    public required DateTimeOffset PolledAt { get; init; }
    public required DateTimeOffset NextPollAt { get; init; }
    public bool Succeeded { get; init; }
    public string? ETag { get; init; }
    public string? LastModified { get; init; }
    /// <summary>The new feed URL after a permanent redirect.</summary>
    public string? NewFeedUrl { get; init; }
    public string? CommentsFeedUrl { get; init; }
    public string? SiteUrl { get; init; }
    /// <summary>The blog's REST API root, once discovered.</summary>
    public string? ApiRoot { get; init; }
    /// <summary>Set when this poll read every post of the blog (the API's or the paged feeds' last page).</summary>
    public bool Backfilled { get; init; }
    /// <summary>The API's comment total (X-WP-Total) this poll saw, or null to keep the stored one.</summary>
    public int? ApiCommentTotal { get; init; }
    /// <summary>The API's post total (X-WP-Total) this poll saw, or null to keep the stored one.</summary>
    public int? ApiPostTotal { get; init; }
    /// <summary>Set when this poll read the API without error.</summary>
    public bool ApiSynced { get; init; }
    public int ErrorCount { get; init; }
    public string? Error { get; init; }
    public string? Outcome { get; init; }
    /// <summary>The feed's own update hint this poll read, or null to keep the stored one (a 304 carries none).</summary>
    public TimeSpan? FeedInterval { get; init; }
    /// <summary>Why the next poll is at <see cref="NextPollAt"/> ("the feed asks for hourly updates").</summary>
    public string? ScheduleReason { get; init; }
}

/// <summary>A post as a poll saw it, keyed within its source.</summary>
public sealed record PostUpsert
{
    public required string Key { get; init; }
    public string? Guid { get; init; }
    public string? Link { get; init; }
    public string? Title { get; init; }
    public string? Author { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public IReadOnlyList<string> Categories { get; init; } = [];
    public string? SummaryHtml { get; init; }
    public string? ContentHtml { get; init; }
    public string? CommentsUrl { get; init; }
    public string? CommentFeedUrl { get; init; }
    public int? FeedCommentCount { get; init; }
    /// <summary>The post's WordPress id, where the source tells it (the REST API).</summary>
    public long? WordPressId { get; init; }
    /// <summary>How good this view of the content is: 1 a feed, 2 the page, 3 the REST API; a lower one never replaces a higher one.</summary>
    public int ContentRank { get; init; } = ContentRanks.Feed;
    /// <summary>Media attached to the post (podcasts).</summary>
    public IReadOnlyList<Parsing.Enclosure> Enclosures { get; init; } = [];
}

/// <summary>Where content came from, from least to most faithful: a better view replaces a worse one, never the reverse.</summary>
public static class ContentRanks
{
    public const int Feed = 1;
    public const int Page = 2;
    public const int Api = 3;
}

/// <summary>What an upsert did to one post.</summary>
public sealed record PostChange(long PostId, string Key, string? Link, string? Guid, bool IsNew, bool ContentChanged, bool CommentCountChanged, string? CommentFeedUrl);

/// <summary>A comment as a feed or page showed it; the store finds its post by guid, then link.</summary>
public sealed record CommentUpsert
{
    /// <summary>The post's guid (WordPress comment guids are the post guid plus "#comment-N").</summary>
    public string? PostGuid { get; init; }
    /// <summary>The post's permalink (the comment link without its fragment).</summary>
    public required string PostLink { get; init; }
    /// <summary>A title for the post when the store has never seen it ("Comment on {title} by …").</summary>
    public string? PostTitle { get; init; }
    public required string Key { get; init; }
    public long? WordPressId { get; init; }
    public string? Guid { get; init; }
    public string? Link { get; init; }
    public string? Author { get; init; }
    public string? AuthorUrl { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public string? ContentHtml { get; init; }
    public string? ContentText { get; init; }
    public required string SeenIn { get; init; }
    /// <summary>The WordPress id of the post, where the source tells it (the REST API): found by it first.</summary>
    public long? PostWordPressId { get; init; }
    /// <summary>The WordPress id of the comment replied to, where the source tells it.</summary>
    public long? ParentWordPressId { get; init; }
    /// <summary>comment, pingback or trackback, where the source tells it.</summary>
    public string? Type { get; init; }
    /// <summary>How good this view of the content is (<see cref="ContentRanks"/>).</summary>
    public int ContentRank { get; init; } = ContentRanks.Feed;

    /// <summary>The author's e-mail, IP and user agent: what only the blog's moderators see (the API with context=edit).</summary>
    public string? AuthorEmail { get; init; }

    public string? AuthorIp { get; init; }

    public string? UserAgent { get; init; }

    /// <summary>The comment's status on the blog ("approved", "hold", "spam", "trash") when read with a moderator's credentials.</summary>
    public string? BlogStatus { get; init; }
}

/// <summary>The validators stored for a secondary URL.</summary>
public sealed record HttpValidators(string? ETag, string? LastModified);

/// <summary>What a poll reads before it fetches (<see cref="IFeedStore.GetPollStartAsync"/>).</summary>
public sealed record PollStart(Source Source, IReadOnlyDictionary<string, HttpValidators> Validators, IReadOnlyList<long> Recheck);

/// <summary>Everything one successful poll stores.</summary>
public sealed record PollWrite(
    long SourceId,
    DateTimeOffset At,
    IReadOnlyList<PostUpsert> Posts,
    IReadOnlyList<CommentUpsert> Comments,
    IReadOnlyList<(string Url, HttpValidators Validators)> Validators)
{
    /// <summary>
    /// The WordPress ids of every comment (type comment) the blog publishes now, when the poll read that
    /// authoritative list (the REST API): every other stored comment of that type is marked removed.
    /// </summary>
    public IReadOnlySet<long>? PublishedCommentIds { get; init; }

    /// <summary>
    /// The WordPress ids of every post the blog publishes now, when the poll read that list: every other
    /// stored post with a WordPress id is hidden as no longer published (hidden_by "blog"), until it returns.
    /// </summary>
    public IReadOnlySet<long>? PublishedPostIds { get; init; }

    /// <summary>Whether the write stores nothing but the poll's outcome on its source (every feed answered 304).</summary>
    public bool IsOutcomeOnly => Posts.Count == 0 && Comments.Count == 0 && Validators.Count == 0 && PublishedCommentIds is null && PublishedPostIds is null;
}

/// <summary>What a poll's write did.</summary>
public sealed record PollWriteResult(IReadOnlyList<PostChange> PostChanges, int NewComments)
{
    /// <summary>The posts that got new comments (to scrape for threads and authors when no better source had them).</summary>
    public IReadOnlyList<long> PostsWithNewComments { get; init; } = [];

    /// <summary>How many comments the blog no longer publishes were marked removed, and how many came back.</summary>
    public int Removed { get; init; }
    public int Restored { get; init; }

    /// <summary>Comments whose words changed after scoring judged them: they wait to be scored again.</summary>
    public int Rescored { get; init; }
}

/// <summary>Everything one scrape of a post stores.</summary>
public sealed record ScrapeWrite
{
    public required long PostId { get; init; }
    public required DateTimeOffset At { get; init; }
    /// <summary>The post as its first page showed it; null when the scrape failed or the page was not modified.</summary>
    public PostPage? Page { get; init; }
    /// <summary>The comments of every comment page read, each once.</summary>
    public IReadOnlyList<PageComment> Comments { get; init; } = [];
    /// <summary>Whether every comment page was read: only then can an absent comment be marked removed.</summary>
    public bool Complete { get; init; }
    public string? Error { get; init; }
    /// <summary>The one-line outcome stored on the post, made from what the write did.</summary>
    public required Func<ScrapeWriteResult, string> Outcome { get; init; }
    public IReadOnlyList<(string Url, HttpValidators Validators)> Validators { get; init; } = [];
}

/// <summary>What a scrape's write did.</summary>
public sealed record ScrapeWriteResult(int NewComments, int Removed, int Restored)
{
    /// <summary>Comments whose words changed after scoring judged them: they wait to be scored again.</summary>
    public int Rescored { get; init; }
}

/// <summary>A comment waiting for a verdict, with what the rules need to know of its author and post.</summary>
public sealed record ScoringCandidate
{
    public long CommentId { get; init; }
    public long PostId { get; init; }
    public string? Author { get; init; }
    public string? AuthorUrl { get; init; }
    /// <summary>The author's e-mail, IP and user agent, where the blog's credentials read them.</summary>
    public string? AuthorEmail { get; init; }
    public string? AuthorIp { get; init; }
    public string? UserAgent { get; init; }
    public string? ContentHtml { get; init; }
    public bool AuthorPreviouslyApproved { get; init; }
    public bool DuplicateOnPost { get; init; }
    public TimeSpan? SincePreviousByAuthor { get; init; }
    /// <summary>The hosts of the comment's blog (site, feed, post): links there are not evidence.</summary>
    public IReadOnlyList<string> OwnHosts { get; init; } = [];
}

/// <summary>A verdict to record: status, score and reasons, by whom.</summary>
public sealed record VerdictWrite(long CommentId, Model.CommentStatus Status, double? Score, string Reasons, string Actor);

/// <summary>A post as the curated feeds publish it.</summary>
public sealed record FeedPost(Model.Post Post, int ApprovedComments);

/// <summary>An approved comment as the curated feeds publish it, with its post and parent.</summary>
public sealed record FeedComment(Model.Comment Comment, long PostId, string? PostTitle, string? PostLink, string? PostGuid, string? ParentLink, string? ParentGuid, long? ParentId)
{
    public string? PostAuthor { get; init; }
    public IReadOnlyList<string> PostCategories { get; init; } = [];
}

/// <summary>A comment as the moderation queue shows it: with its post, parent and latest verdict.</summary>
public sealed record ModerationItem(Model.Comment Comment, string? PostTitle, string? PostLink, string? ParentAuthor, string? ParentText, double? Score, string? Reasons);

/// <summary>What the moderation queue shows: a status, newest or highest score first, narrowed by source, post, text and reason.</summary>
public sealed record ModerationQuery(Model.CommentStatus Status, bool HighestScoreFirst = false, string? Search = null, string? Reason = null, long? SourceId = null, long? PostId = null);
