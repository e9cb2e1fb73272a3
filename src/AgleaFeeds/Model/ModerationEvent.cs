namespace AgleaFeeds.Model;

/// <summary>One change of a comment's status: who made it, when, and why.</summary>
public sealed record ModerationEvent
{
    public long Id { get; init; }
    public long CommentId { get; init; }
    public DateTimeOffset At { get; init; }
    /// <summary>"system", a model version ("model:3") or a moderator's name.</summary>
    public required string Actor { get; init; }
    public CommentStatus? From { get; init; }
    public CommentStatus To { get; init; }
    public double? Score { get; init; }
    public string? Reasons { get; init; }
}
