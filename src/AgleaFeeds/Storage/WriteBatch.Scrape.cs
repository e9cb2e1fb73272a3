using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgleaFeeds.Model;
using System.Data.Common;

namespace AgleaFeeds.Storage;

/// <summary>A scrape in a write: the page's view of the post and its comments, and the comments it no longer shows.</summary>
internal sealed partial class WriteBatch
{
    /// <summary>Stores a scrape: the page's view of the post, its comments with thread and kind, removals.</summary>
    public ScrapeWriteResult SaveScrape(ScrapeWrite write)
    {
        var postId = write.PostId;
        long sourceId;
        using (var post = Plain("SELECT source_id FROM posts WHERE id = @id", ("@id", postId)))
        {
            if (post.ExecuteScalar() is not long id)
            {
                return new ScrapeWriteResult(0, 0, 0);
            }

            sourceId = id;
        }

        if (write.Page is { } page)
        {
            using var update = Plain(
                $"""
                UPDATE posts SET page_title = @title, page_author = @author, page_content_html = @content, page_published_at = @published,
                    page_modified_at = @modified, page_categories = @categories, tags = @tags, page_comment_count = @count,
                    edited_at = CASE WHEN page_content_html IS NOT NULL AND {db.NullSafeDiffers("page_content_html", "@content")} THEN @now ELSE edited_at END,
                    changed_at = CASE WHEN {db.NullSafeDiffers("page_content_html", "@content")} OR {db.NullSafeDiffers("page_title", "@title")} THEN @now ELSE changed_at END,
                    wp_post_id = COALESCE(wp_post_id, @wp)
                WHERE id = @id
                """,
                ("@id", postId), ("@title", page.Title), ("@author", page.Author), ("@content", page.ContentHtml),
                ("@published", page.PublishedAt?.ToUnixTimeMilliseconds()), ("@modified", page.ModifiedAt?.ToUnixTimeMilliseconds()),
                ("@categories", JsonSerializer.Serialize(page.Categories)), ("@tags", JsonSerializer.Serialize(page.Tags)), ("@count", page.AnnouncedCommentCount),
                ("@now", _at), ("@wp", page.WordPressId));
            update.ExecuteNonQuery();
        }

        // What the store holds for this post, by key: a comment known from a feed is the same record.
        var known = new Dictionary<string, (long Id, bool Removed)>(StringComparer.Ordinal);
        // A comment the blog holds (read with its credentials) is not on the page and not removed: it counts as known-absent.
        using (var list = Plain("SELECT key, id, removed_at IS NOT NULL OR COALESCE(blog_status, 'approved') <> 'approved' FROM comments WHERE post_id = @post", ("@post", postId)))
        using (var reader = list.ExecuteReader())
        {
            while (reader.Read())
            {
                known[reader.GetString(0)] = (reader.GetInt64(1), Flag(reader, 2));
            }
        }

        var added = 0;
        var restored = 0;
        var seen = new Dictionary<long, long>();
        foreach (var c in write.Comments)
        {
            var key = c.WordPressId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (known.TryGetValue(key, out var existing))
            {
                using var update = Plain(
                    "UPDATE comments SET depth = @depth, avatar_url = COALESCE(@avatar, avatar_url), comment_page = @page WHERE id = @id",
                    ("@id", existing.Id), ("@depth", c.Depth), ("@avatar", c.AvatarUrl), ("@page", c.CommentPage));
                update.ExecuteNonQuery();
                restored += RefreshComment(existing.Id, c.ContentHtml, c.ContentText, ContentRanks.Page, c.Author, c.AuthorUrl,
                    c.PublishedAt?.ToUnixTimeMilliseconds(), null, c.Permalink, c.Type) ? 1 : 0;
                seen[c.WordPressId] = existing.Id;
                continue;
            }

            using var insert = Plain(
                $"""
                INSERT INTO comments (post_id, key, wp_comment_id, guid, link, author, author_url, avatar_url, published_at, content_html,
                                      content_text, seen_in, status, depth, type, comment_page, first_seen_at, last_seen_at, content_rank, changed_at)
                VALUES (@post, @key, @wp, (SELECT p.guid || '#comment-' || @wp FROM posts p WHERE p.id = @post), @link, @author, @authorUrl, @avatar, @published, @html, @text, 'page', @status, @depth, @type, @page, @now, @now, 2, @now)
                {db.ReturningId}
                """,
                ("@post", postId), ("@key", key), ("@wp", c.WordPressId), ("@link", c.Permalink), ("@author", c.Author), ("@authorUrl", c.AuthorUrl),
                ("@avatar", c.AvatarUrl), ("@published", c.PublishedAt?.ToUnixTimeMilliseconds()), ("@html", c.ContentHtml), ("@text", c.ContentText),
                ("@status", nameof(CommentStatus.Pending)), ("@depth", c.Depth), ("@type", c.Type), ("@page", c.CommentPage), ("@now", _at));
            var id = db.InsertedId(insert) ?? throw new InvalidOperationException("The comment was not inserted.");
            var reason = c.AwaitingModeration ? "new comment from the post page, awaiting moderation on the blog" : "new comment from the post page";
            using (var created = Plain(
                "INSERT INTO moderation_events (comment_id, at, actor, from_status, to_status, reasons) VALUES (@id, @now, 'system', NULL, @status, @reason)",
                ("@id", id), ("@now", _at), ("@status", nameof(CommentStatus.Pending)), ("@reason", reason)))
            {
                created.ExecuteNonQuery();
            }

            seen[c.WordPressId] = id;
            added++;
        }

        // Parents last: a reply can come before its parent when the blog pages newest first. A page that shows a
        // comment unthreaded (threads turned off) does not erase the parent the API or the feed told.
        foreach (var c in write.Comments)
        {
            long? parent = c.ParentWordPressId is { } p && seen.TryGetValue(p, out var parentId) ? parentId
                : c.ParentWordPressId is { } q && known.TryGetValue(q.ToString(System.Globalization.CultureInfo.InvariantCulture), out var k) ? k.Id : null;
            if (c.ParentWordPressId is null)
            {
                continue;
            }

            using var link = Plain(
                "UPDATE comments SET parent_id = COALESCE(@parent, parent_id), parent_wp_id = @wp WHERE id = @id",
                ("@id", seen[c.WordPressId]), ("@parent", parent), ("@wp", c.ParentWordPressId));
            link.ExecuteNonQuery();
        }

        LinkParents(postId);

        var removed = 0;
        if (write.Complete && write.Page is not null)
        {
            foreach (var (key, (id, wasRemoved)) in known)
            {
                if (!wasRemoved && long.TryParse(key, out var wp) && !seen.ContainsKey(wp))
                {
                    using var remove = Plain("UPDATE comments SET removed_at = @now, changed_at = @now WHERE id = @id", ("@id", id), ("@now", _at));
                    remove.ExecuteNonQuery();
                    removed++;
                }
            }
        }

        foreach (var (url, validators) in write.Validators)
        {
            SaveValidators(sourceId, url, validators);
        }

        var result = new ScrapeWriteResult(added, removed, restored) { Rescored = Rescored };
        using (var state = Plain(
            "UPDATE posts SET scraped_at = @now, scrape_error = @error, scrape_outcome = @outcome WHERE id = @id",
            ("@id", postId), ("@now", _at), ("@error", write.Error), ("@outcome", write.Outcome(result))))
        {
            state.ExecuteNonQuery();
        }

        return result;
    }
}
