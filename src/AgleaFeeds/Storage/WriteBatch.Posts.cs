using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgleaFeeds.Model;
using System.Data.Common;

namespace AgleaFeeds.Storage;

/// <summary>Posts in a write: new and changed posts, posts the blog stopped publishing, stub posts for comments, hiding.</summary>
internal sealed partial class WriteBatch
{
    /// <summary>
    /// Inserts new posts, updates changed ones, and reports what changed. Content is replaced only by a
    /// view as good or better (feed, page, REST API); a change from the same kind of view is an edit.
    /// </summary>
    /// <remarks>
    /// The posts come with their hash and JSON columns (<see cref="PreparePosts"/>), computed by the caller before
    /// the write so the one writer does not spend its time hashing.
    /// </remarks>
    public IReadOnlyList<PostChange> UpsertPosts(long sourceId, IReadOnlyList<PreparedPost> posts)
    {
        var changes = new List<PostChange>(posts.Count);
        foreach (var (post, hash, categories, enclosures) in posts)
        {
            var find = Command(
                ref _findPost,
                """
                SELECT id, content_hash, feed_comment_count, content_rank FROM posts
                WHERE source_id = @source AND (key = @key OR (CAST(@wp AS BIGINT) IS NOT NULL AND wp_post_id = @wp))
                ORDER BY CASE WHEN key = @key THEN 0 ELSE 1 END LIMIT 1
                """,
                "@source", "@key", "@wp");
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
                post.UpdatedAt?.ToUnixTimeMilliseconds(), categories, post.SummaryHtml, post.ContentHtml,
                post.CommentsUrl, post.CommentFeedUrl, post.FeedCommentCount, hash, _at, post.WordPressId, post.ContentRank, id, enclosures,
            ];
            if (id == 0)
            {
                var insert = Command(
                    ref _insertPost,
                    $"""
                    INSERT INTO posts (source_id, key, guid, link, title, author, published_at, updated_at, categories, summary_html,
                                       content_html, comments_url, comment_feed_url, feed_comment_count, content_hash, first_seen_at, last_seen_at,
                                       wp_post_id, content_rank, changed_at, enclosures)
                    VALUES (@source, @key, @guid, @link, @title, @author, @published, @updated, @categories, @summary,
                            @content, @comments, @commentFeed, @count, @hash, @now, @now, @wp, @rank, @now, @enclosures)
                    {db.ReturningId}
                    """,
                    PostParameters);
                Bind(insert, values);
                id = db.InsertedId(insert) ?? throw new InvalidOperationException("The post was not inserted.");
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
                    UPDATE posts SET guid = COALESCE(@guid, guid), link = COALESCE(@link, link), title = COALESCE(@title, title),
                        author = COALESCE(@author, author), published_at = COALESCE(@published, published_at), updated_at = COALESCE(@updated, updated_at),
                        categories = CASE WHEN @categories = '[]' THEN categories ELSE @categories END, summary_html = @summary, content_html = @content,
                        comments_url = COALESCE(@comments, comments_url), comment_feed_url = COALESCE(@commentFeed, comment_feed_url),
                        feed_comment_count = COALESCE(@count, feed_comment_count), content_hash = @hash, last_seen_at = @now,
                        wp_post_id = COALESCE(@wp, wp_post_id),
                        edited_at = CASE WHEN content_hash <> '' AND content_rank = @rank THEN @now ELSE edited_at END,
                        content_rank = @rank, changed_at = @now, enclosures = CASE WHEN @enclosures = '[]' THEN enclosures ELSE @enclosures END
                    WHERE id = @id
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
                    UPDATE posts SET feed_comment_count = COALESCE(@count, feed_comment_count), wp_post_id = COALESCE(@wp, wp_post_id),
                        comments_url = COALESCE(@comments, comments_url), comment_feed_url = COALESCE(@commentFeed, comment_feed_url)
                    WHERE id = @id
                    """,
                    "@id", "@count", "@wp", "@comments", "@commentFeed");
                Bind(refresh, id, post.FeedCommentCount, post.WordPressId, post.CommentsUrl, post.CommentFeedUrl);
                refresh.ExecuteNonQuery();
            }

            if (post.ContentRank == ContentRanks.Api)
            {
                // The blog lists it again: a post it had stopped publishing is shown again.
                using var show = Plain(
                    "UPDATE posts SET hidden_at = NULL, hidden_by = NULL, changed_at = @now, last_seen_at = @now WHERE id = @id AND hidden_by = @by",
                    ("@id", id), ("@now", _at), ("@by", BlogHidden));
                show.ExecuteNonQuery();
            }

            changes.Add(new PostChange(id, post.Key, post.Link, post.Guid, IsNew: false, contentChanged, countChanged, post.CommentFeedUrl));
        }

        return changes;
    }

    /// <summary>A post with its content hash and its categories and enclosures as JSON, as stored.</summary>
    public readonly record struct PreparedPost(PostUpsert Post, string Hash, string Categories, string Enclosures);

    /// <summary>The hash and JSON columns of each post (pure computation: callers run it before taking the writer).</summary>
    public static IReadOnlyList<PreparedPost> PreparePosts(IReadOnlyList<PostUpsert> posts)
    {
        ArgumentNullException.ThrowIfNull(posts);
        return posts.Select(post =>
        {
            // Enclosures count as content only where there are some, so posts without them keep their hash.
            var enclosures = JsonSerializer.Serialize(post.Enclosures);
            var hash = Model.ContentHash.Of(post.Enclosures.Count == 0 ? [post.Title, post.SummaryHtml, post.ContentHtml] : [post.Title, post.SummaryHtml, post.ContentHtml, enclosures]);
            return new PreparedPost(post, hash, JsonSerializer.Serialize(post.Categories), enclosures);
        }).ToList();
    }

    private static readonly string[] PostParameters =
        ["@source", "@key", "@guid", "@link", "@title", "@author", "@published", "@updated", "@categories", "@summary", "@content", "@comments", "@commentFeed", "@count", "@hash", "@now", "@wp", "@rank", "@id", "@enclosures"];

    /// <summary>Hides every post of the source with a WordPress id the blog's list no longer holds (hidden_by "blog"); returns how many.</summary>
    public int HideUnpublishedPosts(long sourceId, IReadOnlySet<long> published)
    {
        var gone = new List<long>();
        using (var list = Plain("SELECT id, wp_post_id FROM posts WHERE source_id = @source AND wp_post_id IS NOT NULL AND hidden_at IS NULL", ("@source", sourceId)))
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
            using var hide = Plain("UPDATE posts SET hidden_at = @now, hidden_by = @by, changed_at = @now, last_seen_at = @now WHERE id = @id", ("@id", id), ("@now", _at), ("@by", BlogHidden));
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
            SELECT id FROM posts WHERE source_id = @source AND ((CAST(@wp AS BIGINT) IS NOT NULL AND wp_post_id = @wp) OR guid = @guid OR link = @link OR key = @link)
            ORDER BY CASE WHEN wp_post_id = @wp THEN 0 WHEN guid = @guid THEN 1 ELSE 2 END LIMIT 1
            """,
            "@source", "@guid", "@link", "@wp");
        Bind(find, sourceId, comment.PostGuid, comment.PostLink, comment.PostWordPressId);
        if (find.ExecuteScalar() is long id)
        {
            return _postIds[cacheKey] = id;
        }

        // A comment on a post the posts feed no longer carries: keep it on a stub the scraper fills later.
        var stub = Command(
            ref _insertStub,
            $"""
            INSERT INTO posts (source_id, key, guid, link, title, content_hash, first_seen_at, last_seen_at, wp_post_id, changed_at)
            VALUES (@source, @key, @guid, @link, @title, '', @now, @now, @wp, @now) {db.ReturningId}
            """,
            "@source", "@key", "@guid", "@link", "@title", "@now", "@wp");
        Bind(stub, sourceId, comment.PostGuid ?? comment.PostLink, comment.PostGuid, comment.PostLink, comment.PostTitle, _at, comment.PostWordPressId);
        return _postIds[cacheKey] = db.InsertedId(stub) ?? throw new InvalidOperationException("The post was not inserted.");
    }

    /// <summary>Hides or shows a post; the content version moves with last_seen_at so the feeds re-render.</summary>
    public bool SetPostHidden(long postId, bool hidden, string moderator)
    {
        using var update = Plain(
            "UPDATE posts SET hidden_at = @at, hidden_by = @by, last_seen_at = @now, changed_at = @now WHERE id = @id",
            ("@id", postId), ("@at", hidden ? _at : null), ("@by", hidden ? moderator : null), ("@now", _at));
        return update.ExecuteNonQuery() == 1;
    }
}
