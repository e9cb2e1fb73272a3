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
internal sealed class SqliteWriteBatch(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset now) : IDisposable
{
    private readonly long _at = now.ToUnixTimeMilliseconds();
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
    private SqliteCommand? _insertEvent;
    private SqliteCommand? _saveValidators;

    /// <summary>Inserts new posts, updates changed ones, and reports what changed.</summary>
    public IReadOnlyList<PostChange> UpsertPosts(long sourceId, IReadOnlyList<PostUpsert> posts)
    {
        var changes = new List<PostChange>(posts.Count);
        foreach (var post in posts)
        {
            var hash = ContentHash(post.Title, post.SummaryHtml, post.ContentHtml);
            var find = Command(ref _findPost, "SELECT id, content_hash, feed_comment_count FROM posts WHERE source_id = $source AND key = $key", "$source", "$key");
            Bind(find, sourceId, post.Key);
            long id = 0;
            string? storedHash = null;
            long? storedCount = null;
            using (var reader = find.ExecuteReader())
            {
                if (reader.Read())
                {
                    id = reader.GetInt64(0);
                    storedHash = reader.GetString(1);
                    storedCount = reader.IsDBNull(2) ? null : reader.GetInt64(2);
                }
            }

            object?[] values =
            [
                sourceId, post.Key, post.Guid, post.Link, post.Title, post.Author, post.PublishedAt?.ToUnixTimeMilliseconds(),
                post.UpdatedAt?.ToUnixTimeMilliseconds(), JsonSerializer.Serialize(post.Categories), post.SummaryHtml, post.ContentHtml,
                post.CommentsUrl, post.CommentFeedUrl, post.FeedCommentCount, hash, _at,
            ];
            if (id == 0)
            {
                var insert = Command(
                    ref _insertPost,
                    """
                    INSERT INTO posts (source_id, key, guid, link, title, author, published_at, updated_at, categories, summary_html,
                                       content_html, comments_url, comment_feed_url, feed_comment_count, content_hash, first_seen_at, last_seen_at)
                    VALUES ($source, $key, $guid, $link, $title, $author, $published, $updated, $categories, $summary,
                            $content, $comments, $commentFeed, $count, $hash, $now, $now)
                    RETURNING id
                    """,
                    PostParameters);
                Bind(insert, values);
                id = (long)insert.ExecuteScalar()!;
                _postIds[post.Guid ?? post.Link ?? post.Key] = id;
                changes.Add(new PostChange(id, post.Key, post.Link, post.Guid, IsNew: true, ContentChanged: true, CommentCountChanged: true, post.CommentFeedUrl));
                continue;
            }

            var contentChanged = storedHash != hash;
            var countChanged = post.FeedCommentCount is { } n && n != storedCount;
            if (contentChanged || countChanged)
            {
                // A stub created from a comment feed has no content yet: the first real sighting fills it.
                var update = Command(
                    ref _updatePost,
                    """
                    UPDATE posts SET guid = COALESCE($guid, guid), link = COALESCE($link, link), title = COALESCE($title, title),
                        author = COALESCE($author, author), published_at = COALESCE($published, published_at), updated_at = $updated,
                        categories = $categories, summary_html = $summary, content_html = $content,
                        comments_url = COALESCE($comments, comments_url), comment_feed_url = COALESCE($commentFeed, comment_feed_url),
                        feed_comment_count = COALESCE($count, feed_comment_count), content_hash = $hash, last_seen_at = $now
                    WHERE source_id = $source AND key = $key
                    """,
                    PostParameters);
                Bind(update, values);
                update.ExecuteNonQuery();
            }

            changes.Add(new PostChange(id, post.Key, post.Link, post.Guid, IsNew: false, contentChanged, countChanged, post.CommentFeedUrl));
        }

        return changes;
    }

    private static readonly string[] PostParameters =
        ["$source", "$key", "$guid", "$link", "$title", "$author", "$published", "$updated", "$categories", "$summary", "$content", "$comments", "$commentFeed", "$count", "$hash", "$now"];

