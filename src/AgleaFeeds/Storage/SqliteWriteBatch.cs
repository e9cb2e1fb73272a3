using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgleaFeeds.Model;
using Microsoft.Data.Sqlite;

namespace AgleaFeeds.Storage;

/// <summary>
/// The writes of one transaction, each statement prepared once and bound per row: a poll stores
/// dozens of rows and SQLite has a single writer, so per-row statement preparation is what the
/// writer would otherwise spend its time on. Rows that did not change are not rewritten.
/// </summary>
internal sealed partial class SqliteWriteBatch(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset now) : IDisposable
{
    private readonly long _at = now.ToUnixTimeMilliseconds();

    /// <summary>How many comments this batch sent back to scoring because their words changed.</summary>
    public int Rescored { get; private set; }
    private readonly Dictionary<string, long> _postIds = new(StringComparer.Ordinal);
    private readonly List<SqliteCommand> _commands = [];
    private SqliteCommand? _findPost;
    private SqliteCommand? _insertPost;
    private SqliteCommand? _updatePost;
    private SqliteCommand? _findPostForComment;
    private SqliteCommand? _insertStub;
    private SqliteCommand? _findComment;
    private SqliteCommand? _insertComment;
    private SqliteCommand? _updateComment;
    private SqliteCommand? _refreshPost;
    private SqliteCommand? _linkParent;
    private SqliteCommand? _commentState;
    private SqliteCommand? _insertEvent;
    private SqliteCommand? _saveValidators;
    private SqliteCommand? _saveModeratorFields;

