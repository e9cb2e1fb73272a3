namespace AgleaFeeds.Model;

/// <summary>Where a comment stands in moderation; subscribers see <see cref="Approved"/> only.</summary>
public enum CommentStatus
{
    Pending,
    Approved,
    Spam,
    Rejected,
}
