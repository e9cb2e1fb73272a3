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
    /// <summary>What the post page said (the scraper): title, author, full content, times, categories, tags.</summary>
    public string? PageTitle { get; init; }
    public string? PageAuthor { get; init; }
    public string? PageContentHtml { get; init; }
    public DateTimeOffset? PagePublishedAt { get; init; }
    public DateTimeOffset? PageModifiedAt { get; init; }
    public IReadOnlyList<string> PageCategories { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>The comment count the page heading announced ("4 thoughts on …").</summary>
    public int? PageCommentCount { get; init; }
    /// <summary>Whether a moderator hid the post from the curated feeds.</summary>
    public bool Hidden { get; init; }

    /// <summary>Media attached to the post (podcasts), republished as link rel="enclosure".</summary>
    public IReadOnlyList<Parsing.Enclosure> Enclosures { get; init; } = [];

    /// <summary>The post's WordPress id, where a source told it.</summary>
    public long? WordPressId { get; init; }

    /// <summary>When the store saw the content change after it first stored it (an edit on the blog).</summary>
    public DateTimeOffset? EditedAt { get; init; }

    /// <summary>When the store last changed what the feeds show of the post.</summary>
    public DateTimeOffset? ChangedAt { get; init; }

    /// <summary>How many comments the store holds for the post.</summary>
    public int CommentCount { get; init; }
    public DateTimeOffset? ScrapedAt { get; init; }
    /// <summary>Why the last scrape failed ("Scraping: …"), shown on the dashboard; null after a success.</summary>
    public string? ScrapeError { get; init; }
    public string? ScrapeOutcome { get; init; }
    public DateTimeOffset FirstSeenAt { get; init; }
    public DateTimeOffset LastSeenAt { get; init; }
}
