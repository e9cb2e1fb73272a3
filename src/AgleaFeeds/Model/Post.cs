namespace AgleaFeeds.Model;

/// <summary>A blog post as stored: what the feed said of it.</summary>
public sealed record Post
{
    public long Id { get; init; }
    public long SourceId { get; init; }
    /// <summary>The natural key within the source: the guid, else the link, else a content hash.</summary>
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
    /// <summary>The comment count the feed announced (slash:comments).</summary>
    public int? FeedCommentCount { get; init; }
    public DateTimeOffset FirstSeenAt { get; init; }
    public DateTimeOffset LastSeenAt { get; init; }
}
