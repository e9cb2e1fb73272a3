using System.Security.Cryptography;
using System.Text;
using AgleaFeeds.Model;
using System.Data.Common;
using System.Runtime.InteropServices;

namespace AgleaFeeds.Storage;

/// <summary>Comments in a write: new and refreshed comments, replies linked to parents, comments the blog no longer publishes.</summary>
internal sealed partial class WriteBatch
{
    /// <summary>
    /// Inserts new comments as Pending with a creation event; refreshes known ones (content only from a
    /// view as good or better); links replies to their parents; returns how many were new and on which posts.
    /// </summary>
    public (int Added, IReadOnlyList<long> Posts, int Restored) UpsertComments(long sourceId, IReadOnlyList<CommentUpsert> comments, List<(long Id, bool New)>? stored = null)
    {
        var added = 0;
        var restored = 0;
        var posts = new HashSet<long>();
        var parents = new List<(long Id, long PostId, long ParentWordPressId)>();
        var created = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        foreach (var comment in comments)
        {
            var postId = FindOrCreatePost(sourceId, comment);
            var published = comment.PublishedAt?.ToUnixTimeMilliseconds();

            // Insert first: a new comment (the common case on a poll that finds any) costs one statement;
            // DO NOTHING returns no row for a known one, which is then compared and refreshed if edited.
            var insert = Command(
                ref _insertComment,
                $"""
                INSERT INTO comments (post_id, key, wp_comment_id, guid, link, author, author_url, published_at, content_html,
                                      content_text, seen_in, status, first_seen_at, last_seen_at, type, content_rank, changed_at)
                VALUES (@post, @key, @wp, COALESCE(@guid, (SELECT p.guid || '#comment-' || @wp FROM posts p WHERE p.id = @post AND @wp IS NOT NULL)),
                        @link, @author, @authorUrl, @published, @html, @text, @seenIn, @status, @now, @now, COALESCE(@type, 'comment'), @rank, @now)
                ON CONFLICT (post_id, key) DO NOTHING
                {db.ReturningId}
                """,
                "@post", "@key", "@wp", "@guid", "@link", "@author", "@authorUrl", "@published", "@html", "@text", "@seenIn", "@status", "@now", "@type", "@rank");
            Bind(insert, postId, comment.Key, comment.WordPressId, comment.Guid, comment.Link, comment.Author, comment.AuthorUrl, published,
                comment.ContentHtml, comment.ContentText, comment.SeenIn, nameof(CommentStatus.Pending), _at, comment.Type, comment.ContentRank);
            if (db.InsertedId(insert) is { } newId)
            {
                var reason = comment.BlogStatus is { } onBlog ? $"new comment from the {comment.SeenIn}, {onBlog} on the blog" : NewFrom(comment.SeenIn);
                (CollectionsMarshal.GetValueRefOrAddDefault(created, reason, out _) ??= []).Add(newId);
                added++;
                SaveModeratorFields(newId, comment);
                stored?.Add((newId, true));
                posts.Add(postId);
                if (comment.ParentWordPressId is { } p)
                {
                    parents.Add((newId, postId, p));
                }

                continue;
            }

            var find = Command(ref _findComment, "SELECT id FROM comments WHERE post_id = @post AND key = @key", "@post", "@key");
            Bind(find, postId, comment.Key);
            var id = (long)find.ExecuteScalar()!;
            restored += RefreshComment(id, comment.ContentHtml, comment.ContentText, comment.ContentRank, comment.Author, comment.AuthorUrl, published,
                comment.Guid, comment.Link, comment.Type) ? 1 : 0;
            SaveModeratorFields(id, comment);
            stored?.Add((id, false));
            if (comment.ParentWordPressId is { } parent)
            {
                parents.Add((id, postId, parent));
            }
        }

        // Each new comment's first event (its history starts there), one statement per reason rather than one per comment.
        foreach (var (reason, ids) in created)
        {
            var events = Command(
                ref _createdEvents,
                $"""
                INSERT INTO moderation_events (comment_id, at, actor, from_status, to_status, reasons)
                SELECT c.id, @now, 'system', NULL, @status, @reason FROM comments c WHERE c.id IN ({db.IdsOf("@ids")}) ORDER BY c.id
                """,
                "@ids", "@now", "@status", "@reason");
            Bind(events, StoreDatabase.IdArray(ids), _at, nameof(CommentStatus.Pending), reason);
            events.ExecuteNonQuery();
        }

        // Parents last: a reply can come before its parent in a feed or a page of the API, or its parent may
        // only be stored later (by a scrape): the parent's WordPress id waits on the reply until then.
        foreach (var (id, _, parentWordPressId) in parents)
        {
            var remember = Command(ref _linkParent, "UPDATE comments SET parent_wp_id = @parent WHERE id = @id", "@id", "@parent");
            Bind(remember, id, parentWordPressId);
            remember.ExecuteNonQuery();
        }

        foreach (var postId in parents.Select(p => p.PostId).Distinct())
        {
            LinkParents(postId);
        }

        return (added, posts.ToList(), restored);
    }

