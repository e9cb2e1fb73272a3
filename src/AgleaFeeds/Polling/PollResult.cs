namespace AgleaFeeds.Polling;

/// <summary>What one poll of one source did; printed by poll-once and shown on the dashboard.</summary>
public sealed record PollResult
{
    public required long SourceId { get; init; }
    public required string Title { get; init; }
    public bool NotModified { get; init; }
    public int NewPosts { get; init; }
    public int ChangedPosts { get; init; }
    public int NewComments { get; init; }
    /// <summary>Comments the blog no longer publishes, marked removed by this poll.</summary>
    public int RemovedComments { get; init; }
    /// <summary>Comments whose words changed after scoring judged them: to be scored again.</summary>
    public int RescoredComments { get; init; }
    /// <summary>Posts that are new or whose content or comment count changed: the ones worth scraping.</summary>
    public IReadOnlyList<long> ChangedPostIds { get; init; } = [];
    /// <summary>Why the source's feed could not be polled ("Fetching: …", "Parsing: …").</summary>
    public string? Error { get; init; }
    /// <summary>Secondary failures (a comment feed) and repairs, one line each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public DateTimeOffset NextPollAt { get; init; }

    /// <summary>Gets the one-line summary stored as the source's last outcome.</summary>
    public string Summary => Error is not null
        ? $"error: {Error}"
        : NotModified && NewComments == 0 && RemovedComments == 0
            ? "not modified (304)"
            : $"{(NotModified ? "posts not modified (304)" : $"{NewPosts} new post(s), {ChangedPosts} changed")}, {NewComments} new comment(s)" + (RemovedComments > 0 ? $", {RemovedComments} removed" : string.Empty);
}
