namespace AgleaFeeds.Model;

/// <summary>A comment on a post, keyed by its WordPress comment id where it has one.</summary>
public sealed record Comment
{
    public long Id { get; init; }
    public long PostId { get; init; }
    public required string Key { get; init; }
    public long? WordPressId { get; init; }
    public long? ParentId { get; init; }
    public string? Guid { get; init; }
    public string? Link { get; init; }
    public string? Author { get; init; }
    public string? AuthorUrl { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public string? ContentHtml { get; init; }
    public string? ContentText { get; init; }
    /// <summary>Where the comment was seen first: "comments-feed", "post-feed" or "page".</summary>
    public string? SeenIn { get; init; }
    public CommentStatus Status { get; init; }
    public DateTimeOffset FirstSeenAt { get; init; }
    public DateTimeOffset LastSeenAt { get; init; }
}