    /// <summary>
    /// Inserts new posts, updates changed ones, and reports what changed. Content is replaced only by a
    /// view as good or better (feed, page, REST API); a change from the same kind of view is an edit.
    /// </summary>
    public IReadOnlyList<PostChange> UpsertPosts(long sourceId, IReadOnlyList<PostUpsert> posts)
    {
        var changes = new List<PostChange>(posts.Count);
        foreach (var post in posts)
        {
            // Enclosures count as content only where there are some, so posts without them keep their hash.
            var enclosures = JsonSerializer.Serialize(post.Enclosures);
            var hash = post.Enclosures.Count == 0 ? ContentHash(post.Title, post.SummaryHtml, post.ContentHtml) : ContentHash(post.Title, post.SummaryHtml, post.ContentHtml, enclosures);
            var find = Command(
                ref _findPost,
                """
                SELECT id, content_hash, feed_comment_count, content_rank FROM posts
                WHERE source_id = $source AND (key = $key OR ($wp IS NOT NULL AND wp_post_id = $wp))
                ORDER BY CASE WHEN key = $key THEN 0 ELSE 1 END LIMIT 1
                """,
                "$source", "$key", "$wp");
            Bind(find, sourceId, post.Key, post.WordPressId);
            long id = 0;
            string? storedHash = null;
            long? storedCount = null;
            var storedRank = 0L;
            using (var reader = find.ExecuteReader())
            {
                if (reader.Read())
                {
                    id = reader.GetInt64(0);
                    storedHash = reader.GetString(1);
                    storedCount = reader.IsDBNull(2) ? null : reader.GetInt64(2);
                    storedRank = reader.GetInt64(3);
                }
            }

            object?[] values =
            [
                sourceId, post.Key, post.Guid, post.Link, post.Title, post.Author, post.PublishedAt?.ToUnixTimeMilliseconds(),
                post.UpdatedAt?.ToUnixTimeMilliseconds(), JsonSerializer.Serialize(post.Categories), post.SummaryHtml, post.ContentHtml,
                post.CommentsUrl, post.CommentFeedUrl, post.FeedCommentCount, hash, _at, post.WordPressId, post.ContentRank, id, enclosures,
            ];
            if (id == 0)
            {
                var insert = Command(
                    ref _insertPost,
                    """
                    INSERT INTO posts (source_id, key, guid, link, title, author, published_at, updated_at, categories, summary_html,
                                       content_html, comments_url, comment_feed_url, feed_comment_count, content_hash, first_seen_at, last_seen_at,
                                       wp_post_id, content_rank, changed_at, enclosures)
                    VALUES ($source, $key, $guid, $link, $title, $author, $published, $updated, $categories, $summary,
                            $content, $comments, $commentFeed, $count, $hash, $now, $now, $wp, $rank, $now, $enclosures)
                    RETURNING id
                    """,
                    PostParameters);
                Bind(insert, values);
                id = (long)insert.ExecuteScalar()!;
                _postIds[post.Guid ?? post.Link ?? post.Key] = id;
                changes.Add(new PostChange(id, post.Key, post.Link, post.Guid, IsNew: true, ContentChanged: true, CommentCountChanged: true, post.CommentFeedUrl));
                continue;
            }

            // A worse view (the feed after the API) never replaces content; a stub (no content yet) takes any.
            var stub = string.IsNullOrEmpty(storedHash);
            var better = post.ContentRank >= storedRank || stub;
            var contentChanged = better && storedHash != hash;
            var countChanged = post.FeedCommentCount is { } n && n != storedCount;
            if (contentChanged)
            {
                // The same kind of view showing other content is an edit on the blog; a better view is not.
                var update = Command(
                    ref _updatePost,
                    """
                    UPDATE posts SET guid = COALESCE($guid, guid), link = COALESCE($link, link), title = COALESCE($title, title),
                        author = COALESCE($author, author), published_at = COALESCE($published, published_at), updated_at = COALESCE($updated, updated_at),
                        categories = CASE WHEN $categories = '[]' THEN categories ELSE $categories END, summary_html = $summary, content_html = $content,
                        comments_url = COALESCE($comments, comments_url), comment_feed_url = COALESCE($commentFeed, comment_feed_url),
                        feed_comment_count = COALESCE($count, feed_comment_count), content_hash = $hash, last_seen_at = $now,
                        wp_post_id = COALESCE($wp, wp_post_id),
                        edited_at = CASE WHEN content_hash <> '' AND content_rank = $rank THEN $now ELSE edited_at END,
                        content_rank = $rank, changed_at = $now, enclosures = CASE WHEN $enclosures = '[]' THEN enclosures ELSE $enclosures END
                    WHERE id = $id
                    """,
                    PostParameters);
                Bind(update, values);
                update.ExecuteNonQuery();
            }
            else if (countChanged || post.WordPressId is not null || post.CommentFeedUrl is not null)
            {
                var refresh = Command(
                    ref _refreshPost,
                    """
                    UPDATE posts SET feed_comment_count = COALESCE($count, feed_comment_count), wp_post_id = COALESCE($wp, wp_post_id),
                        comments_url = COALESCE($comments, comments_url), comment_feed_url = COALESCE($commentFeed, comment_feed_url)
                    WHERE id = $id
                    """,
                    "$id", "$count", "$wp", "$comments", "$commentFeed");
                Bind(refresh, id, post.FeedCommentCount, post.WordPressId, post.CommentsUrl, post.CommentFeedUrl);
                refresh.ExecuteNonQuery();
            }

            if (post.ContentRank == ContentRanks.Api)
            {
                // The blog lists it again: a post it had stopped publishing is shown again.
                using var show = Plain(
                    "UPDATE posts SET hidden_at = NULL, hidden_by = NULL, changed_at = $now, last_seen_at = $now WHERE id = $id AND hidden_by = $by",
                    ("$id", id), ("$now", _at), ("$by", BlogHidden));
                show.ExecuteNonQuery();
            }

            changes.Add(new PostChange(id, post.Key, post.Link, post.Guid, IsNew: false, contentChanged, countChanged, post.CommentFeedUrl));
        }

        return changes;
    }

