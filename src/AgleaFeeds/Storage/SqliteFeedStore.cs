using System.Data;
using System.Text.Json;
using AgleaFeeds.Model;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Storage;

/// <summary>The embedded default store: one SQLite file in WAL mode, through Microsoft.Data.Sqlite and Dapper.</summary>
public sealed partial class SqliteFeedStore(IOptions<StorageOptions> options) : IFeedStore, IBlogSyncStore
{
    /// <summary>A post the curated feeds carry: it has a link and content, and is not hidden.</summary>
    private const string PublishedPost = "link IS NOT NULL AND hidden_at IS NULL AND (content_html IS NOT NULL OR page_content_html IS NOT NULL OR summary_html IS NOT NULL)";

    /// <summary>A comment (c) the curated feeds carry: approved, still on the blog, its post (p) not hidden.</summary>
    private const string PublishedComment = "c.status = 'Approved' AND c.removed_at IS NULL AND p.hidden_at IS NULL";

    private const string SourceColumns = """
        s.id AS Id, s.title AS Title, s.site_url AS SiteUrl, s.feed_url AS FeedUrl, s.comments_feed_url AS CommentsFeedUrl,
        s.poll_interval_seconds AS PollIntervalSeconds, s.etag AS ETag, s.last_modified AS LastModified,
        s.last_polled_at AS LastPolledAt, s.last_success_at AS LastSuccessAt, s.next_poll_at AS NextPollAt,
        s.error_count AS ErrorCount, s.last_error AS LastError, s.last_outcome AS LastOutcome, s.api_root AS ApiRoot, s.backfilled_at AS BackfilledAt, s.api_comment_total AS ApiCommentTotal, s.api_post_total AS ApiPostTotal, s.api_synced_at AS ApiSyncedAt,
        s.feed_interval_seconds AS FeedIntervalSeconds, s.schedule_reason AS ScheduleReason,
        (SELECT COUNT(*) FROM posts p WHERE p.source_id = s.id) AS PostCount,
        (SELECT COUNT(*) FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.source_id = s.id) AS CommentCount
        """;

    private const string PostColumns = """
        id AS Id, source_id AS SourceId, key AS Key, guid AS Guid, link AS Link, title AS Title, author AS Author,
        published_at AS PublishedAt, updated_at AS UpdatedAt, categories AS Categories, summary_html AS SummaryHtml,
        content_html AS ContentHtml, comments_url AS CommentsUrl, comment_feed_url AS CommentFeedUrl,
        feed_comment_count AS FeedCommentCount, content_hash AS ContentHash, first_seen_at AS FirstSeenAt, last_seen_at AS LastSeenAt,
        page_title AS PageTitle, page_author AS PageAuthor, page_content_html AS PageContentHtml, page_published_at AS PagePublishedAt,
        page_modified_at AS PageModifiedAt, page_categories AS PageCategories, tags AS Tags, page_comment_count AS PageCommentCount,
        scraped_at AS ScrapedAt, scrape_error AS ScrapeError, scrape_outcome AS ScrapeOutcome, hidden_at IS NOT NULL AS Hidden,
        wp_post_id AS WordPressId, edited_at AS EditedAt, changed_at AS ChangedAt, enclosures AS Enclosures,
        (SELECT COUNT(*) FROM comments c WHERE c.post_id = posts.id) AS CommentCount
        """;

    private const string CommentColumns = """
        id AS Id, post_id AS PostId, key AS Key, wp_comment_id AS WordPressId, parent_id AS ParentId, guid AS Guid, link AS Link,
        author AS Author, author_url AS AuthorUrl, published_at AS PublishedAt, content_html AS ContentHtml,
        content_text AS ContentText, seen_in AS SeenIn, status AS Status, first_seen_at AS FirstSeenAt, last_seen_at AS LastSeenAt,
        depth AS Depth, avatar_url AS AvatarUrl, type AS Type, comment_page AS CommentPage, removed_at AS RemovedAt,
        edited_at AS EditedAt, changed_at AS ChangedAt, author_email AS AuthorEmail, author_ip AS AuthorIp, user_agent AS UserAgent,
        blog_status AS BlogStatus, sync_state AS SyncState, sync_wanted AS SyncWanted, sync_note AS SyncNote, sync_at AS SyncAt
        """;

