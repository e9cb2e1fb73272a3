namespace AgleaFeeds.Parsing;

/// <summary>The outcome of parsing: a feed, or an error saying why there is none, plus what was recovered from.</summary>
public sealed record ParseResult
{
    public ParsedFeed? Feed { get; init; }
    /// <summary>Why the document could not be read at all ("Parsing: …").</summary>
    public string? Error { get; init; }
    /// <summary>Damage the parser repaired or tolerated, one line each.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    public bool IsSuccess => Feed is not null;
}
