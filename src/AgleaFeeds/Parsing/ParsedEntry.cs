namespace AgleaFeeds.Parsing;

/// <summary>One item or entry of a feed, in the shared shape.</summary>
public sealed record ParsedEntry
{
    public string? Guid { get; init; }
    public string? Link { get; init; }
    public string? Title { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public string? Author { get; init; }
    public string? SummaryHtml { get; init; }
    public string? ContentHtml { get; init; }
    public IReadOnlyList<string> Categories { get; init; } = [];
    /// <summary>The page holding the comments (RSS comments element).</summary>
    public string? CommentsUrl { get; init; }
    /// <summary>The entry's own comment feed (wfw:commentRss).</summary>
    public string? CommentFeedUrl { get; init; }
    /// <summary>The comment count the feed announced (slash:comments, thr:total).</summary>
    public int? CommentCount { get; init; }
    /// <summary>Media attached to the entry (podcasts): RSS enclosure, Atom link rel="enclosure".</summary>
    public IReadOnlyList<Enclosure> Enclosures { get; init; } = [];
}

/// <summary>A file attached to an entry: its URL, media type and length in bytes, as the feed gave them.</summary>
public sealed record Enclosure(string Url, string? Type, long? Length);
