using System.Data;
using System.Text.Json;
using AgleaFeeds.Model;
using Dapper;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Storage;

/// <summary>The posts aggregate of the SQLite store: posts, their scrapes, what the posts feed carries and when it changed.</summary>
public sealed partial class FeedStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<PostChange>> UpsertPostsAsync(long sourceId, IReadOnlyList<PostUpsert> posts, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(posts);
        var prepared = WriteBatch.PreparePosts(posts);
        return WriteAsync(now, batch => batch.UpsertPosts(sourceId, prepared), ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlySet<long>> GetPublishedPostIdsAsync(long sourceId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var ids = await connection.QueryAsync<long>(
            "SELECT wp_post_id FROM posts WHERE source_id = @sourceId AND wp_post_id IS NOT NULL AND (hidden_by IS NULL OR hidden_by <> 'blog')",
            new { sourceId }).ConfigureAwait(false);
        return ids.ToHashSet();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, int?>> GetPostCommentCountsAsync(long sourceId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Key, long? Count)>(
            "SELECT key, feed_comment_count FROM posts WHERE source_id = @sourceId", new { sourceId }).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Key, r => (int?)r.Count, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<FeedPost>> ListFeedPostsAsync(int offset, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<PostRow>(
            $"""
            SELECT {PostColumns.Replace("(SELECT COUNT(*) FROM comments c WHERE c.post_id = posts.id)", "(SELECT COUNT(*) FROM comments c WHERE c.post_id = posts.id AND c.status = 'Approved' AND c.removed_at IS NULL)", StringComparison.Ordinal)}
            FROM posts WHERE {PublishedPost}
            ORDER BY COALESCE(published_at, first_seen_at) DESC, id DESC LIMIT @limit OFFSET @offset
            """, new { limit, offset }).ConfigureAwait(false);
        return rows.Select(r => new FeedPost(r.ToModel(), r.CommentCount)).ToList();
    }

    /// <inheritdoc />
    public async Task<(int Posts, int Comments)> CountPublishableAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        return await connection.QuerySingleAsync<(int, int)>(
            $"""
            SELECT (SELECT COUNT(*) FROM posts WHERE {PublishedPost}),
                   (SELECT COUNT(*) FROM comments c JOIN posts p ON p.id = c.post_id WHERE {PublishedComment})
            """).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset> GetLastChangeAsync(long? postId, bool posts, bool comments, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var ms = await connection.ExecuteScalarAsync<long?>(
            $"""
            SELECT COALESCE(
                (SELECT MAX(t) FROM (
                    SELECT MAX(changed_at) AS t FROM posts WHERE @posts AND (@postId IS NULL OR id = @postId)
                    UNION ALL SELECT MAX(c.changed_at) FROM comments c WHERE @comments AND (@postId IS NULL OR c.post_id = @postId)) AS changes),
                {_db.CreatedAtMs})
            """, new { postId, posts, comments }).ConfigureAwait(false);
        return DateTimeOffset.FromUnixTimeMilliseconds(ms ?? 0);
    }

    /// <inheritdoc />
    public async Task<bool> ClaimScrapeAsync(long postId, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteAsync(
            "UPDATE posts SET scrape_lease_until = @until, scrape_lease_owner = @owner WHERE id = @postId AND (scrape_lease_until IS NULL OR scrape_lease_until <= @now)",
            new { postId, owner, now = now.ToUnixTimeMilliseconds(), until = until.ToUnixTimeMilliseconds() }).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task ReleaseScrapeAsync(long postId, string owner, CancellationToken ct)
    {
        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "UPDATE posts SET scrape_lease_until = NULL WHERE id = @postId AND scrape_lease_owner = @owner", new { postId, owner }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string> GetContentVersionAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<string>(
            """
            SELECT COALESCE((SELECT MAX(id) FROM moderation_events), 0) || '.' || COALESCE((SELECT MAX(last_seen_at) FROM posts), 0) || '.'
                || COALESCE((SELECT MAX(scraped_at) FROM posts), 0) || '.' || COALESCE((SELECT MAX(last_seen_at) FROM comments), 0)
                || '.' || (SELECT COUNT(*) FROM comments WHERE removed_at IS NOT NULL)
                || '.' || COALESCE((SELECT MAX(changed_at) FROM comments), 0) || '.' || COALESCE((SELECT MAX(changed_at) FROM posts), 0)
            """).ConfigureAwait(false) ?? "0";
    }

    /// <inheritdoc />
    public Task<bool> SetPostHiddenAsync(long postId, bool hidden, string moderator, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(moderator);
        return WriteAsync(now, batch => batch.SetPostHidden(postId, hidden, moderator), ct);
    }

    /// <inheritdoc />
    public async Task<Post?> GetPostAsync(long id, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<PostRow>($"SELECT {PostColumns} FROM posts WHERE id = @id", new { id }).ConfigureAwait(false);
        return row?.ToModel();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Post>> ListRecentPostsAsync(int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<PostRow>(
            $"SELECT {PostColumns} FROM posts ORDER BY COALESCE(published_at, first_seen_at) DESC, id DESC LIMIT @limit", new { limit }).ConfigureAwait(false);
        return rows.Select(r => r.ToModel()).ToList();
    }

    /// <summary>A source's posts least recently scraped first (never scraped first): the slice each poll checks again.</summary>
    private const string RecheckQuery =
        "SELECT id FROM posts WHERE source_id = @sourceId AND link IS NOT NULL AND (hidden_by IS NULL OR hidden_by <> 'blog') ORDER BY COALESCE(scraped_at, 0), id LIMIT @limit";

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> ListRecentPostIdsAsync(DateTimeOffset since, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var ids = await connection.QueryAsync<long>(
            "SELECT id FROM posts WHERE COALESCE(published_at, first_seen_at) >= @since AND link IS NOT NULL ORDER BY COALESCE(published_at, first_seen_at) DESC",
            new { since = since.ToUnixTimeMilliseconds() }).ConfigureAwait(false);
        return ids.ToList();
    }

    /// <inheritdoc />
    public Task<ScrapeWriteResult> SaveScrapeAsync(ScrapeWrite write, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(write);
        return WriteAsync(write.At, batch => batch.SaveScrape(write), ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Post>> ListPostsAsync(long sourceId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<PostRow>(
            $"SELECT {PostColumns} FROM posts WHERE source_id = @sourceId ORDER BY published_at DESC, id DESC", new { sourceId }).ConfigureAwait(false);
        return rows.Select(r => r.ToModel()).ToList();
    }
}
