namespace AgleaFeeds.Scraping;

/// <summary>What one scrape of one post did.</summary>
public sealed record ScrapeResult
{
    public required long PostId { get; init; }
    public bool NotModified { get; init; }
    public int Pages { get; init; }
    public int Comments { get; init; }
    public int NewComments { get; init; }
    public int Removed { get; init; }
    /// <summary>Why the page could not be scraped ("Fetching: …", "Scraping: …"), recorded on the post.</summary>
    public string? Error { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public required string Outcome { get; init; }
}
