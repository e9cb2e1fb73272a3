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
    /// <summary>Comments the page showed with other words than scoring judged: to be scored again.</summary>
    public int Rescored { get; init; }
    /// <summary>Why the page could not be scraped ("Fetching: …", "Scraping: …"), recorded on the post.</summary>
    public string? Error { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public required string Outcome { get; init; }
}

/// <summary>A post page and its comment pages as read, before anything is stored.</summary>
public sealed record PostRead
{
    public bool NotModified { get; init; }
    /// <summary>The post as its first page shows it; null when it could not be read.</summary>
    public Model.PostPage? Page { get; init; }
    public IReadOnlyList<Model.PageComment> Comments { get; init; } = [];
    public int Pages { get; init; }
    /// <summary>Whether every comment page was read and the comment list found.</summary>
    public bool Complete { get; init; }
    public string? Error { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public IReadOnlyList<(string Url, Storage.HttpValidators Validators)> Validators { get; init; } = [];
}
