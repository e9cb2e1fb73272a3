using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgleaFeeds.Model;
using System.Data.Common;

namespace AgleaFeeds.Storage;

/// <summary>Moderation in a write: verdicts, moderators' decisions, the queue marked for a recheck, the trust and block lists.</summary>
internal sealed partial class WriteBatch
{
    /// <summary>Applies verdicts to comments still pending and unjudged; every verdict becomes an event either way.</summary>
    public int ApplyVerdicts(IReadOnlyList<VerdictWrite> verdicts)
    {
        var applied = 0;
        foreach (var v in verdicts)
        {
            using var current = Plain(
                """
                SELECT status,
                    EXISTS (SELECT 1 FROM moderation_events e WHERE e.comment_id = @id AND e.actor LIKE 'scoring:%' AND (e.actor <> 'scoring:none' OR @actor = 'scoring:none')),
                    rescore, blog_status,
                    (SELECT w.push_verdicts FROM posts p JOIN wordpress_connections w ON w.source_id = p.source_id WHERE p.id = comments.post_id)
                FROM comments WHERE id = @id
                """, ("@id", v.CommentId), ("@actor", v.Actor));
            string? status = null;
            var judged = false;
            var rescore = false;
            string? onBlog = null;
            var pushVerdicts = false;
            using (var reader = current.ExecuteReader())
            {
                if (reader.Read())
                {
                    status = reader.GetString(0);
                    judged = Flag(reader, 1);
                    rescore = Flag(reader, 2);
                    onBlog = reader.IsDBNull(3) ? null : reader.GetString(3);
                    pushVerdicts = !reader.IsDBNull(4) && Flag(reader, 4);
                }
            }

            // A second run (a retry, another server) or a moderator's earlier decision must not be overwritten;
            // "scoring:none" (no model) is recorded once and does not count as judged, so a model can judge later.
            if (status is null || (judged && !rescore))
            {
                continue;
            }

            // A comment the blog holds is published only once approved there: an automatic approval stays a
            // suggestion unless the operator lets this source's automatic verdicts reach the blog.
            var to = v.Status;
            var reasons = v.Reasons;
            if (onBlog == "hold" && to == CommentStatus.Approved && !pushVerdicts)
            {
                to = CommentStatus.Pending;
                reasons += "; held on the blog: a moderator approves it (this source does not push automatic verdicts)";
            }

            var apply = status == nameof(CommentStatus.Pending);
            if (apply)
            {
                using var update = Plain(
                    "UPDATE comments SET status = @status, rescore = 0, changed_at = CASE WHEN @status = 'Pending' THEN changed_at ELSE @now END WHERE id = @id",
                    ("@id", v.CommentId), ("@status", to.ToString()), ("@now", _at));
                update.ExecuteNonQuery();
                applied++;
                if (pushVerdicts && to is CommentStatus.Approved or CommentStatus.Spam)
                {
                    QueuePush(v.CommentId, to, v.Actor);
                }
            }

            RecordEvent(v.CommentId, v.Actor, status, apply ? to.ToString() : status, v.Score, apply ? reasons : $"{reasons}; not applied: already {status}");
        }

        return applied;
    }

    /// <summary>Marks the queue's comments no moderator has decided on to be scored again.</summary>
    public int MarkQueueForRecheck()
    {
        using var update = Plain(
            """
            UPDATE comments SET rescore = 1
            WHERE status = 'Pending' AND removed_at IS NULL AND rescore = 0
              AND NOT EXISTS (SELECT 1 FROM moderation_events e WHERE e.comment_id = comments.id AND e.actor <> 'system' AND e.actor NOT LIKE 'scoring:%')
            """);
        return update.ExecuteNonQuery();
    }

    /// <summary>Adds or replaces a trust/block entry.</summary>
    public void SetAuthorRule(AuthorRuleKind kind, string value, AuthorRuleAction action, string moderator)
    {
        using var upsert = Plain(
            $"""
            INSERT INTO author_rules (kind, value, action, created_by, created_at) VALUES (@kind, @value, @action, @by, @now)
            ON CONFLICT ({db.NoCaseKey("kind", "value")}) DO UPDATE SET action = excluded.action, created_by = excluded.created_by, created_at = excluded.created_at
            """,
            ("@kind", kind.ToString()), ("@value", value), ("@action", action.ToString()), ("@by", moderator), ("@now", _at));
        upsert.ExecuteNonQuery();
    }

    /// <summary>Removes a trust/block entry.</summary>
    public bool RemoveAuthorRule(long id)
    {
        using var delete = Plain("DELETE FROM author_rules WHERE id = @id", ("@id", id));
        return delete.ExecuteNonQuery() == 1;
    }

    /// <summary>Moves a comment to a moderator's decision and records the event.</summary>
    public bool RecordDecision(long commentId, CommentStatus status, string moderator, string? note, CommentStatus? expected)
    {
        using var current = Plain("SELECT status FROM comments WHERE id = @id", ("@id", commentId));
        if (current.ExecuteScalar() is not string from || (expected is { } e && from != e.ToString()))
        {
            return false;
        }

        using (var update = Plain("UPDATE comments SET status = @status, rescore = 0, changed_at = @now WHERE id = @id", ("@id", commentId), ("@status", status.ToString()), ("@now", _at)))
        {
            update.ExecuteNonQuery();
        }

        RecordEvent(commentId, moderator, from, status.ToString(), null, note);
        QueuePush(commentId, status, moderator);
        return true;
    }

    /// <summary>Records a change of a comment's status (or a verdict that left it): who, from, to, score, why.</summary>
    private void RecordEvent(long commentId, string actor, string? from, string to, double? score, string? reasons)
    {
        using var record = Plain(
            "INSERT INTO moderation_events (comment_id, at, actor, from_status, to_status, score, reasons) VALUES (@id, @now, @actor, @from, @to, @score, @reasons)",
            ("@id", commentId), ("@now", _at), ("@actor", actor), ("@from", from), ("@to", to), ("@score", score), ("@reasons", reasons));
        record.ExecuteNonQuery();
    }
}
