using AgleaFeeds.Model;
using AgleaFeeds.Moderation;

namespace AgleaFeeds.Storage;

/// <summary>Two-way moderation's writes: decisions queued for the blog, the blog's status applied, pushes recorded.</summary>
internal sealed partial class WriteBatch
{
    /// <summary>The actor of a change the blog made (in wp-admin, or its history imported): a decision of the blog's moderators.</summary>
    internal const string BlogActor = "wordpress";

    /// <summary>Queues a comment's new status to be pushed to its blog, when its source is connected and the blog knows the comment.</summary>
    private void QueuePush(long commentId, CommentStatus status, string decidedBy)
    {
        using var queue = Plain(
            """
            UPDATE comments SET sync_state = 'pending', sync_wanted = @wanted, sync_by = @by, sync_attempts = 0, sync_next_at = @now,
                sync_note = NULL, sync_at = @now
            WHERE id = @id AND wp_comment_id IS NOT NULL
              AND EXISTS (SELECT 1 FROM posts p JOIN wordpress_connections w ON w.source_id = p.source_id WHERE p.id = comments.post_id)
            """,
            ("@id", commentId), ("@wanted", BlogStatuses.Of(status)), ("@by", decidedBy), ("@now", _at));
        queue.ExecuteNonQuery();
    }

    /// <summary>
    /// Records a comment's status on the blog as read with its credentials and lets the blog win where it decided
    /// since the last read (or the comment is new here); with <paramref name="asLabel"/> the blog's approved or spam
    /// becomes a label. A comment whose decision is on its way to the blog is left to the push (its conflict check).
    /// Returns whether the status here changed.
    /// </summary>
    public bool ApplyBlogStatus(long commentId, string? blogStatus, bool gone, bool isNew, bool asLabel)
    {
        string status;
        string? syncState, lastRead;
        bool moderatorDecided, labelled;
        using (var current = Plain(
            $"""
            SELECT status, sync_state, blog_status,
                EXISTS (SELECT 1 FROM moderation_events e WHERE e.comment_id = comments.id AND e.actor <> 'system' AND e.actor NOT LIKE 'scoring:%' AND e.actor <> '{BlogActor}'),
                EXISTS (SELECT 1 FROM moderation_events e WHERE e.comment_id = comments.id AND e.actor = '{BlogActor}')
            FROM comments WHERE id = @id
            """, ("@id", commentId)))
        using (var reader = current.ExecuteReader())
        {
            if (!reader.Read())
            {
                return false;
            }

            status = reader.GetString(0);
            syncState = reader.IsDBNull(1) ? null : reader.GetString(1);
            lastRead = reader.IsDBNull(2) ? null : reader.GetString(2);
            moderatorDecided = Flag(reader, 3);
            labelled = Flag(reader, 4);
        }

        if (syncState is "pending" or "failed")
        {
            return false;
        }

        if (gone)
        {
            using var remove = Plain(
                "UPDATE comments SET blog_status = 'deleted', removed_at = COALESCE(removed_at, @now), changed_at = @now WHERE id = @id",
                ("@id", commentId), ("@now", _at));
            remove.ExecuteNonQuery();
            return false;
        }

        using (var save = Plain(
            """
            UPDATE comments SET blog_status = @blog,
                removed_at = CASE WHEN @blog = 'trash' THEN COALESCE(removed_at, @now) ELSE NULL END,
                changed_at = CASE WHEN (removed_at IS NULL) <> (@blog <> 'trash') THEN @now ELSE changed_at END
            WHERE id = @id
            """, ("@id", commentId), ("@blog", blogStatus), ("@now", _at)))
        {
            save.ExecuteNonQuery();
        }

        if (BlogStatuses.ToStatus(blogStatus) is not { } target)
        {
            return false;
        }

        // Read publicly, a comment was approved on the blog: that is its last known status there.
        var changedOnBlog = (lastRead ?? BlogStatuses.Approved) != blogStatus;
        if (target.ToString() == status)
        {
            if (asLabel && !labelled && target is CommentStatus.Approved or CommentStatus.Spam)
            {
                RecordEvent(commentId, BlogActor, status, status, null, $"{blogStatus} on the blog: imported with the blog's history as a label");
            }

            return false;
        }

        if (!(changedOnBlog || isNew || (asLabel && !moderatorDecided)))
        {
            return false;
        }

        using (var update = Plain(
            "UPDATE comments SET status = @status, rescore = 0, changed_at = @now WHERE id = @id",
            ("@id", commentId), ("@status", target.ToString()), ("@now", _at)))
        {
            update.ExecuteNonQuery();
        }

        RecordEvent(commentId, BlogActor, status, target.ToString(), null, isNew ? $"{blogStatus} on the blog when first read"
            : asLabel && !changedOnBlog ? $"{blogStatus} on the blog: imported with the blog's history (the blog's moderators decided)"
            : $"{blogStatus} on the blog (was {lastRead ?? BlogStatuses.Approved} when last read): decided in wp-admin, the blog's state wins");
        return true;
    }

