namespace AgleaFeeds.Model;

/// <summary>A blog that AgleaFeeds polls, with its polling state.</summary>
public sealed record Source
{
    public long Id { get; init; }
    public required string Title { get; init; }
    public string? SiteUrl { get; init; }
    public required string FeedUrl { get; init; }
    /// <summary>The site-wide comments feed, when the blog has one (WordPress: /comments/feed/).</summary>
    public string? CommentsFeedUrl { get; init; }
    public TimeSpan PollInterval { get; init; }
    public string? ETag { get; init; }
    public string? LastModified { get; init; }
    public DateTimeOffset? LastPolledAt { get; init; }
    public DateTimeOffset? LastSuccessAt { get; init; }
    public DateTimeOffset NextPollAt { get; init; }
    public int ErrorCount { get; init; }
    public string? LastError { get; init; }
    /// <summary>A one-line outcome of the last poll ("3 new posts, 2 new comments", "not modified").</summary>
    public string? LastOutcome { get; init; }
    /// <summary>The feed's own update hint (sy:updatePeriod/Frequency, RSS ttl) as last read.</summary>
    public TimeSpan? FeedInterval { get; init; }

    /// <summary>Why the next poll is when it is ("the feed asks for hourly updates", "backoff after 3 errors").</summary>
    public string? ScheduleReason { get; init; }

    /// <summary>Gets the host that polled the source last (or polls it now): its name, as on the dashboard's Servers page.</summary>
    public string? PolledBy { get; init; }

    /// <summary>The blog's WordPress REST API root (e.g. https://blog.example/wp-json/), once discovered.</summary>
    public string? ApiRoot { get; init; }

    /// <summary>When every post of the blog was last read (the API's or the paged feeds' last page); null until the first full read.</summary>
    public DateTimeOffset? BackfilledAt { get; init; }

    /// <summary>The API's comment total (X-WP-Total) the last poll saw.</summary>
    public int? ApiCommentTotal { get; init; }

    /// <summary>The API's post total (X-WP-Total) the last poll saw.</summary>
    public int? ApiPostTotal { get; init; }

    /// <summary>When a poll last read the API without error.</summary>
    public DateTimeOffset? ApiSyncedAt { get; init; }

    public int PostCount { get; init; }
    public int CommentCount { get; init; }
}
