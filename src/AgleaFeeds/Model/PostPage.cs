namespace AgleaFeeds.Model;

/// <summary>What a post's page shows: the whole post and the comments of one comment page.</summary>
public sealed record PostPage
{
    public string? Title { get; init; }
    public string? Author { get; init; }
    public string? ContentHtml { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset? ModifiedAt { get; init; }
    public IReadOnlyList<string> Categories { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>The count in the comments heading ("4 thoughts on …", "One reply on …").</summary>
    public int? AnnouncedCommentCount { get; init; }
    /// <summary>The comments in page order, threads flattened, each with its parent's WordPress id.</summary>
    public IReadOnlyList<PageComment> Comments { get; init; } = [];
    /// <summary>Whether the page has a comment list at all (a post with comments closed and none has not).</summary>
    public bool HasCommentList { get; init; }
    /// <summary>The comment page this is (from /comment-page-N/ or the current page marker), when paged.</summary>
    public int? CommentPage { get; init; }
    /// <summary>Links to the other comment pages, absolute.</summary>
    public IReadOnlyList<Uri> CommentPageLinks { get; init; } = [];
    /// <summary>The post's WordPress id, from the shortlink (?p=N) or the body's postid-N class.</summary>
    public long? WordPressId { get; init; }
    /// <summary>The page's canonical URL (link rel="canonical"), absolute.</summary>
    public Uri? CanonicalUrl { get; init; }
    /// <summary>Whether the page has WordPress's comment form (#respond): comments are open and shown here.</summary>
    public bool HasCommentForm { get; init; }
}

/// <summary>One comment as the page shows it.</summary>
public sealed record PageComment
{
    public required long WordPressId { get; init; }
    public long? ParentWordPressId { get; init; }
    public int Depth { get; init; } = 1;
    public string? Author { get; init; }
    public string? AuthorUrl { get; init; }
    public string? AvatarUrl { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public string? Permalink { get; init; }
    public string? ContentHtml { get; init; }
    public string? ContentText { get; init; }
    /// <summary>"comment", "pingback" or "trackback".</summary>
    public string Type { get; init; } = "comment";
    /// <summary>The page shows "Your comment is awaiting moderation." for it.</summary>
    public bool AwaitingModeration { get; init; }
    public int? CommentPage { get; init; }
}