    /// <summary>The first event's reason of a comment new from where it was seen (the few places, each string made once).</summary>
    private static string NewFrom(string seenIn) => NewFromReasons.GetOrAdd(seenIn, static s => $"new comment from the {s}");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> NewFromReasons = new(StringComparer.Ordinal);

    /// <summary>Keeps what only the blog's moderators see, and the status on the blog, when the view carried them.</summary>
    private void SaveModeratorFields(long id, CommentUpsert comment)
    {
        if (comment.BlogStatus is null && comment.AuthorEmail is null && comment.AuthorIp is null && comment.UserAgent is null)
        {
            return;
        }

        var save = Command(
            ref _saveModeratorFields,
            """
            UPDATE comments SET author_email = COALESCE(@email, author_email), author_ip = COALESCE(@ip, author_ip),
                user_agent = COALESCE(@agent, user_agent), blog_status = COALESCE(@blog, blog_status)
            WHERE id = @id
            """,
            "@id", "@email", "@ip", "@agent", "@blog");
        Bind(save, id, comment.AuthorEmail, comment.AuthorIp, comment.UserAgent, comment.BlogStatus);
        save.ExecuteNonQuery();
    }

    /// <summary>Links the replies of a post to their parents once both are stored.</summary>
    private void LinkParents(long postId)
    {
        var link = Command(
            ref _linkParents,
            """
            UPDATE comments SET parent_id = (SELECT p.id FROM comments p WHERE p.post_id = comments.post_id AND p.wp_comment_id = comments.parent_wp_id ORDER BY p.id LIMIT 1)
            WHERE post_id = @post AND parent_wp_id IS NOT NULL
              AND EXISTS (SELECT 1 FROM comments p WHERE p.post_id = comments.post_id AND p.wp_comment_id = comments.parent_wp_id)
            """,
            "@post");
        Bind(link, postId);
        link.ExecuteNonQuery();
    }

