namespace AgleaFeeds.Storage;

/// <summary>A source's connection to its WordPress: the API, the user, the password as ciphertext, and how it went last.</summary>
public sealed record BlogConnection
{
    public long SourceId { get; init; }
    public required string ApiRoot { get; init; }
    public required string User { get; init; }
    /// <summary>The application password, protected (never the password itself).</summary>
    public required string Secret { get; init; }
    /// <summary>"dashboard" (the Connect form) or "configuration" (Sources:WordPress).</summary>
    public required string Origin { get; init; }
    public bool PushVerdicts { get; init; }
    public DateTimeOffset ConnectedAt { get; init; }
    public required string ConnectedBy { get; init; }
    public DateTimeOffset? CheckedAt { get; init; }
    public string? CheckError { get; init; }
    public DateTimeOffset? HistoryAt { get; init; }
    public int HistoryCount { get; init; }
}

/// <summary>A decision waiting to be pushed to the blog: the WordPress status wanted and the one last read there.</summary>
public sealed record BlogPush(long CommentId, long SourceId, long WordPressId, string Wanted, string? LastRead, string DecidedBy, int Attempts);

/// <summary>One push to the blog as the audit shows it: when, whose decision, what was wanted, and the blog's answer.</summary>
public sealed record BlogPushRecord(DateTimeOffset At, string DecidedBy, string Wanted, string Outcome, string? Answer);

/// <summary>What one push attempt came to.</summary>
public enum PushOutcome
{
    /// <summary>The blog has the wanted status now.</summary>
    Pushed,

    /// <summary>It failed and will be tried again at the given time.</summary>
    Retry,

    /// <summary>It failed and will not be tried again by itself.</summary>
    Failed,

    /// <summary>The comment changed on the blog since it was read: the blog's state wins, here too.</summary>
    Conflict,
}

/// <summary>
/// Two-way moderation's part of the store: connections, what the blog's moderators see, the decisions to push
/// and the record of each push. A moderator's decision on a comment of a connected source is queued for pushing
/// in the same transaction as the decision (and so is an automatic verdict where the source pushes verdicts).
/// </summary>
public interface IBlogSyncStore
{
    /// <summary>Saves (or replaces) a source's connection.</summary>
    Task SaveConnectionAsync(BlogConnection connection, CancellationToken ct);

    /// <summary>Gets a source's connection, or null.</summary>
    Task<BlogConnection?> GetConnectionAsync(long sourceId, CancellationToken ct);

    /// <summary>Lists every connection.</summary>
    Task<IReadOnlyList<BlogConnection>> ListConnectionsAsync(CancellationToken ct);

    /// <summary>Forgets a source's connection (nothing is pushed for it any more); false when there was none.</summary>
    Task<bool> RemoveConnectionAsync(long sourceId, CancellationToken ct);

    /// <summary>Turns the pushing of automatic verdicts on or off for a source; false when it is not connected.</summary>
    Task<bool> SetPushVerdictsAsync(long sourceId, bool push, CancellationToken ct);

    /// <summary>Records the outcome of using the connection (a check or a read): null error when all was well.</summary>
    Task RecordConnectionCheckAsync(long sourceId, DateTimeOffset now, string? error, CancellationToken ct);

    /// <summary>Records the import of the blog's history: how many of its decisions became labels.</summary>
    Task RecordHistoryImportAsync(long sourceId, int count, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Stores comments read with a moderator's credentials (their <see cref="CommentUpsert.BlogStatus"/> set), and
    /// lets the blog's status win where no push of this service's decision is under way: held there → waiting here
    /// (never published), spam there → spam here, approved there → approved here, each change an event by
    /// "wordpress". With <paramref name="asLabels"/> (the history import) an approved or spam comment whose status
    /// already agrees gets such an event too: the blog's decision as a label. Returns how many were new and changed.
    /// </summary>
    Task<(int Added, int Changed)> SaveBlogCommentsAsync(long sourceId, IReadOnlyList<CommentUpsert> comments, bool asLabels, DateTimeOffset now, CancellationToken ct);

    /// <summary>Gets the WordPress ids of a source's comments last read as held on the blog.</summary>
    Task<IReadOnlySet<long>> ListHeldOnBlogAsync(long sourceId, CancellationToken ct);

    /// <summary>
    /// Records the status on the blog of a source's comment with that WordPress id, as asked one by one (null and gone:
    /// deleted there); the blog's status wins as in <see cref="SaveBlogCommentsAsync"/>. Returns how many comments it touched.
    /// </summary>
    Task<int> ApplyBlogStatusAsync(long sourceId, long wordPressId, string? blogStatus, bool gone, DateTimeOffset now, CancellationToken ct);

    /// <summary>Lists pushes due now, oldest first.</summary>
    Task<IReadOnlyList<BlogPush>> ListDuePushesAsync(DateTimeOffset now, int max, CancellationToken ct);

    /// <summary>When the next push is due, or null when none waits.</summary>
    Task<DateTimeOffset?> NextPushAtAsync(CancellationToken ct);

    /// <summary>
    /// Records a push attempt and its answer: Pushed (the blog's status is the wanted one), Retry (at
    /// <paramref name="retryAt"/>), Failed, or Conflict (the blog's status <paramref name="blogStatus"/> wins: the
    /// comment moves to it here, recorded as an event by "wordpress"). A push whose decision was replaced meanwhile
    /// by a newer one changes nothing but the audit.
    /// </summary>
    Task RecordPushAsync(BlogPush push, PushOutcome outcome, string? answer, string? blogStatus, DateTimeOffset? retryAt, DateTimeOffset now, CancellationToken ct);

    /// <summary>Queues a failed or conflicting comment's current decision to be pushed again now (a moderator's "push again"); false when there is nothing to push.</summary>
    Task<bool> RetryPushAsync(long commentId, string moderator, DateTimeOffset now, CancellationToken ct);

    /// <summary>Lists a comment's pushes, oldest first.</summary>
    Task<IReadOnlyList<BlogPushRecord>> ListPushesAsync(long commentId, CancellationToken ct);

    /// <summary>How many labels came from the blogs' own decisions (the history import and decisions taken in wp-admin).</summary>
    Task<int> CountBlogLabelsAsync(CancellationToken ct);
}
