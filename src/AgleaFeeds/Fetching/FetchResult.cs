namespace AgleaFeeds.Fetching;

/// <summary>What a fetch came to.</summary>
public enum FetchOutcome
{
    /// <summary>A 2xx response with a body.</summary>
    Ok,

    /// <summary>A 304: nothing changed since the validators were stored.</summary>
    NotModified,

    /// <summary>An HTTP error, a network failure, a timeout or a limit exceeded.</summary>
    Failed,
}

/// <summary>The result of one fetch; expected failures are values, not exceptions.</summary>
public sealed record FetchResult
{
    public required FetchOutcome Outcome { get; init; }
    public required Uri RequestedUrl { get; init; }
    /// <summary>The URL the body came from after redirects.</summary>
    public Uri? FinalUrl { get; init; }
    /// <summary>Set when every redirect followed was permanent (301, 308): the new address of the resource.</summary>
    public Uri? PermanentUrl { get; init; }
    public int? StatusCode { get; init; }
    public byte[] Body { get; init; } = [];
    public string? ContentType { get; init; }
    public string? Charset { get; init; }
    public string? ETag { get; init; }
    public string? LastModified { get; init; }
    /// <summary>How long the server says the response stays fresh (Cache-Control max-age, else Expires).</summary>
    public TimeSpan? FreshFor { get; init; }
    /// <summary>The wait a 429 or 503 asked for (Retry-After).</summary>
    public TimeSpan? RetryAfter { get; init; }
    /// <summary>Why the fetch failed, starting with the stage ("Fetching: …").</summary>
    public string? Error { get; init; }
    /// <summary>The response headers the pipeline reads besides the validators: Link, X-WP-Total, X-WP-TotalPages.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public bool IsSuccess => Outcome != FetchOutcome.Failed;

    /// <summary>The body in a pooled buffer, between the fetch and the reader it is handed to (FeedFetcher only).</summary>
    internal byte[]? Rented { get; set; }

    internal int RentedLength { get; init; }
}