    /// <summary>
    /// Refreshes a known comment from a new view of it: details fill gaps; the content is replaced only by a
    /// view as good or better, and when its text changed the comment is scored again (unless a moderator
    /// decided it); a page or API sighting brings a removed comment back. Returns whether it came back.
    /// </summary>
    private bool RefreshComment(long id, string? html, string? text, int rank, string? author, string? authorUrl, long? published, string? guid, string? link, string? type)
    {
        var current = Command(
            ref _commentState,
            """
            SELECT content_html, content_text, content_rank, removed_at IS NOT NULL, status,
                   (SELECT e.actor FROM moderation_events e WHERE e.comment_id = comments.id ORDER BY e.id DESC LIMIT 1)
            FROM comments WHERE id = @id
            """,
            "@id");
        Bind(current, id);
        string? storedHtml, storedText, status, lastActor;
        long storedRank;
        bool removed;
        using (var reader = current.ExecuteReader())
        {
            reader.Read();
            storedHtml = reader.IsDBNull(0) ? null : reader.GetString(0);
            storedText = reader.IsDBNull(1) ? null : reader.GetString(1);
            storedRank = reader.GetInt64(2);
            removed = Flag(reader, 3);
            status = reader.GetString(4);
            lastActor = reader.IsDBNull(5) ? null : reader.GetString(5);
        }

        // The page and the API both show the blog's current rendering: either one's other words are an edit
        // (an old comment edited is seen by the page rotation, not by the API's newest comments).
        var textDiffers = Normalize(text) != Normalize(storedText);
        var bothCurrent = rank >= ContentRanks.Page && storedRank >= ContentRanks.Page;
        var better = html is not null && (rank >= storedRank || storedHtml is null || (bothCurrent && textDiffers));
        var contentChanged = better && html != storedHtml;
        var textChanged = contentChanged && textDiffers;
        var comeBack = removed && rank >= ContentRanks.Page;
        // Scoring judged the words it had; new words are judged again. A moderator's decision stands.
        var rescore = textChanged && storedText is not null && (lastActor is null || lastActor == "system" || lastActor.StartsWith("scoring:", StringComparison.Ordinal));
        var update = Command(
            ref _updateComment,
            $"""
            UPDATE comments SET author = COALESCE(@author, author), author_url = COALESCE(@authorUrl, author_url),
                published_at = COALESCE(@published, published_at), guid = COALESCE(guid, @guid), link = COALESCE(@link, link),
                type = COALESCE(@type, type),
                content_html = CASE WHEN @changed THEN @html ELSE content_html END,
                content_text = CASE WHEN @changed THEN @text ELSE content_text END,
                edited_at = CASE WHEN @textChanged AND (content_rank = @rank OR @current) THEN @now ELSE edited_at END,
                content_rank = CASE WHEN @better THEN {db.Greatest("@rank", "content_rank")} ELSE content_rank END,
                removed_at = CASE WHEN @comeBack THEN NULL ELSE removed_at END,
                changed_at = CASE WHEN @changed OR @comeBack THEN @now ELSE changed_at END,
                status = CASE WHEN @rescore THEN 'Pending' ELSE status END,
                rescore = CASE WHEN @rescore THEN 1 ELSE rescore END,
                last_seen_at = @now
            WHERE id = @id
            """,
            "@id", "@author", "@authorUrl", "@published", "@guid", "@link", "@type", "@changed", "@html", "@text", "@better", "@rank", "@textChanged", "@now", "@comeBack", "@rescore", "@current");
        Bind(update, id, author, authorUrl, published, guid, link, type, contentChanged, html, text, better, rank, textChanged, _at, comeBack, rescore, bothCurrent);
        update.ExecuteNonQuery();
        Rescored += rescore ? 1 : 0;
        if (rescore && status != nameof(CommentStatus.Pending))
        {
            using var record = Plain(
                "INSERT INTO moderation_events (comment_id, at, actor, from_status, to_status, reasons) VALUES (@id, @now, 'system', @from, 'Pending', @reason)",
                ("@id", id), ("@now", _at), ("@from", status), ("@reason", "the content changed on the blog (or a cleaner copy was read): scored again"));
            record.ExecuteNonQuery();
        }

        return comeBack;
    }

    private static string Normalize(string? text) => string.Join(' ', (text ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// Marks removed every stored comment of the source (of type comment, with a WordPress id) that the
    /// blog's authoritative list no longer holds; returns how many.
    /// </summary>
    public int MarkUnpublished(long sourceId, IReadOnlySet<long> published)
    {
        var gone = new List<long>();
        using (var list = Plain(
            """
            SELECT c.id, c.wp_comment_id FROM comments c JOIN posts p ON p.id = c.post_id
            WHERE p.source_id = @source AND c.type = 'comment' AND c.wp_comment_id IS NOT NULL AND c.removed_at IS NULL
              AND (c.blog_status IS NULL OR c.blog_status = 'approved')
            """, ("@source", sourceId)))
        using (var reader = list.ExecuteReader())
        {
            while (reader.Read())
            {
                if (!published.Contains(reader.GetInt64(1)))
                {
                    gone.Add(reader.GetInt64(0));
                }
            }
        }

        foreach (var id in gone)
        {
            using var remove = Plain("UPDATE comments SET removed_at = @now, changed_at = @now WHERE id = @id", ("@id", id), ("@now", _at));
            remove.ExecuteNonQuery();
        }

        return gone.Count;
    }
}
