using AgleaFeeds.Model;
using AgleaFeeds.Storage;

namespace AgleaFeeds.Moderation;

/// <summary>What a moderator's decision came to.</summary>
public enum DecisionOutcome
{
    Applied,
    UnknownComment,
    /// <summary>Someone decided first: the comment is no longer in the status the moderator saw.</summary>
    Conflict,
}

/// <summary>
/// The comment status state machine for moderators: Pending → Approved | Spam | Rejected, any decided
/// status can be moved again (Restore goes back to Pending). A decision names the status the moderator
/// saw, so a decision taken meanwhile by someone else is reported, never silently overwritten. Each
/// change is a moderation event, and a label for learning.
/// </summary>
public sealed class ModerationService(IFeedStore store, TimeProvider time)
{
    /// <summary>Moves a comment from <paramref name="seen"/> to <paramref name="to"/>.</summary>
    public async Task<(DecisionOutcome Outcome, CommentStatus? Current)> DecideAsync(long commentId, CommentStatus seen, CommentStatus to, string moderator, CancellationToken ct)
    {
        var comment = await store.GetCommentAsync(commentId, ct).ConfigureAwait(false);
        if (comment is null)
        {
            return (DecisionOutcome.UnknownComment, null);
        }

        if (comment.Status != seen)
        {
            return (DecisionOutcome.Conflict, comment.Status);
        }

        // The status is checked again inside the write: two moderators deciding at once cannot both win.
        if (!await store.RecordDecisionAsync(commentId, to, moderator, null, time.GetUtcNow(), ct, expected: seen).ConfigureAwait(false))
        {
            return (DecisionOutcome.Conflict, (await store.GetCommentAsync(commentId, ct).ConfigureAwait(false))?.Status);
        }

        return (DecisionOutcome.Applied, to);
    }
}