    /// <summary>The ids of a source's comments with a WordPress id.</summary>
    public List<long> CommentsOnBlog(long sourceId, long wordPressId)
    {
        using var find = Plain(
            "SELECT c.id FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.source_id = @source AND c.wp_comment_id = @wp",
            ("@source", sourceId), ("@wp", wordPressId));
        using var reader = find.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    /// <summary>Records one push attempt; see <see cref="IBlogSyncStore.RecordPushAsync"/>.</summary>
    public void RecordPush(BlogPush push, PushOutcome outcome, string? answer, string? blogStatus, long? retryAt)
    {
        using (var audit = Plain(
            "INSERT INTO blog_pushes (comment_id, at, decided_by, wanted, outcome, answer) VALUES (@id, @now, @by, @wanted, @outcome, @answer)",
            ("@id", push.CommentId), ("@now", _at), ("@by", push.DecidedBy), ("@wanted", push.Wanted), ("@outcome", outcome.ToString().ToLowerInvariant()), ("@answer", answer)))
        {
            audit.ExecuteNonQuery();
        }

        // A newer decision replaced the one pushed meanwhile: it has its own push queued.
        using (var current = Plain("SELECT 1 FROM comments WHERE id = @id AND sync_state = 'pending' AND sync_wanted = @wanted AND sync_by = @by",
            ("@id", push.CommentId), ("@wanted", push.Wanted), ("@by", push.DecidedBy)))
        {
            if (current.ExecuteScalar() is null)
            {
                return;
            }
        }

        var state = outcome switch
        {
            PushOutcome.Pushed => "pushed",
            PushOutcome.Retry => "pending",
            PushOutcome.Failed => "failed",
            _ => "conflict",
        };
        using (var update = Plain(
            """
            UPDATE comments SET sync_state = @state, sync_note = @answer, sync_at = @now, sync_attempts = sync_attempts + 1,
                sync_next_at = @next, blog_status = COALESCE(@blog, blog_status)
            WHERE id = @id
            """,
            ("@id", push.CommentId), ("@state", state), ("@answer", answer), ("@now", _at), ("@next", outcome == PushOutcome.Retry ? retryAt : null),
            ("@blog", outcome == PushOutcome.Pushed ? push.Wanted : outcome == PushOutcome.Conflict ? blogStatus : null)))
        {
            update.ExecuteNonQuery();
        }

        if (outcome != PushOutcome.Conflict)
        {
            return;
        }

        // The blog's state wins: the comment moves to it here, and the history says why.
        using var read = Plain("SELECT status FROM comments WHERE id = @id", ("@id", push.CommentId));
        var status = (string)read.ExecuteScalar()!;
        var target = blogStatus is null ? null : BlogStatuses.ToStatus(blogStatus);
        if (blogStatus is null)
        {
            using var remove = Plain("UPDATE comments SET blog_status = 'deleted', removed_at = COALESCE(removed_at, @now), changed_at = @now WHERE id = @id", ("@id", push.CommentId), ("@now", _at));
            remove.ExecuteNonQuery();
        }
        else if (target is { } t && t.ToString() != status)
        {
            using var update = Plain(
                "UPDATE comments SET status = @status, rescore = 0, changed_at = @now, removed_at = CASE WHEN @status = 'Rejected' THEN removed_at ELSE NULL END WHERE id = @id",
                ("@id", push.CommentId), ("@status", t.ToString()), ("@now", _at));
            update.ExecuteNonQuery();
            RecordEvent(push.CommentId, BlogActor, status, t.ToString(), null, $"conflict: {answer}");
        }
    }

    /// <summary>Queues a failed push again now, by the moderator who asked.</summary>
    public bool RetryPush(long commentId, string moderator)
    {
        using var retry = Plain(
            "UPDATE comments SET sync_state = 'pending', sync_attempts = 0, sync_next_at = @now, sync_by = @by, sync_at = @now WHERE id = @id AND sync_state = 'failed'",
            ("@id", commentId), ("@by", moderator), ("@now", _at));
        return retry.ExecuteNonQuery() == 1;
    }
}