    private static readonly string[] PostParameters =
        ["$source", "$key", "$guid", "$link", "$title", "$author", "$published", "$updated", "$categories", "$summary", "$content", "$comments", "$commentFeed", "$count", "$hash", "$now", "$wp", "$rank", "$id", "$enclosures"];

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
        foreach (var comment in comments)
        {
            var postId = FindOrCreatePost(sourceId, comment);
            var published = comment.PublishedAt?.ToUnixTimeMilliseconds();

            // Insert first: a new comment (the common case on a poll that finds any) costs one statement;
            // DO NOTHING returns no row for a known one, which is then compared and refreshed if edited.
            var insert = Command(
                ref _insertComment,
                """
                INSERT INTO comments (post_id, key, wp_comment_id, guid, link, author, author_url, published_at, content_html,
                                      content_text, seen_in, status, first_seen_at, last_seen_at, type, content_rank, changed_at)
                VALUES ($post, $key, $wp, COALESCE($guid, (SELECT p.guid || '#comment-' || $wp FROM posts p WHERE p.id = $post AND $wp IS NOT NULL)),
                        $link, $author, $authorUrl, $published, $html, $text, $seenIn, $status, $now, $now, COALESCE($type, 'comment'), $rank, $now)
                ON CONFLICT (post_id, key) DO NOTHING
                RETURNING id
                """,
                "$post", "$key", "$wp", "$guid", "$link", "$author", "$authorUrl", "$published", "$html", "$text", "$seenIn", "$status", "$now", "$type", "$rank");
            Bind(insert, postId, comment.Key, comment.WordPressId, comment.Guid, comment.Link, comment.Author, comment.AuthorUrl, published,
                comment.ContentHtml, comment.ContentText, comment.SeenIn, nameof(CommentStatus.Pending), _at, comment.Type, comment.ContentRank);
            if (insert.ExecuteScalar() is long newId)
            {
                var created = Command(
                    ref _insertEvent,
                    "INSERT INTO moderation_events (comment_id, at, actor, from_status, to_status, reasons) VALUES ($comment, $now, 'system', NULL, $status, $reason)",
                    "$comment", "$now", "$status", "$reason");
                Bind(created, newId, _at, nameof(CommentStatus.Pending), comment.BlogStatus is { } onBlog ? $"new comment from the {comment.SeenIn}, {onBlog} on the blog" : $"new comment from the {comment.SeenIn}");
                created.ExecuteNonQuery();
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

            var find = Command(ref _findComment, "SELECT id FROM comments WHERE post_id = $post AND key = $key", "$post", "$key");
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

        // Parents last: a reply can come before its parent in a feed or a page of the API, or its parent may
        // only be stored later (by a scrape): the parent's WordPress id waits on the reply until then.
        foreach (var (id, _, parentWordPressId) in parents)
        {
            var remember = Command(ref _linkParent, "UPDATE comments SET parent_wp_id = $parent WHERE id = $id", "$id", "$parent");
            Bind(remember, id, parentWordPressId);
            remember.ExecuteNonQuery();
        }

        foreach (var postId in parents.Select(p => p.PostId).Distinct())
        {
            LinkParents(postId);
        }

        return (added, posts.ToList(), restored);
    }

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
            UPDATE comments SET author_email = COALESCE($email, author_email), author_ip = COALESCE($ip, author_ip),
                user_agent = COALESCE($agent, user_agent), blog_status = COALESCE($blog, blog_status)
            WHERE id = $id
            """,
            "$id", "$email", "$ip", "$agent", "$blog");
        Bind(save, id, comment.AuthorEmail, comment.AuthorIp, comment.UserAgent, comment.BlogStatus);
        save.ExecuteNonQuery();
    }

    /// <summary>Links the replies of a post to their parents once both are stored.</summary>
    private void LinkParents(long postId)
    {
        using var link = Plain(
            """
            UPDATE comments SET parent_id = (SELECT p.id FROM comments p WHERE p.post_id = comments.post_id AND p.wp_comment_id = comments.parent_wp_id ORDER BY p.id LIMIT 1)
            WHERE post_id = $post AND parent_wp_id IS NOT NULL
              AND EXISTS (SELECT 1 FROM comments p WHERE p.post_id = comments.post_id AND p.wp_comment_id = comments.parent_wp_id)
            """,
            ("$post", postId));
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
            FROM comments WHERE id = $id
            """,
            "$id");
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
            removed = reader.GetBoolean(3);
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
            """
            UPDATE comments SET author = COALESCE($author, author), author_url = COALESCE($authorUrl, author_url),
                published_at = COALESCE($published, published_at), guid = COALESCE(guid, $guid), link = COALESCE($link, link),
                type = COALESCE($type, type),
                content_html = CASE WHEN $changed THEN $html ELSE content_html END,
                content_text = CASE WHEN $changed THEN $text ELSE content_text END,
                edited_at = CASE WHEN $textChanged AND (content_rank = $rank OR $current) THEN $now ELSE edited_at END,
                content_rank = CASE WHEN $better THEN MAX($rank, content_rank) ELSE content_rank END,
                removed_at = CASE WHEN $comeBack THEN NULL ELSE removed_at END,
                changed_at = CASE WHEN $changed OR $comeBack THEN $now ELSE changed_at END,
                status = CASE WHEN $rescore THEN 'Pending' ELSE status END,
                rescore = CASE WHEN $rescore THEN 1 ELSE rescore END,
                last_seen_at = $now
            WHERE id = $id
            """,
            "$id", "$author", "$authorUrl", "$published", "$guid", "$link", "$type", "$changed", "$html", "$text", "$better", "$rank", "$textChanged", "$now", "$comeBack", "$rescore", "$current");
        Bind(update, id, author, authorUrl, published, guid, link, type, contentChanged, html, text, better, rank, textChanged, _at, comeBack, rescore, bothCurrent);
        update.ExecuteNonQuery();
        Rescored += rescore ? 1 : 0;
        if (rescore && status != nameof(CommentStatus.Pending))
        {
            using var record = Plain(
                "INSERT INTO moderation_events (comment_id, at, actor, from_status, to_status, reasons) VALUES ($id, $now, 'system', $from, 'Pending', $reason)",
                ("$id", id), ("$now", _at), ("$from", status), ("$reason", "the content changed on the blog (or a cleaner copy was read): scored again"));
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
            WHERE p.source_id = $source AND c.type = 'comment' AND c.wp_comment_id IS NOT NULL AND c.removed_at IS NULL
              AND (c.blog_status IS NULL OR c.blog_status = 'approved')
            """, ("$source", sourceId)))
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
            using var remove = Plain("UPDATE comments SET removed_at = $now, changed_at = $now WHERE id = $id", ("$id", id), ("$now", _at));
            remove.ExecuteNonQuery();
        }

        return gone.Count;
    }

    /// <summary>Hides every post of the source with a WordPress id the blog's list no longer holds (hidden_by "blog"); returns how many.</summary>
    public int HideUnpublishedPosts(long sourceId, IReadOnlySet<long> published)
    {
        var gone = new List<long>();
        using (var list = Plain("SELECT id, wp_post_id FROM posts WHERE source_id = $source AND wp_post_id IS NOT NULL AND hidden_at IS NULL", ("$source", sourceId)))
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
            using var hide = Plain("UPDATE posts SET hidden_at = $now, hidden_by = $by, changed_at = $now, last_seen_at = $now WHERE id = $id", ("$id", id), ("$now", _at), ("$by", BlogHidden));
            hide.ExecuteNonQuery();
        }

        return gone.Count;
    }

    /// <summary>Who hid a post the blog stopped publishing (a moderator's hide is never undone by the blog).</summary>
    public const string BlogHidden = "blog";

    private long FindOrCreatePost(long sourceId, CommentUpsert comment)
    {
        var cacheKey = comment.PostWordPressId is { } wp ? $"wp:{wp}" : comment.PostGuid ?? comment.PostLink;
        if (_postIds.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        var find = Command(
            ref _findPostForComment,
            """
            SELECT id FROM posts WHERE source_id = $source AND (($wp IS NOT NULL AND wp_post_id = $wp) OR guid = $guid OR link = $link OR key = $link)
            ORDER BY CASE WHEN wp_post_id = $wp THEN 0 WHEN guid = $guid THEN 1 ELSE 2 END LIMIT 1
            """,
            "$source", "$guid", "$link", "$wp");
        Bind(find, sourceId, comment.PostGuid, comment.PostLink, comment.PostWordPressId);
        if (find.ExecuteScalar() is long id)
        {
            return _postIds[cacheKey] = id;
        }

        // A comment on a post the posts feed no longer carries: keep it on a stub the scraper fills later.
        var stub = Command(
            ref _insertStub,
            """
            INSERT INTO posts (source_id, key, guid, link, title, content_hash, first_seen_at, last_seen_at, wp_post_id, changed_at)
            VALUES ($source, $key, $guid, $link, $title, '', $now, $now, $wp, $now) RETURNING id
            """,
            "$source", "$key", "$guid", "$link", "$title", "$now", "$wp");
        Bind(stub, sourceId, comment.PostGuid ?? comment.PostLink, comment.PostGuid, comment.PostLink, comment.PostTitle, _at, comment.PostWordPressId);
        return _postIds[cacheKey] = (long)stub.ExecuteScalar()!;
    }

    /// <summary>Stores a scrape: the page's view of the post, its comments with thread and kind, removals.</summary>
    public ScrapeWriteResult SaveScrape(ScrapeWrite write)
    {
        var postId = write.PostId;
        long sourceId;
        using (var post = Plain("SELECT source_id FROM posts WHERE id = $id", ("$id", postId)))
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
                """
                UPDATE posts SET page_title = $title, page_author = $author, page_content_html = $content, page_published_at = $published,
                    page_modified_at = $modified, page_categories = $categories, tags = $tags, page_comment_count = $count,
                    edited_at = CASE WHEN page_content_html IS NOT NULL AND page_content_html IS NOT $content THEN $now ELSE edited_at END,
                    changed_at = CASE WHEN page_content_html IS NOT $content OR page_title IS NOT $title THEN $now ELSE changed_at END,
                    wp_post_id = COALESCE(wp_post_id, $wp)
                WHERE id = $id
                """,
                ("$id", postId), ("$title", page.Title), ("$author", page.Author), ("$content", page.ContentHtml),
                ("$published", page.PublishedAt?.ToUnixTimeMilliseconds()), ("$modified", page.ModifiedAt?.ToUnixTimeMilliseconds()),
                ("$categories", JsonSerializer.Serialize(page.Categories)), ("$tags", JsonSerializer.Serialize(page.Tags)), ("$count", page.AnnouncedCommentCount),
                ("$now", _at), ("$wp", page.WordPressId));
            update.ExecuteNonQuery();
        }

        // What the store holds for this post, by key: a comment known from a feed is the same record.
        var known = new Dictionary<string, (long Id, bool Removed)>(StringComparer.Ordinal);
        // A comment the blog holds (read with its credentials) is not on the page and not removed: it counts as known-absent.
        using (var list = Plain("SELECT key, id, removed_at IS NOT NULL OR COALESCE(blog_status, 'approved') <> 'approved' FROM comments WHERE post_id = $post", ("$post", postId)))
        using (var reader = list.ExecuteReader())
        {
            while (reader.Read())
            {
                known[reader.GetString(0)] = (reader.GetInt64(1), reader.GetBoolean(2));
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
                    "UPDATE comments SET depth = $depth, avatar_url = COALESCE($avatar, avatar_url), comment_page = $page WHERE id = $id",
                    ("$id", existing.Id), ("$depth", c.Depth), ("$avatar", c.AvatarUrl), ("$page", c.CommentPage));
                update.ExecuteNonQuery();
                restored += RefreshComment(existing.Id, c.ContentHtml, c.ContentText, ContentRanks.Page, c.Author, c.AuthorUrl,
                    c.PublishedAt?.ToUnixTimeMilliseconds(), null, c.Permalink, c.Type) ? 1 : 0;
                seen[c.WordPressId] = existing.Id;
                continue;
            }

            using var insert = Plain(
                """
                INSERT INTO comments (post_id, key, wp_comment_id, guid, link, author, author_url, avatar_url, published_at, content_html,
                                      content_text, seen_in, status, depth, type, comment_page, first_seen_at, last_seen_at, content_rank, changed_at)
                VALUES ($post, $key, $wp, (SELECT p.guid || '#comment-' || $wp FROM posts p WHERE p.id = $post), $link, $author, $authorUrl, $avatar, $published, $html, $text, 'page', $status, $depth, $type, $page, $now, $now, 2, $now)
                RETURNING id
                """,
                ("$post", postId), ("$key", key), ("$wp", c.WordPressId), ("$link", c.Permalink), ("$author", c.Author), ("$authorUrl", c.AuthorUrl),
                ("$avatar", c.AvatarUrl), ("$published", c.PublishedAt?.ToUnixTimeMilliseconds()), ("$html", c.ContentHtml), ("$text", c.ContentText),
                ("$status", nameof(CommentStatus.Pending)), ("$depth", c.Depth), ("$type", c.Type), ("$page", c.CommentPage), ("$now", _at));
            var id = (long)insert.ExecuteScalar()!;
            var reason = c.AwaitingModeration ? "new comment from the post page, awaiting moderation on the blog" : "new comment from the post page";
            using (var created = Plain(
                "INSERT INTO moderation_events (comment_id, at, actor, from_status, to_status, reasons) VALUES ($id, $now, 'system', NULL, $status, $reason)",
                ("$id", id), ("$now", _at), ("$status", nameof(CommentStatus.Pending)), ("$reason", reason)))
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
                "UPDATE comments SET parent_id = COALESCE($parent, parent_id), parent_wp_id = $wp WHERE id = $id",
                ("$id", seen[c.WordPressId]), ("$parent", parent), ("$wp", c.ParentWordPressId));
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
                    using var remove = Plain("UPDATE comments SET removed_at = $now, changed_at = $now WHERE id = $id", ("$id", id), ("$now", _at));
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
            "UPDATE posts SET scraped_at = $now, scrape_error = $error, scrape_outcome = $outcome WHERE id = $id",
            ("$id", postId), ("$now", _at), ("$error", write.Error), ("$outcome", write.Outcome(result))))
        {
            state.ExecuteNonQuery();
        }

        return result;
    }

    /// <summary>Applies verdicts to comments still pending and unjudged; every verdict becomes an event either way.</summary>
    public int ApplyVerdicts(IReadOnlyList<VerdictWrite> verdicts)
    {
        var applied = 0;
        foreach (var v in verdicts)
        {
            using var current = Plain(
                """
                SELECT status,
                    EXISTS (SELECT 1 FROM moderation_events e WHERE e.comment_id = $id AND e.actor LIKE 'scoring:%' AND (e.actor <> 'scoring:none' OR $actor = 'scoring:none')),
                    rescore, blog_status,
                    (SELECT w.push_verdicts FROM posts p JOIN wordpress_connections w ON w.source_id = p.source_id WHERE p.id = comments.post_id)
                FROM comments WHERE id = $id
                """, ("$id", v.CommentId), ("$actor", v.Actor));
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
                    judged = reader.GetBoolean(1);
                    rescore = reader.GetBoolean(2);
                    onBlog = reader.IsDBNull(3) ? null : reader.GetString(3);
                    pushVerdicts = !reader.IsDBNull(4) && reader.GetBoolean(4);
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
                    "UPDATE comments SET status = $status, rescore = 0, changed_at = CASE WHEN $status = 'Pending' THEN changed_at ELSE $now END WHERE id = $id",
                    ("$id", v.CommentId), ("$status", to.ToString()), ("$now", _at));
                update.ExecuteNonQuery();
                applied++;
                if (pushVerdicts && to is CommentStatus.Approved or CommentStatus.Spam)
                {
                    QueuePush(v.CommentId, to, v.Actor);
                }
            }

            using var record = Plain(
                "INSERT INTO moderation_events (comment_id, at, actor, from_status, to_status, score, reasons) VALUES ($id, $now, $actor, $from, $to, $score, $reasons)",
                ("$id", v.CommentId), ("$now", _at), ("$actor", v.Actor), ("$from", status), ("$to", apply ? to.ToString() : status),
                ("$score", v.Score), ("$reasons", apply ? reasons : $"{reasons}; not applied: already {status}"));
            record.ExecuteNonQuery();
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

    /// <summary>Hides or shows a post; the content version moves with last_seen_at so the feeds re-render.</summary>
    public bool SetPostHidden(long postId, bool hidden, string moderator)
    {
        using var update = Plain(
            "UPDATE posts SET hidden_at = $at, hidden_by = $by, last_seen_at = $now, changed_at = $now WHERE id = $id",
            ("$id", postId), ("$at", hidden ? _at : null), ("$by", hidden ? moderator : null), ("$now", _at));
        return update.ExecuteNonQuery() == 1;
    }

    /// <summary>Adds or replaces a trust/block entry.</summary>
    public void SetAuthorRule(AuthorRuleKind kind, string value, AuthorRuleAction action, string moderator)
    {
        using var upsert = Plain(
            """
            INSERT INTO author_rules (kind, value, action, created_by, created_at) VALUES ($kind, $value, $action, $by, $now)
            ON CONFLICT (kind, value) DO UPDATE SET action = excluded.action, created_by = excluded.created_by, created_at = excluded.created_at
            """,
            ("$kind", kind.ToString()), ("$value", value), ("$action", action.ToString()), ("$by", moderator), ("$now", _at));
        upsert.ExecuteNonQuery();
    }

    /// <summary>Removes a trust/block entry.</summary>
    public bool RemoveAuthorRule(long id)
    {
        using var delete = Plain("DELETE FROM author_rules WHERE id = $id", ("$id", id));
        return delete.ExecuteNonQuery() == 1;
    }

    /// <summary>Moves a comment to a moderator's decision and records the event.</summary>
    public bool RecordDecision(long commentId, CommentStatus status, string moderator, string? note, CommentStatus? expected)
    {
        using var current = Plain("SELECT status FROM comments WHERE id = $id", ("$id", commentId));
        if (current.ExecuteScalar() is not string from || (expected is { } e && from != e.ToString()))
        {
            return false;
        }

        using (var update = Plain("UPDATE comments SET status = $status, rescore = 0, changed_at = $now WHERE id = $id", ("$id", commentId), ("$status", status.ToString()), ("$now", _at)))
        {
            update.ExecuteNonQuery();
        }

        using var record = Plain(
            "INSERT INTO moderation_events (comment_id, at, actor, from_status, to_status, reasons) VALUES ($id, $now, $actor, $from, $to, $note)",
            ("$id", commentId), ("$now", _at), ("$actor", moderator), ("$from", from), ("$to", status.ToString()), ("$note", note));
        record.ExecuteNonQuery();
        QueuePush(commentId, status, moderator);
        return true;
    }

    private SqliteCommand Plain(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Stores the validators of a source's secondary feed URL.</summary>
    public void SaveValidators(long sourceId, string url, HttpValidators validators)
    {
        var save = Command(
            ref _saveValidators,
            """
            INSERT INTO http_validators (source_id, url, etag, last_modified, checked_at) VALUES ($source, $url, $etag, $lastModified, $now)
            ON CONFLICT (source_id, url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, checked_at = excluded.checked_at
            """,
            "$source", "$url", "$etag", "$lastModified", "$now");
        Bind(save, sourceId, url, validators.ETag, validators.LastModified, _at);
        save.ExecuteNonQuery();
    }

    /// <summary>Records a poll's outcome on its source and releases the lease.</summary>
    public void SavePollState(SourcePollState state)
    {
        using var command = Plain(
            """
            UPDATE sources SET
                feed_url = CASE WHEN $newFeedUrl IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sources o WHERE o.feed_url = $newFeedUrl)
                                THEN $newFeedUrl ELSE feed_url END,
                comments_feed_url = COALESCE($commentsFeedUrl, comments_feed_url),
                site_url = COALESCE(site_url, $siteUrl),
                api_root = COALESCE($apiRoot, api_root),
                api_comment_total = COALESCE($apiTotal, api_comment_total),
                api_post_total = COALESCE($apiPostTotal, api_post_total),
                api_synced_at = CASE WHEN $apiSynced THEN $polledAt ELSE api_synced_at END,
                backfilled_at = CASE WHEN $backfilled THEN $polledAt ELSE backfilled_at END,
                etag = CASE WHEN $succeeded THEN $etag ELSE etag END,
                last_modified = CASE WHEN $succeeded THEN $lastModified ELSE last_modified END,
                last_polled_at = $polledAt,
                last_success_at = CASE WHEN $succeeded THEN $polledAt ELSE last_success_at END,
                next_poll_at = $nextPollAt,
                error_count = $errorCount,
                last_error = $error,
                last_outcome = $outcome,
                feed_interval_seconds = COALESCE($feedInterval, feed_interval_seconds),
                schedule_reason = $scheduleReason,
                lease_until = NULL
            WHERE id = $id
            """,
            ("$id", state.SourceId), ("$newFeedUrl", state.NewFeedUrl), ("$commentsFeedUrl", state.CommentsFeedUrl), ("$siteUrl", state.SiteUrl), ("$apiRoot", state.ApiRoot), ("$apiTotal", state.ApiCommentTotal), ("$apiPostTotal", state.ApiPostTotal), ("$apiSynced", state.ApiSynced), ("$backfilled", state.Backfilled),
            ("$succeeded", state.Succeeded), ("$etag", state.ETag), ("$lastModified", state.LastModified),
            ("$polledAt", state.PolledAt.ToUnixTimeMilliseconds()), ("$nextPollAt", state.NextPollAt.ToUnixTimeMilliseconds()),
            ("$errorCount", state.ErrorCount), ("$error", state.Error), ("$outcome", state.Outcome),
            ("$feedInterval", state.FeedInterval is { } f ? (long)f.TotalSeconds : null), ("$scheduleReason", state.ScheduleReason));
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(ref SqliteCommand? command, string sql, params string[] parameters)
    {
        if (command is not null)
        {
            return command;
        }

        command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        command.Prepare();
        _commands.Add(command);
        return command;
    }

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    internal static string ContentHash(params string?[] parts)
    {
        var text = string.Join('\u001f', parts.Select(p => p ?? string.Empty));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }

    public void Dispose()
    {
        foreach (var command in _commands)
        {
            command.Dispose();
        }
    }
}
