namespace AgleaFeeds.Model;

/// <summary>A comment on a post, keyed by its WordPress comment id where it has one.</summary>
public sealed record Comment
{
    public long Id { get; init; }
    public long PostId { get; init; }
    public required string Key { get; init; }
    public long? WordPressId { get; init; }
    /// <summary>The parent comment's id in the store (from the page's nesting), null for a top-level comment.</summary>
    public long? ParentId { get; init; }
    /// <summary>The thread depth, 1 for a top-level comment.</summary>
    public int? Depth { get; init; }
    public string? AvatarUrl { get; init; }
    /// <summary>"comment", "pingback" or "trackback".</summary>
    public string Type { get; init; } = "comment";
    /// <summary>The comment page it was seen on, when the blog pages its comments.</summary>
    public int? CommentPage { get; init; }
    /// <summary>When a complete scrape of the post no longer found it: removed (or unapproved) by the blog.</summary>
    public DateTimeOffset? RemovedAt { get; init; }

    /// <summary>When the store saw the content change after it first stored it (an edit on the blog).</summary>
    public DateTimeOffset? EditedAt { get; init; }

    /// <summary>When the store last changed what the feeds show of the comment (content, status, removal).</summary>
    public DateTimeOffset? ChangedAt { get; init; }
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

    /// <summary>What only the blog's moderators see (read with an application password): e-mail, IP, user agent.</summary>
    public string? AuthorEmail { get; init; }

    public string? AuthorIp { get; init; }

    public string? UserAgent { get; init; }

    /// <summary>The status on the blog as last read with the blog's credentials ("approved", "hold", "spam", "trash"); null when only read publicly.</summary>
    public string? BlogStatus { get; init; }

    /// <summary>Where pushing this comment's decision to the blog stands, when one was pushed or is to be.</summary>
    public BlogSync? Sync { get; init; }

    public DateTimeOffset FirstSeenAt { get; init; }
    public DateTimeOffset LastSeenAt { get; init; }
}

/// <summary>A decision's way to the blog: State "pending", "pushed", "failed" or "conflict"; the WordPress status wanted; the last answer or reason; when.</summary>
public sealed record BlogSync(string State, string Wanted, string? Note, DateTimeOffset? At);
