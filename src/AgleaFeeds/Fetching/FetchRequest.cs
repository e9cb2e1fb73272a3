namespace AgleaFeeds.Fetching;

/// <summary>A conditional GET: the URL and the validators stored from the last response.</summary>
public sealed record FetchRequest(Uri Url, string? ETag = null, string? LastModified = null);