    private readonly SemaphoreSlim _writeGate = new(1, 1);

    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = options.Value.DatabasePath,
        ForeignKeys = true,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <inheritdoc />
    public async Task MigrateAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(options.Value.DatabasePath)!);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync("PRAGMA journal_mode=WAL;").ConfigureAwait(false);
        await SqliteMigrations.ApplyAsync(connection, ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> AddSourceAsync(SourceDefinition source, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = connection.BeginTransaction();
        await connection.ExecuteAsync("DELETE FROM removed_sources WHERE feed_url = @FeedUrl", new { source.FeedUrl }, tx).ConfigureAwait(false);
        var existing = await connection.ExecuteScalarAsync<long?>(
            "SELECT id FROM sources WHERE feed_url = @FeedUrl", new { source.FeedUrl }, tx).ConfigureAwait(false);
        if (existing is { } id)
        {
            // Adding again changes nothing but an interval the definition states explicitly.
            if (source.PollInterval is { } explicitInterval)
            {
                await connection.ExecuteAsync("UPDATE sources SET poll_interval_seconds = @Seconds WHERE id = @id", new { id, Seconds = (long)explicitInterval.TotalSeconds }, tx).ConfigureAwait(false);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            return id;
        }

        id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO sources (title, site_url, feed_url, poll_interval_seconds, next_poll_at, created_at)
            VALUES (@Title, @SiteUrl, @FeedUrl, @Interval, @Now, @Now) RETURNING id
            """,
            new
            {
                source.Title,
                source.SiteUrl,
                source.FeedUrl,
                // 0: the source follows Polling:DefaultInterval.
                Interval = (long)(source.PollInterval ?? TimeSpan.Zero).TotalSeconds,
                Now = now.ToUnixTimeMilliseconds(),
            },
            tx).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return id;
    }

    /// <inheritdoc />
    public async Task<Source?> GetSourceAsync(long id, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<SourceRow>(
            $"SELECT {SourceColumns} FROM sources s WHERE s.id = @id", new { id }).ConfigureAwait(false);
        return row?.ToModel();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Source>> ListSourcesAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<SourceRow>($"SELECT {SourceColumns} FROM sources s ORDER BY s.title, s.id").ConfigureAwait(false);
        return rows.Select(r => r.ToModel()).ToList();
    }

    /// <inheritdoc />
    public async Task MakeDueAsync(long id, DateTimeOffset now, CancellationToken ct)
    {
        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync("UPDATE sources SET next_poll_at = @Now WHERE id = @id", new { id, Now = now.ToUnixTimeMilliseconds() }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> ClaimDueSourcesAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken ct)
    {
        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = connection.BeginTransaction();
        var ids = await connection.QueryAsync<long>(
            """
            UPDATE sources SET lease_until = @LeaseUntil
            WHERE id IN (SELECT id FROM sources
                         WHERE next_poll_at <= @Now AND (lease_until IS NULL OR lease_until <= @Now)
                         ORDER BY next_poll_at, id LIMIT @Max)
            RETURNING id
            """,
            new { Now = now.ToUnixTimeMilliseconds(), LeaseUntil = (now + lease).ToUnixTimeMilliseconds(), Max = max },
            tx).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return ids.Order().ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> ClaimSourcesAsync(IReadOnlyList<long> ids, DateTimeOffset now, TimeSpan lease, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = connection.BeginTransaction();
        var claimed = await connection.QueryAsync<long>(
            """
            UPDATE sources SET lease_until = @LeaseUntil
            WHERE id IN (SELECT value FROM json_each(@Ids)) AND (lease_until IS NULL OR lease_until <= @Now)
            RETURNING id
            """,
            new { Ids = JsonSerializer.Serialize(ids), Now = now.ToUnixTimeMilliseconds(), LeaseUntil = (now + lease).ToUnixTimeMilliseconds() },
            tx).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return claimed.Order().ToList();
    }

    /// <inheritdoc />
    public Task RenewLeasesAsync(IReadOnlyList<long> ids, DateTimeOffset until, CancellationToken ct) =>
        SetLeasesAsync(ids, until.ToUnixTimeMilliseconds(), ct);

    /// <inheritdoc />
    public Task ReleaseLeasesAsync(IReadOnlyList<long> ids, CancellationToken ct) => SetLeasesAsync(ids, null, ct);

    private async Task SetLeasesAsync(IReadOnlyList<long> ids, long? until, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return;
        }

        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        // Only leases still held: a source whose poll was saved (lease NULL) is not leased again.
        await connection.ExecuteAsync(
            "UPDATE sources SET lease_until = @Until WHERE id IN (SELECT value FROM json_each(@Ids)) AND lease_until IS NOT NULL",
            new { Ids = JsonSerializer.Serialize(ids), Until = until }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task SavePollStateAsync(SourcePollState state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(state);
        return WriteAsync(state.PolledAt, batch => batch.SavePollState(state), ct);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PostChange>> UpsertPostsAsync(long sourceId, IReadOnlyList<PostUpsert> posts, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(posts);
        return WriteAsync(now, batch => batch.UpsertPosts(sourceId, posts), ct);
    }

    /// <inheritdoc />
    public Task<int> UpsertCommentsAsync(long sourceId, IReadOnlyList<CommentUpsert> comments, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(comments);
        return WriteAsync(now, batch => batch.UpsertComments(sourceId, comments).Added, ct);
    }

    /// <inheritdoc />
    public Task<PollWriteResult> SavePollAsync(PollWrite write, Func<PollWriteResult, SourcePollState> state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(state);
        return WriteAsync(write.At, batch =>
        {
            var posts = batch.UpsertPosts(write.SourceId, write.Posts);
            var comments = batch.UpsertComments(write.SourceId, write.Comments);
            var removed = write.PublishedCommentIds is { } published ? batch.MarkUnpublished(write.SourceId, published) : 0;
            if (write.PublishedPostIds is { } publishedPosts)
            {
                batch.HideUnpublishedPosts(write.SourceId, publishedPosts);
            }

            var result = new PollWriteResult(posts, comments.Added) { PostsWithNewComments = comments.Posts, Removed = removed, Restored = comments.Restored, Rescored = batch.Rescored };
            foreach (var (url, validators) in write.Validators)
            {
                batch.SaveValidators(write.SourceId, url, validators);
            }

            batch.SavePollState(state(result));
            return result;
        }, ct);
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
    public async Task<IReadOnlyDictionary<string, int?>> GetPostCommentCountsAsync(long sourceId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Key, long? Count)>(
            "SELECT key, feed_comment_count FROM posts WHERE source_id = @sourceId", new { sourceId }).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Key, r => (int?)r.Count, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public async Task<HttpValidators?> GetValidatorAsync(long sourceId, string url, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string? ETag, string? LastModified)>(
            "SELECT etag, last_modified FROM http_validators WHERE source_id = @sourceId AND url = @url", new { sourceId, url }).ConfigureAwait(false);
        return rows.Select(r => new HttpValidators(r.ETag, r.LastModified)).FirstOrDefault();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, HttpValidators>> GetValidatorsAsync(long sourceId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Url, string? ETag, string? LastModified)>(
            "SELECT url, etag, last_modified FROM http_validators WHERE source_id = @sourceId", new { sourceId }).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Url, r => new HttpValidators(r.ETag, r.LastModified), StringComparer.Ordinal);
    }

    /// <summary>Runs one write transaction: behind this process's write gate, statements prepared once per batch.</summary>
    private async Task<T> WriteAsync<T>(DateTimeOffset now, Func<SqliteWriteBatch, T> work, CancellationToken ct)
    {
        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = connection.BeginTransaction();
        T result;
        using (var batch = new SqliteWriteBatch(connection, tx, now))
        {
            result = work(batch);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return result;
    }

    private Task WriteAsync(DateTimeOffset now, Action<SqliteWriteBatch> work, CancellationToken ct) =>
        WriteAsync<bool>(now, batch =>
        {
            work(batch);
            return true;
        }, ct);



    /// <inheritdoc />
    public Task SaveValidatorsAsync(long sourceId, string url, HttpValidators validators, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(validators);
        return WriteAsync(now, batch => batch.SaveValidators(sourceId, url, validators), ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ScoringCandidate>> ListUnscoredCommentsAsync(int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        // Trust needs the same name and the same e-mail (WordPress's rule; known where the blog's credentials read it)
        // or the same author URL (all a feed carries);
        // a flood is the same name on the same blog within the interval.
        var rows = await connection.QueryAsync<CandidateRow>(
            """
            SELECT c.id AS CommentId, c.post_id AS PostId, c.author AS Author, c.author_url AS AuthorUrl, c.content_html AS ContentHtml,
                c.author_email AS AuthorEmail, c.author_ip AS AuthorIp, c.user_agent AS UserAgent,
                s.site_url AS SiteUrl, s.feed_url AS FeedUrl, p.link AS PostLink,
                EXISTS (SELECT 1 FROM comments o JOIN posts op ON op.id = o.post_id
                        WHERE op.source_id = p.source_id AND o.id <> c.id AND o.status = 'Approved'
                          AND o.author = c.author AND (o.author_url = c.author_url OR o.author_email = c.author_email)) AS PreviouslyApproved,
                EXISTS (SELECT 1 FROM comments d WHERE d.post_id = c.post_id AND d.id < c.id AND d.author IS c.author
                          AND d.content_html = c.content_html) AS Duplicate,
                c.published_at - (SELECT MAX(f.published_at) FROM comments f JOIN posts fp ON fp.id = f.post_id
                                  WHERE fp.source_id = p.source_id AND f.id <> c.id AND f.author = c.author
                                    AND f.published_at <= c.published_at) AS SincePreviousMs
            FROM comments c JOIN posts p ON p.id = c.post_id JOIN sources s ON s.id = p.source_id
            WHERE c.status = 'Pending' AND c.removed_at IS NULL
              AND (c.rescore = 1 OR NOT EXISTS (SELECT 1 FROM moderation_events e WHERE e.comment_id = c.id AND e.actor LIKE 'scoring:%' AND e.actor <> 'scoring:none'))
            ORDER BY c.id LIMIT @limit
            """, new { limit }).ConfigureAwait(false);
        return rows.Select(r => new ScoringCandidate
        {
            CommentId = r.CommentId,
            PostId = r.PostId,
            Author = r.Author,
            AuthorUrl = r.AuthorUrl,
            AuthorEmail = r.AuthorEmail,
            AuthorIp = r.AuthorIp,
            UserAgent = r.UserAgent,
            ContentHtml = r.ContentHtml,
            AuthorPreviouslyApproved = r.PreviouslyApproved,
            DuplicateOnPost = r.Duplicate,
            SincePreviousByAuthor = r.SincePreviousMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            OwnHosts = new[] { r.SiteUrl, r.FeedUrl, r.PostLink }.Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri.IdnHost : null).OfType<string>().Where(h => h.Length > 0).Distinct().ToList(),
        }).ToList();
    }

    /// <inheritdoc />
    public Task<int> ApplyVerdictsAsync(IReadOnlyList<VerdictWrite> verdicts, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        return WriteAsync(now, batch => batch.ApplyVerdicts(verdicts), ct);
    }

    /// <inheritdoc />
    public Task<bool> RecordDecisionAsync(long commentId, CommentStatus status, string moderator, string? note, DateTimeOffset now, CancellationToken ct, CommentStatus? expected = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(moderator);
        if (moderator.StartsWith("scoring:", StringComparison.Ordinal) || moderator is "system" or SqliteWriteBatch.BlogActor)
        {
            throw new ArgumentException("Storage: a moderator's name cannot be one of the system's actors.", nameof(moderator));
        }

        return WriteAsync(now, batch => batch.RecordDecision(commentId, status, moderator, note, expected), ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(long CommentId, AgleaFeeds.Scoring.LabelledComment Label)>> ListModeratorLabelsAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(long Id, string? Content, string? Author, string? AuthorUrl, string Status)>(
            """
            SELECT c.id, c.content_html, c.author, c.author_url, e.to_status
            FROM comments c JOIN moderation_events e ON e.comment_id = c.id
            WHERE e.id = (SELECT MAX(m.id) FROM moderation_events m WHERE m.comment_id = c.id AND m.actor <> 'system' AND m.actor NOT LIKE 'scoring:%')
              AND e.to_status IN ('Spam', 'Approved')
            ORDER BY c.id
            """).ConfigureAwait(false);
        return rows.Select(r => (r.Id, new AgleaFeeds.Scoring.LabelledComment(r.Content ?? string.Empty, r.Status == "Spam", r.Author, r.AuthorUrl))).ToList();
    }

    /// <inheritdoc />
    public Task<int> MarkQueueForRecheckAsync(DateTimeOffset now, CancellationToken ct) =>
        WriteAsync(now, batch => batch.MarkQueueForRecheck(), ct);

    /// <inheritdoc />
    public async Task<long> ModeratorDecisionsStampAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long?>(
            "SELECT MAX(id) FROM moderation_events WHERE actor <> 'system' AND actor NOT LIKE 'scoring:%'").ConfigureAwait(false) ?? 0;
    }

    private sealed class CandidateRow
    {
        public long CommentId { get; set; }
        public long PostId { get; set; }
        public string? Author { get; set; }
        public string? AuthorUrl { get; set; }
        public string? AuthorEmail { get; set; }
        public string? AuthorIp { get; set; }
        public string? UserAgent { get; set; }
        public string? ContentHtml { get; set; }
        public bool PreviouslyApproved { get; set; }
        public bool Duplicate { get; set; }
        public long? SincePreviousMs { get; set; }
        public string? SiteUrl { get; set; }
        public string? FeedUrl { get; set; }
        public string? PostLink { get; set; }
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

    /// <inheritdoc />
    public async Task<DateTimeOffset> GetLastChangeAsync(long? postId, bool posts, bool comments, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var ms = await connection.ExecuteScalarAsync<long?>(
            """
            SELECT COALESCE(
                (SELECT MAX(t) FROM (
                    SELECT MAX(changed_at) AS t FROM posts WHERE @posts AND (@postId IS NULL OR id = @postId)
                    UNION ALL SELECT MAX(c.changed_at) FROM comments c WHERE @comments AND (@postId IS NULL OR c.post_id = @postId))),
                (SELECT CAST(strftime('%s', MIN(applied_at)) AS INTEGER) * 1000 FROM schema_migrations))
            """, new { postId, posts, comments }).ConfigureAwait(false);
        return DateTimeOffset.FromUnixTimeMilliseconds(ms ?? 0);
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
    public async Task<IReadOnlyList<ModerationItem>> ListForModerationAsync(ModerationQuery query, int offset, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var columns = string.Join(", ", CommentColumns.Split(',').Select(c => "c." + c.Trim()));
        var rows = await connection.QueryAsync<CommentRow, ModerationRow, (CommentRow, ModerationRow)>(
            $"""
            SELECT {columns}, 1 AS ModerationSplit, COALESCE(p.page_title, p.title) AS PostTitle, p.link AS PostLink,
                   parent.author AS ParentAuthor, COALESCE(parent.content_text, parent.content_html) AS ParentText,
                   v.score AS Score, v.reasons AS Reasons
            FROM comments c JOIN posts p ON p.id = c.post_id LEFT JOIN comments parent ON parent.id = c.parent_id
            LEFT JOIN moderation_events v ON v.id = (SELECT MAX(e.id) FROM moderation_events e WHERE e.comment_id = c.id AND e.actor LIKE 'scoring:%')
            WHERE c.status = @Status
              AND (@SourceId IS NULL OR p.source_id = @SourceId)
              AND (@PostId IS NULL OR c.post_id = @PostId)
              AND (@Search IS NULL OR c.author LIKE @Search ESCAPE '\' OR c.content_text LIKE @Search ESCAPE '\' OR c.content_html LIKE @Search ESCAPE '\')
              AND (@Reason IS NULL OR v.reasons LIKE @Reason ESCAPE '\')
            ORDER BY {(query.HighestScoreFirst ? "v.score IS NULL, v.score DESC," : string.Empty)} COALESCE(c.published_at, c.first_seen_at) DESC, c.id DESC
            LIMIT @limit OFFSET @offset
            """,
            (comment, m) => (comment, m),
            new { Status = query.Status.ToString(), query.SourceId, query.PostId, Search = Like(query.Search), Reason = Like(query.Reason), limit, offset },
            // Split on a column that is never NULL: Dapper maps a NULL split column (a post without a title) to no object at all.
            splitOn: "ModerationSplit").ConfigureAwait(false);
        return rows.Select(r => new ModerationItem(r.Item1.ToModel(), r.Item2.PostTitle, r.Item2.PostLink, r.Item2.ParentAuthor, r.Item2.ParentText, r.Item2.Score, r.Item2.Reasons)).ToList();
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

    /// <summary>A LIKE pattern matching the text anywhere, its own % and _ taken literally; null for no filter.</summary>
    private static string? Like(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : "%" + text.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";

    private sealed class ModerationRow
    {
        public string? PostTitle { get; set; }
        public string? PostLink { get; set; }
        public string? ParentAuthor { get; set; }
        public string? ParentText { get; set; }
        public double? Score { get; set; }
        public string? Reasons { get; set; }
    }

    /// <inheritdoc />
    public Task<bool> SetPostHiddenAsync(long postId, bool hidden, string moderator, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(moderator);
        return WriteAsync(now, batch => batch.SetPostHidden(postId, hidden, moderator), ct);
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

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> ListPostsToRecheckAsync(long sourceId, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var ids = await connection.QueryAsync<long>(
            "SELECT id FROM posts WHERE source_id = @sourceId AND link IS NOT NULL AND (hidden_by IS NULL OR hidden_by <> 'blog') ORDER BY COALESCE(scraped_at, 0), id LIMIT @limit",
            new { sourceId, limit }).ConfigureAwait(false);
        return ids.ToList();
    }

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

    /// <inheritdoc />
    public async Task<IReadOnlyList<Comment>> ListCommentsAsync(long postId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<CommentRow>(
            $"SELECT {CommentColumns} FROM comments WHERE post_id = @postId ORDER BY published_at, id", new { postId }).ConfigureAwait(false);
        return rows.Select(r => r.ToModel()).ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ModerationEvent>> ListEventsAsync(long commentId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<EventRow>(
            """
            SELECT id AS Id, comment_id AS CommentId, at AS At, actor AS Actor, from_status AS FromStatus,
                   to_status AS ToStatus, score AS Score, reasons AS Reasons
            FROM moderation_events WHERE comment_id = @commentId ORDER BY at, id
            """, new { commentId }).ConfigureAwait(false);
        return rows.Select(r => r.ToModel()).ToList();
    }

    /// <inheritdoc />
    public async Task<bool> RemoveSourceAsync(long id, string moderator, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(moderator);
        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = connection.BeginTransaction();
        var url = await connection.ExecuteScalarAsync<string?>("SELECT feed_url FROM sources WHERE id = @id", new { id }, tx).ConfigureAwait(false);
        if (url is null)
        {
            return false;
        }

        // Replies point at their parents without a cascade: unlink them before the comments go.
        await connection.ExecuteAsync(
            "UPDATE comments SET parent_id = NULL WHERE post_id IN (SELECT id FROM posts WHERE source_id = @id)", new { id }, tx).ConfigureAwait(false);
        await connection.ExecuteAsync("DELETE FROM sources WHERE id = @id", new { id }, tx).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "INSERT INTO removed_sources (feed_url, removed_by, removed_at) VALUES (@url, @moderator, @at) ON CONFLICT (feed_url) DO UPDATE SET removed_by = excluded.removed_by, removed_at = excluded.removed_at",
            new { url, moderator, at = now.ToUnixTimeMilliseconds() }, tx).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task MoveSourceOriginAsync(long id, string from, string to, CancellationToken ct)
    {
        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = connection.BeginTransaction();
        var args = new { id, from, to };
        await connection.ExecuteAsync(
            """
            UPDATE sources SET feed_url = replace(feed_url, @from, @to), site_url = replace(site_url, @from, @to),
                comments_feed_url = replace(comments_feed_url, @from, @to), api_root = replace(api_root, @from, @to),
                etag = NULL, last_modified = NULL
            WHERE id = @id;
            DELETE FROM http_validators WHERE source_id = @id;
            UPDATE posts SET key = replace(key, @from, @to), guid = replace(guid, @from, @to), link = replace(link, @from, @to),
                comments_url = replace(comments_url, @from, @to), comment_feed_url = replace(comment_feed_url, @from, @to),
                summary_html = replace(summary_html, @from, @to), content_html = replace(content_html, @from, @to),
                page_content_html = replace(page_content_html, @from, @to)
            WHERE source_id = @id;
            UPDATE comments SET key = replace(key, @from, @to), guid = replace(guid, @from, @to), link = replace(link, @from, @to),
                content_html = replace(content_html, @from, @to), author_url = replace(author_url, @from, @to)
            WHERE post_id IN (SELECT id FROM posts WHERE source_id = @id);
            """, args, tx).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> CountSpamSinceAsync(DateTimeOffset since, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<int>(
            """
            SELECT COUNT(DISTINCT c.id) FROM comments c JOIN moderation_events e ON e.comment_id = c.id
            WHERE c.status = 'Spam' AND e.to_status = 'Spam' AND e.at >= @since
            """, new { since = since.ToUnixTimeMilliseconds() }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlySet<string>> ListRemovedFeedUrlsAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        return (await connection.QueryAsync<string>("SELECT feed_url FROM removed_sources").ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuthorRule>> ListAuthorRulesAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(long Id, string Kind, string Value, string Action, string CreatedBy, long CreatedAt)>(
            "SELECT id, kind, value, action, created_by, created_at FROM author_rules ORDER BY kind, value").ConfigureAwait(false);
        return rows.Select(r => new AuthorRule(r.Id, Enum.Parse<AuthorRuleKind>(r.Kind), r.Value, Enum.Parse<AuthorRuleAction>(r.Action), r.CreatedBy, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt))).ToList();
    }

    /// <inheritdoc />
    public Task SetAuthorRuleAsync(AuthorRuleKind kind, string value, AuthorRuleAction action, string moderator, DateTimeOffset now, CancellationToken ct)
    {
        var normalized = AuthorRule.Normalize(kind, value) ?? throw new ArgumentException($"\"{value}\" is not a valid {kind}.", nameof(value));
        ArgumentException.ThrowIfNullOrWhiteSpace(moderator);
        return WriteAsync(now, batch => batch.SetAuthorRule(kind, normalized, action, moderator), ct);
    }

    /// <inheritdoc />
    public Task<bool> RemoveAuthorRuleAsync(long id, CancellationToken ct) =>
        WriteAsync(DateTimeOffset.UnixEpoch, batch => batch.RemoveAuthorRule(id), ct);

    /// <summary>
    /// Serializes this process's writes. SQLite has one writer at a time anyway; queueing here instead
    /// of in SQLite's busy handler keeps many concurrent polls from spinning on the write lock.
    /// </summary>
    private async Task<WriteGate> EnterWriteAsync(CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        return new WriteGate(_writeGate);
    }

    private sealed class WriteGate(SemaphoreSlim gate) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            gate.Release();
            return ValueTask.CompletedTask;
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        // In WAL mode NORMAL keeps the database consistent after a crash and skips an fsync per commit;
        // a power cut can only lose the last polls, which the next poll fetches again.
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=NORMAL";
        await pragma.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return connection;
    }


    private static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    private sealed class SourceRow
    {
        public long Id { get; set; }
        public string Title { get; set; } = "";
        public string? SiteUrl { get; set; }
        public string FeedUrl { get; set; } = "";
        public string? CommentsFeedUrl { get; set; }
        public long PollIntervalSeconds { get; set; }
        public string? ETag { get; set; }
        public string? LastModified { get; set; }
        public long? LastPolledAt { get; set; }
        public long? LastSuccessAt { get; set; }
        public long NextPollAt { get; set; }
        public int ErrorCount { get; set; }
        public string? LastError { get; set; }
        public string? LastOutcome { get; set; }
        public string? ApiRoot { get; set; }
        public long? BackfilledAt { get; set; }
        public int? ApiCommentTotal { get; set; }
        public int? ApiPostTotal { get; set; }
        public long? ApiSyncedAt { get; set; }
        public long? FeedIntervalSeconds { get; set; }
        public string? ScheduleReason { get; set; }
        public int PostCount { get; set; }
        public int CommentCount { get; set; }

        public Source ToModel() => new()
        {
            Id = Id,
            Title = Title,
            SiteUrl = SiteUrl,
            FeedUrl = FeedUrl,
            CommentsFeedUrl = CommentsFeedUrl,
            PollInterval = TimeSpan.FromSeconds(PollIntervalSeconds),
            ETag = ETag,
            LastModified = LastModified,
            LastPolledAt = Time(LastPolledAt),
            LastSuccessAt = Time(LastSuccessAt),
            NextPollAt = DateTimeOffset.FromUnixTimeMilliseconds(NextPollAt),
            ErrorCount = ErrorCount,
            LastError = LastError,
            LastOutcome = LastOutcome,
            ApiRoot = ApiRoot,
            BackfilledAt = Time(BackfilledAt),
            ApiCommentTotal = ApiCommentTotal,
            ApiPostTotal = ApiPostTotal,
            ApiSyncedAt = Time(ApiSyncedAt),
            FeedInterval = FeedIntervalSeconds is { } f ? TimeSpan.FromSeconds(f) : null,
            ScheduleReason = ScheduleReason,
            PostCount = PostCount,
            CommentCount = CommentCount,
        };
    }

    private sealed class PostRow
    {
        public long Id { get; set; }
        public long SourceId { get; set; }
        public string Key { get; set; } = "";
        public string? Guid { get; set; }
        public string? Link { get; set; }
        public string? Title { get; set; }
        public string? Author { get; set; }
        public long? PublishedAt { get; set; }
        public long? UpdatedAt { get; set; }
        public string Categories { get; set; } = "[]";
        public string? SummaryHtml { get; set; }
        public string? ContentHtml { get; set; }
        public string? CommentsUrl { get; set; }
        public string? CommentFeedUrl { get; set; }
        public int? FeedCommentCount { get; set; }
        public long FirstSeenAt { get; set; }
        public long LastSeenAt { get; set; }
        public string? PageTitle { get; set; }
        public string? PageAuthor { get; set; }
        public string? PageContentHtml { get; set; }
        public long? PagePublishedAt { get; set; }
        public long? PageModifiedAt { get; set; }
        public string PageCategories { get; set; } = "[]";
        public string Tags { get; set; } = "[]";
        public int? PageCommentCount { get; set; }
        public long? ScrapedAt { get; set; }
        public string? ScrapeError { get; set; }
        public string? ScrapeOutcome { get; set; }
        public bool Hidden { get; set; }
        public long? WordPressId { get; set; }
        public long? EditedAt { get; set; }
        public long? ChangedAt { get; set; }
        public string Enclosures { get; set; } = "[]";
        public int CommentCount { get; set; }

        public Post ToModel() => new()
        {
            Id = Id,
            SourceId = SourceId,
            Key = Key,
            Guid = Guid,
            Link = Link,
            Title = Title,
            Author = Author,
            PublishedAt = Time(PublishedAt),
            UpdatedAt = Time(UpdatedAt),
            Categories = JsonSerializer.Deserialize<List<string>>(Categories) ?? [],
            SummaryHtml = SummaryHtml,
            ContentHtml = ContentHtml,
            CommentsUrl = CommentsUrl,
            CommentFeedUrl = CommentFeedUrl,
            FeedCommentCount = FeedCommentCount,
            PageTitle = PageTitle,
            PageAuthor = PageAuthor,
            PageContentHtml = PageContentHtml,
            PagePublishedAt = Time(PagePublishedAt),
            PageModifiedAt = Time(PageModifiedAt),
            PageCategories = JsonSerializer.Deserialize<List<string>>(PageCategories) ?? [],
            Tags = JsonSerializer.Deserialize<List<string>>(Tags) ?? [],
            PageCommentCount = PageCommentCount,
            ScrapedAt = Time(ScrapedAt),
            ScrapeError = ScrapeError,
            ScrapeOutcome = ScrapeOutcome,
            CommentCount = CommentCount,
            Hidden = Hidden,
            WordPressId = WordPressId,
            EditedAt = Time(EditedAt),
            ChangedAt = Time(ChangedAt),
            Enclosures = JsonSerializer.Deserialize<List<Parsing.Enclosure>>(Enclosures) ?? [],
            FirstSeenAt = DateTimeOffset.FromUnixTimeMilliseconds(FirstSeenAt),
            LastSeenAt = DateTimeOffset.FromUnixTimeMilliseconds(LastSeenAt),
        };
    }

    private sealed class CommentRow
    {
        public long Id { get; set; }
        public long PostId { get; set; }
        public string Key { get; set; } = "";
        public long? WordPressId { get; set; }
        public long? ParentId { get; set; }
        public string? Guid { get; set; }
        public string? Link { get; set; }
        public string? Author { get; set; }
        public string? AuthorUrl { get; set; }
        public long? PublishedAt { get; set; }
        public string? ContentHtml { get; set; }
        public string? ContentText { get; set; }
        public string? SeenIn { get; set; }
        public string Status { get; set; } = "";
        public long FirstSeenAt { get; set; }
        public long LastSeenAt { get; set; }
        public int? Depth { get; set; }
        public string? AvatarUrl { get; set; }
        public string Type { get; set; } = "comment";
        public int? CommentPage { get; set; }
        public long? RemovedAt { get; set; }
        public long? EditedAt { get; set; }
        public long? ChangedAt { get; set; }
        public string? AuthorEmail { get; set; }
        public string? AuthorIp { get; set; }
        public string? UserAgent { get; set; }
        public string? BlogStatus { get; set; }
        public string? SyncState { get; set; }
        public string? SyncWanted { get; set; }
        public string? SyncNote { get; set; }
        public long? SyncAt { get; set; }

        public Comment ToModel() => new()
        {
            Id = Id,
            PostId = PostId,
            Key = Key,
            WordPressId = WordPressId,
            ParentId = ParentId,
            Guid = Guid,
            Link = Link,
            Author = Author,
            AuthorUrl = AuthorUrl,
            PublishedAt = Time(PublishedAt),
            ContentHtml = ContentHtml,
            ContentText = ContentText,
            SeenIn = SeenIn,
            Status = Enum.Parse<CommentStatus>(Status),
            Depth = Depth,
            AvatarUrl = AvatarUrl,
            Type = Type,
            CommentPage = CommentPage,
            RemovedAt = Time(RemovedAt),
            EditedAt = Time(EditedAt),
            ChangedAt = Time(ChangedAt),
            AuthorEmail = AuthorEmail,
            AuthorIp = AuthorIp,
            UserAgent = UserAgent,
            BlogStatus = BlogStatus,
            Sync = SyncState is null ? null : new BlogSync(SyncState, SyncWanted ?? string.Empty, SyncNote, Time(SyncAt)),
            FirstSeenAt = DateTimeOffset.FromUnixTimeMilliseconds(FirstSeenAt),
            LastSeenAt = DateTimeOffset.FromUnixTimeMilliseconds(LastSeenAt),
        };
    }

    private sealed class EventRow
    {
        public long Id { get; set; }
        public long CommentId { get; set; }
        public long At { get; set; }
        public string Actor { get; set; } = "";
        public string? FromStatus { get; set; }
        public string ToStatus { get; set; } = "";
        public double? Score { get; set; }
        public string? Reasons { get; set; }

        public ModerationEvent ToModel() => new()
        {
            Id = Id,
            CommentId = CommentId,
            At = DateTimeOffset.FromUnixTimeMilliseconds(At),
            Actor = Actor,
            From = FromStatus is null ? null : Enum.Parse<CommentStatus>(FromStatus),
            To = Enum.Parse<CommentStatus>(ToStatus),
            Score = Score,
            Reasons = Reasons,
        };
    }
}
