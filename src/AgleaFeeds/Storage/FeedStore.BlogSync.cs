using AgleaFeeds.Model;
using Dapper;

namespace AgleaFeeds.Storage;

/// <summary>Two-way moderation's part of the SQLite store (<see cref="IBlogSyncStore"/>).</summary>
public sealed partial class FeedStore
{
    private const string ConnectionColumns = """
        source_id AS SourceId, api_root AS ApiRoot, user_name AS User, secret AS Secret, origin AS Origin, push_verdicts AS PushVerdicts,
        connected_at AS ConnectedAt, connected_by AS ConnectedBy, checked_at AS CheckedAt, check_error AS CheckError,
        history_at AS HistoryAt, history_count AS HistoryCount
        """;

    /// <inheritdoc />
    public async Task SaveConnectionAsync(BlogConnection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var db = await OpenAsync(ct).ConfigureAwait(false);
        await db.ExecuteAsync(
            """
            INSERT INTO wordpress_connections (source_id, api_root, user_name, secret, origin, push_verdicts, connected_at, connected_by, checked_at, check_error)
            VALUES (@SourceId, @ApiRoot, @User, @Secret, @Origin, @PushVerdicts, @ConnectedAt, @ConnectedBy, @CheckedAt, @CheckError)
            ON CONFLICT (source_id) DO UPDATE SET api_root = excluded.api_root, user_name = excluded.user_name, secret = excluded.secret,
                origin = excluded.origin, push_verdicts = excluded.push_verdicts, connected_at = excluded.connected_at,
                connected_by = excluded.connected_by, checked_at = excluded.checked_at, check_error = excluded.check_error
            """,
            new
            {
                connection.SourceId, connection.ApiRoot, connection.User, connection.Secret, connection.Origin, PushVerdicts = connection.PushVerdicts ? 1 : 0,
                ConnectedAt = connection.ConnectedAt.ToUnixTimeMilliseconds(), connection.ConnectedBy,
                CheckedAt = connection.CheckedAt?.ToUnixTimeMilliseconds(), connection.CheckError,
            }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<BlogConnection?> GetConnectionAsync(long sourceId, CancellationToken ct)
    {
        await using var db = await OpenAsync(ct).ConfigureAwait(false);
        var row = await db.QuerySingleOrDefaultAsync<ConnectionRow>($"SELECT {ConnectionColumns} FROM wordpress_connections WHERE source_id = @sourceId", new { sourceId }).ConfigureAwait(false);
        return row?.ToModel();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BlogConnection>> ListConnectionsAsync(CancellationToken ct)
    {
        await using var db = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await db.QueryAsync<ConnectionRow>($"SELECT {ConnectionColumns} FROM wordpress_connections ORDER BY source_id").ConfigureAwait(false);
        return rows.Select(r => r.ToModel()).ToList();
    }

    /// <inheritdoc />
    public async Task<bool> RemoveConnectionAsync(long sourceId, CancellationToken ct)
    {
        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var db = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await db.BeginTransactionAsync(ct).ConfigureAwait(false);
        var removed = await db.ExecuteAsync("DELETE FROM wordpress_connections WHERE source_id = @sourceId", new { sourceId }, tx).ConfigureAwait(false);
        // Nothing waits for a connection that is gone: what was queued is said to have failed, with why.
        await db.ExecuteAsync(
            """
            UPDATE comments SET sync_state = 'failed', sync_next_at = NULL, sync_note = 'not pushed: the source was disconnected from its WordPress'
            WHERE sync_state = 'pending' AND post_id IN (SELECT id FROM posts WHERE source_id = @sourceId)
            """, new { sourceId }, tx).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return removed == 1;
    }

    /// <inheritdoc />
    public async Task<bool> SetPushVerdictsAsync(long sourceId, bool push, CancellationToken ct)
    {
        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var db = await OpenAsync(ct).ConfigureAwait(false);
        return await db.ExecuteAsync("UPDATE wordpress_connections SET push_verdicts = @push WHERE source_id = @sourceId", new { sourceId, push = push ? 1 : 0 }).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task RecordConnectionCheckAsync(long sourceId, DateTimeOffset now, string? error, CancellationToken ct)
    {
        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var db = await OpenAsync(ct).ConfigureAwait(false);
        await db.ExecuteAsync("UPDATE wordpress_connections SET checked_at = @at, check_error = @error WHERE source_id = @sourceId",
            new { sourceId, at = now.ToUnixTimeMilliseconds(), error }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RecordHistoryImportAsync(long sourceId, int count, DateTimeOffset now, CancellationToken ct)
    {
        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var db = await OpenAsync(ct).ConfigureAwait(false);
        await db.ExecuteAsync("UPDATE wordpress_connections SET history_at = @at, history_count = @count WHERE source_id = @sourceId",
            new { sourceId, count, at = now.ToUnixTimeMilliseconds() }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<(int Added, int Changed)> SaveBlogCommentsAsync(long sourceId, IReadOnlyList<CommentUpsert> comments, bool asLabels, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(comments);
        return WriteAsync(now, batch =>
        {
            var stored = new List<(long Id, bool New)>(comments.Count);
            var (added, _, _) = batch.UpsertComments(sourceId, comments, stored);
            var changed = 0;
            for (var i = 0; i < stored.Count; i++)
            {
                changed += batch.ApplyBlogStatus(stored[i].Id, comments[i].BlogStatus, gone: false, stored[i].New, asLabels) ? 1 : 0;
            }

            return (added, changed);
        }, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlySet<long>> ListHeldOnBlogAsync(long sourceId, CancellationToken ct)
    {
        await using var db = await OpenAsync(ct).ConfigureAwait(false);
        var ids = await db.QueryAsync<long>(
            "SELECT c.wp_comment_id FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.source_id = @sourceId AND c.blog_status = 'hold' AND c.wp_comment_id IS NOT NULL",
            new { sourceId }).ConfigureAwait(false);
        return ids.ToHashSet();
    }

    /// <inheritdoc />
    public Task<int> ApplyBlogStatusAsync(long sourceId, long wordPressId, string? blogStatus, bool gone, DateTimeOffset now, CancellationToken ct) =>
        WriteAsync(now, batch =>
        {
            var ids = batch.CommentsOnBlog(sourceId, wordPressId);
            foreach (var id in ids)
            {
                batch.ApplyBlogStatus(id, blogStatus, gone, isNew: false, asLabel: false);
            }

            return ids.Count;
        }, ct);

    /// <inheritdoc />
    public async Task<IReadOnlyList<BlogPush>> ListDuePushesAsync(DateTimeOffset now, int max, CancellationToken ct)
    {
        await using var db = await OpenAsync(ct).ConfigureAwait(false);
        // What the blog last showed: the status read with credentials; read publicly, approved while listed, unknown once removed.
        var rows = await db.QueryAsync<(long CommentId, long SourceId, long WordPressId, string Wanted, string? LastRead, string DecidedBy, long Attempts)>(
            """
            SELECT c.id, p.source_id, c.wp_comment_id, c.sync_wanted,
                CASE WHEN c.blog_status IS NOT NULL THEN c.blog_status WHEN c.removed_at IS NULL THEN 'approved' ELSE 'removed' END,
                c.sync_by, c.sync_attempts
            FROM comments c JOIN posts p ON p.id = c.post_id JOIN wordpress_connections w ON w.source_id = p.source_id
            WHERE c.sync_state = 'pending' AND c.sync_next_at <= @now
            ORDER BY c.sync_next_at, c.id LIMIT @max
            """, new { now = now.ToUnixTimeMilliseconds(), max }).ConfigureAwait(false);
        return rows.Select(r => new BlogPush(r.CommentId, r.SourceId, r.WordPressId, r.Wanted, r.LastRead, r.DecidedBy, (int)r.Attempts)).ToList();
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset?> NextPushAtAsync(CancellationToken ct)
    {
        await using var db = await OpenAsync(ct).ConfigureAwait(false);
        return Time(await db.ExecuteScalarAsync<long?>("SELECT MIN(sync_next_at) FROM comments WHERE sync_state = 'pending'").ConfigureAwait(false));
    }

    /// <inheritdoc />
    public Task RecordPushAsync(BlogPush push, PushOutcome outcome, string? answer, string? blogStatus, DateTimeOffset? retryAt, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(push);
        return WriteAsync(now, batch => batch.RecordPush(push, outcome, answer, blogStatus, retryAt?.ToUnixTimeMilliseconds()), ct);
    }

    /// <inheritdoc />
    public Task<bool> RetryPushAsync(long commentId, string moderator, DateTimeOffset now, CancellationToken ct) =>
        WriteAsync(now, batch => batch.RetryPush(commentId, moderator), ct);

    /// <inheritdoc />
    public async Task<IReadOnlyList<BlogPushRecord>> ListPushesAsync(long commentId, CancellationToken ct)
    {
        await using var db = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await db.QueryAsync<(long At, string DecidedBy, string Wanted, string Outcome, string? Answer)>(
            "SELECT at, decided_by, wanted, outcome, answer FROM blog_pushes WHERE comment_id = @commentId ORDER BY at, id", new { commentId }).ConfigureAwait(false);
        return rows.Select(r => new BlogPushRecord(DateTimeOffset.FromUnixTimeMilliseconds(r.At), r.DecidedBy, r.Wanted, r.Outcome, r.Answer)).ToList();
    }

    /// <inheritdoc />
    public async Task<int> CountBlogLabelsAsync(CancellationToken ct)
    {
        await using var db = await OpenAsync(ct).ConfigureAwait(false);
        return await db.ExecuteScalarAsync<int>(
            $"""
            SELECT COUNT(DISTINCT comment_id) FROM moderation_events e
            WHERE e.actor = '{WriteBatch.BlogActor}' AND e.to_status IN ('Spam', 'Approved')
              AND e.id = (SELECT MAX(m.id) FROM moderation_events m WHERE m.comment_id = e.comment_id AND m.actor <> 'system' AND m.actor NOT LIKE 'scoring:%')
            """).ConfigureAwait(false);
    }

    private sealed class ConnectionRow
    {
        public long SourceId { get; set; }
        public string ApiRoot { get; set; } = "";
        public string User { get; set; } = "";
        public string Secret { get; set; } = "";
        public string Origin { get; set; } = "";
        public bool PushVerdicts { get; set; }
        public long ConnectedAt { get; set; }
        public string ConnectedBy { get; set; } = "";
        public long? CheckedAt { get; set; }
        public string? CheckError { get; set; }
        public long? HistoryAt { get; set; }
        public int HistoryCount { get; set; }

        public BlogConnection ToModel() => new()
        {
            SourceId = SourceId,
            ApiRoot = ApiRoot,
            User = User,
            Secret = Secret,
            Origin = Origin,
            PushVerdicts = PushVerdicts,
            ConnectedAt = DateTimeOffset.FromUnixTimeMilliseconds(ConnectedAt),
            ConnectedBy = ConnectedBy,
            CheckedAt = Time(CheckedAt),
            CheckError = CheckError,
            HistoryAt = Time(HistoryAt),
            HistoryCount = HistoryCount,
        };
    }
}
