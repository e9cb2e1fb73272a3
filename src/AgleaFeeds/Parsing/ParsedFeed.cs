namespace AgleaFeeds.Parsing;

/// <summary>A feed as AgleaFeeds read it, in the shared shape every format reader adapts to.</summary>
public sealed record ParsedFeed
{
    /// <summary>"RSS 2.0", "RSS 0.92", "RSS 1.0", "Atom 1.0" or "Atom 0.3".</summary>
    public required string Format { get; init; }
    public string? Title { get; init; }
    public string? SiteUrl { get; init; }
    public string? Generator { get; init; }
    /// <summary>How long the feed says it stays fresh: RSS ttl, else sy:updatePeriod / sy:updateFrequency.</summary>
    public TimeSpan? UpdateInterval { get; init; }
    public IReadOnlyList<ParsedEntry> Entries { get; init; } = [];

    /// <summary>Whether WordPress made the feed (generator or WordPress-only elements).</summary>
    public bool IsWordPress =>
        Generator?.Contains("wordpress", StringComparison.OrdinalIgnoreCase) == true
        || Entries.Any(e => e.CommentFeedUrl is not null);
}