    /// <summary>Inserts new comments as Pending with a creation event; refreshes edited ones; returns how many were new.</summary>
    public int UpsertComments(long sourceId, IReadOnlyList<CommentUpsert> comments)
    {
        var added = 0;
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
                                      content_text, seen_in, status, first_seen_at, last_seen_at)
                VALUES ($post, $key, $wp, $guid, $link, $author, $authorUrl, $published, $html, $text, $seenIn, $status, $now, $now)
                ON CONFLICT (post_id, key) DO NOTHING
                RETURNING id
                """,
                "$post", "$key", "$wp", "$guid", "$link", "$author", "$authorUrl", "$published", "$html", "$text", "$seenIn", "$status", "$now");
            Bind(insert, postId, comment.Key, comment.WordPressId, comment.Guid, comment.Link, comment.Author, comment.AuthorUrl, published,
                comment.ContentHtml, comment.ContentText, comment.SeenIn, nameof(CommentStatus.Pending), _at);
            if (insert.ExecuteScalar() is long newId)
            {
                var created = Command(
                    ref _insertEvent,
                    "INSERT INTO moderation_events (comment_id, at, actor, from_status, to_status, reasons) VALUES ($comment, $now, 'system', NULL, $status, $reason)",
                    "$comment", "$now", "$status", "$reason");
                Bind(created, newId, _at, nameof(CommentStatus.Pending), $"new comment from the {comment.SeenIn}");
                created.ExecuteNonQuery();
                added++;
                continue;
            }

            var find = Command(ref _findComment, "SELECT id, content_html, author, published_at FROM comments WHERE post_id = $post AND key = $key", "$post", "$key");
            Bind(find, postId, comment.Key);
            long id = 0;
            var same = false;
            using (var reader = find.ExecuteReader())
            {
                if (reader.Read())
                {
                    id = reader.GetInt64(0);
                    same = (comment.ContentHtml is null || comment.ContentHtml == (reader.IsDBNull(1) ? null : reader.GetString(1)))
                        && (comment.Author is null || comment.Author == (reader.IsDBNull(2) ? null : reader.GetString(2)))
                        && (published is null || published == (reader.IsDBNull(3) ? null : reader.GetInt64(3)));
                }
            }

            if (!same)
            {
                // Keep the moderation status; refresh what the blog may have edited.
                var update = Command(
                    ref _updateComment,
                    """
                    UPDATE comments SET author = COALESCE($author, author), author_url = COALESCE($authorUrl, author_url),
                        published_at = COALESCE($published, published_at), content_html = COALESCE($html, content_html),
                        content_text = COALESCE($text, content_text), guid = COALESCE(guid, $guid), link = COALESCE(link, $link),
                        last_seen_at = $now
                    WHERE id = $id
                    """,
                    "$id", "$author", "$authorUrl", "$published", "$html", "$text", "$guid", "$link", "$now");
                Bind(update, id, comment.Author, comment.AuthorUrl, published, comment.ContentHtml, comment.ContentText, comment.Guid, comment.Link, _at);
                update.ExecuteNonQuery();
            }
        }

        return added;
    }

    private long FindOrCreatePost(long sourceId, CommentUpsert comment)
    {
        var cacheKey = comment.PostGuid ?? comment.PostLink;
        if (_postIds.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        var find = Command(
            ref _findPostForComment,
            """
            SELECT id FROM posts WHERE source_id = $source AND (guid = $guid OR link = $link OR key = $link)
            ORDER BY CASE WHEN guid = $guid THEN 0 ELSE 1 END LIMIT 1
            """,
            "$source", "$guid", "$link");
        Bind(find, sourceId, comment.PostGuid, comment.PostLink);
        if (find.ExecuteScalar() is long id)
        {
            return _postIds[cacheKey] = id;
        }

        // A comment on a post the posts feed no longer carries: keep it on a stub the scraper fills later.
        var stub = Command(
            ref _insertStub,
            """
            INSERT INTO posts (source_id, key, guid, link, title, content_hash, first_seen_at, last_seen_at)
            VALUES ($source, $key, $guid, $link, $title, '', $now, $now) RETURNING id
            """,
            "$source", "$key", "$guid", "$link", "$title", "$now");
        Bind(stub, sourceId, comment.PostGuid ?? comment.PostLink, comment.PostGuid, comment.PostLink, comment.PostTitle, _at);
        return _postIds[cacheKey] = (long)stub.ExecuteScalar()!;
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
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE sources SET
                feed_url = CASE WHEN $newFeedUrl IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sources o WHERE o.feed_url = $newFeedUrl)
                                THEN $newFeedUrl ELSE feed_url END,
                comments_feed_url = COALESCE($commentsFeedUrl, comments_feed_url),
                site_url = COALESCE(site_url, $siteUrl),
                etag = CASE WHEN $succeeded THEN $etag ELSE etag END,
                last_modified = CASE WHEN $succeeded THEN $lastModified ELSE last_modified END,
                last_polled_at = $polledAt,
                last_success_at = CASE WHEN $succeeded THEN $polledAt ELSE last_success_at END,
                next_poll_at = $nextPollAt,
                error_count = $errorCount,
                last_error = $error,
                last_outcome = $outcome,
                lease_until = NULL
            WHERE id = $id
            """;
        foreach (var (name, value) in new (string, object?)[]
        {
            ("$id", state.SourceId), ("$newFeedUrl", state.NewFeedUrl), ("$commentsFeedUrl", state.CommentsFeedUrl), ("$siteUrl", state.SiteUrl),
            ("$succeeded", state.Succeeded), ("$etag", state.ETag), ("$lastModified", state.LastModified),
            ("$polledAt", state.PolledAt.ToUnixTimeMilliseconds()), ("$nextPollAt", state.NextPollAt.ToUnixTimeMilliseconds()),
            ("$errorCount", state.ErrorCount), ("$error", state.Error), ("$outcome", state.Outcome),
        })
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

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
