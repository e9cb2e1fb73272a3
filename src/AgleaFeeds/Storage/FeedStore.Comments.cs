using System.Data;
using System.Text.Json;
using AgleaFeeds.Model;
using Dapper;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Storage;

/// <summary>The comments aggregate of the SQLite store: comments and what the comment feeds carry.</summary>
public sealed partial class FeedStore
{
    /// <inheritdoc />
    public Task<int> UpsertCommentsAsync(long sourceId, IReadOnlyList<CommentUpsert> comments, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(comments);
        return WriteAsync(now, batch => batch.UpsertComments(sourceId, comments).Added, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlySet<long>> GetPublishedCommentIdsAsync(long sourceId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var ids = await connection.QueryAsync<long>(
            """
            SELECT c.wp_comment_id FROM comments c JOIN posts p ON p.id = c.post_id
            WHERE p.source_id = @sourceId AND c.type = 'comment' AND c.wp_comment_id IS NOT NULL AND c.removed_at IS NULL
            """, new { sourceId }).ConfigureAwait(false);
        return ids.ToHashSet();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<FeedComment>> ListApprovedCommentsAsync(long? postId, int offset, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var columns = string.Join(", ", CommentColumns.Split(',').Select(c => "c." + c.Trim()));
        var rows = await connection.QueryAsync<CommentRow, FeedCommentRow, (CommentRow, FeedCommentRow)>(
            $"""
            SELECT {columns}, p.id AS PostId, COALESCE(p.page_title, p.title) AS PostTitle, p.link AS PostLink, p.guid AS PostGuid,
                   parent.link AS ParentLink, parent.guid AS ParentGuid, parent.id AS ParentCommentId,
                   COALESCE(p.page_author, p.author) AS PostAuthor, CASE WHEN p.page_categories <> '[]' THEN p.page_categories ELSE p.categories END AS PostCategories
            FROM comments c JOIN posts p ON p.id = c.post_id LEFT JOIN comments parent ON parent.id = c.parent_id
            WHERE {PublishedComment} AND (@postId IS NULL OR c.post_id = @postId)
            ORDER BY COALESCE(c.published_at, c.first_seen_at) DESC, c.id DESC LIMIT @limit OFFSET @offset
            """,
            (comment, feed) => (comment, feed),
            new { postId, limit, offset },
            splitOn: "PostId").ConfigureAwait(false);
        return rows.Select(r => new FeedComment(r.Item1.ToModel(), r.Item2.PostId, r.Item2.PostTitle, r.Item2.PostLink, r.Item2.PostGuid, r.Item2.ParentLink, r.Item2.ParentGuid, r.Item2.ParentCommentId)
        {
            PostAuthor = r.Item2.PostAuthor,
            PostCategories = JsonSerializer.Deserialize<List<string>>(r.Item2.PostCategories ?? "[]") ?? [],
        }).ToList();
    }

    private sealed class FeedCommentRow
    {
        public long PostId { get; set; }
        public string? PostTitle { get; set; }
        public string? PostLink { get; set; }
        public string? PostGuid { get; set; }
        public string? ParentLink { get; set; }
        public string? ParentGuid { get; set; }
        public long? ParentCommentId { get; set; }
        public string? PostAuthor { get; set; }
        public string? PostCategories { get; set; }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<CommentStatus, int>> CountAuthorCommentsAsync(long commentId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Status, int Count)>(
            """
            SELECT o.status, COUNT(*) FROM comments c JOIN posts p ON p.id = c.post_id
            JOIN posts op ON op.source_id = p.source_id JOIN comments o ON o.post_id = op.id AND o.author = c.author
            WHERE c.id = @commentId GROUP BY o.status
            """, new { commentId }).ConfigureAwait(false);
        return rows.ToDictionary(r => Enum.Parse<CommentStatus>(r.Status), r => r.Count);
    }

    /// <inheritdoc />
    public async Task<Comment?> GetCommentAsync(long id, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<CommentRow>($"SELECT {CommentColumns} FROM comments WHERE id = @id", new { id }).ConfigureAwait(false);
        return row?.ToModel();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<CommentStatus, int>> CountCommentsByStatusAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Status, int Count)>("SELECT status, COUNT(*) FROM comments GROUP BY status").ConfigureAwait(false);
        var counts = Enum.GetValues<CommentStatus>().ToDictionary(s => s, _ => 0);
        foreach (var (status, count) in rows)
        {
            counts[Enum.Parse<CommentStatus>(status)] = count;
        }

        return counts;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Comment>> ListCommentsAsync(long postId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<CommentRow>(
            $"SELECT {CommentColumns} FROM comments WHERE post_id = @postId ORDER BY published_at, id", new { postId }).ConfigureAwait(false);
        return rows.Select(r => r.ToModel()).ToList();
    }
}
