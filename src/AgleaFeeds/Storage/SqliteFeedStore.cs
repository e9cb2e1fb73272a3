using System.Data;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgleaFeeds.Model;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Storage;

/// <summary>The embedded default store: one SQLite file in WAL mode, through Microsoft.Data.Sqlite and Dapper.</summary>
public sealed class SqliteFeedStore(IOptions<StorageOptions> options) : IFeedStore
{
    private const string SourceColumns = """
        s.id AS Id, s.title AS Title, s.site_url AS SiteUrl, s.feed_url AS FeedUrl, s.comments_feed_url AS CommentsFeedUrl,
        s.poll_interval_seconds AS PollIntervalSeconds, s.etag AS ETag, s.last_modified AS LastModified,
        s.last_polled_at AS LastPolledAt, s.last_success_at AS LastSuccessAt, s.next_poll_at AS NextPollAt,
        s.error_count AS ErrorCount, s.last_error AS LastError, s.last_outcome AS LastOutcome,
        (SELECT COUNT(*) FROM posts p WHERE p.source_id = s.id) AS PostCount,
        (SELECT COUNT(*) FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.source_id = s.id) AS CommentCount
        """;

    private const string PostColumns = """
        id AS Id, source_id AS SourceId, key AS Key, guid AS Guid, link AS Link, title AS Title, author AS Author,
        published_at AS PublishedAt, updated_at AS UpdatedAt, categories AS Categories, summary_html AS SummaryHtml,
        content_html AS ContentHtml, comments_url AS CommentsUrl, comment_feed_url AS CommentFeedUrl,
        feed_comment_count AS FeedCommentCount, content_hash AS ContentHash, first_seen_at AS FirstSeenAt, last_seen_at AS LastSeenAt
        """;

    private const string CommentColumns = """
        id AS Id, post_id AS PostId, key AS Key, wp_comment_id AS WordPressId, parent_id AS ParentId, guid AS Guid, link AS Link,
        author AS Author, author_url AS AuthorUrl, published_at AS PublishedAt, content_html AS ContentHtml,
        content_text AS ContentText, seen_in AS SeenIn, status AS Status, first_seen_at AS FirstSeenAt, last_seen_at AS LastSeenAt
        """;

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
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = connection.BeginTransaction();
        var existing = await connection.ExecuteScalarAsync<long?>(
            "SELECT id FROM sources WHERE feed_url = @FeedUrl", new { source.FeedUrl }, tx).ConfigureAwait(false);
        if (existing is { } id)
        {
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
                Interval = (long)(source.PollInterval ?? TimeSpan.FromMinutes(15)).TotalSeconds,
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
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync("UPDATE sources SET next_poll_at = @Now WHERE id = @id", new { id, Now = now.ToUnixTimeMilliseconds() }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> ClaimDueSourcesAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken ct)
    {
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
    public async Task SavePollStateAsync(SourcePollState state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(state);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(
            """
            UPDATE sources SET
                feed_url = CASE WHEN @NewFeedUrl IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sources o WHERE o.feed_url = @NewFeedUrl)
                                THEN @NewFeedUrl ELSE feed_url END,
                comments_feed_url = COALESCE(@CommentsFeedUrl, comments_feed_url),
                site_url = COALESCE(site_url, @SiteUrl),
                etag = CASE WHEN @Succeeded THEN @ETag ELSE etag END,
                last_modified = CASE WHEN @Succeeded THEN @LastModified ELSE last_modified END,
                last_polled_at = @PolledAt,
                last_success_at = CASE WHEN @Succeeded THEN @PolledAt ELSE last_success_at END,
                next_poll_at = @NextPollAt,
                error_count = @ErrorCount,
                last_error = @Error,
                last_outcome = @Outcome,
                lease_until = NULL
            WHERE id = @SourceId
            """,
            new
            {
                state.SourceId,
                state.NewFeedUrl,
                state.CommentsFeedUrl,
                state.SiteUrl,
                state.Succeeded,
                state.ETag,
                state.LastModified,
                PolledAt = state.PolledAt.ToUnixTimeMilliseconds(),
                NextPollAt = state.NextPollAt.ToUnixTimeMilliseconds(),
                state.ErrorCount,
                state.Error,
                state.Outcome,
            }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PostChange>> UpsertPostsAsync(long sourceId, IReadOnlyList<PostUpsert> posts, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(posts);
        var changes = new List<PostChange>(posts.Count);
        var at = now.ToUnixTimeMilliseconds();
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = connection.BeginTransaction();
        foreach (var post in posts)
        {
            var hash = ContentHash(post.Title, post.SummaryHtml, post.ContentHtml);
            var existing = await connection.QuerySingleOrDefaultAsync<(long Id, string Hash, long? Count)>(
                "SELECT id, content_hash, feed_comment_count FROM posts WHERE source_id = @sourceId AND key = @Key",
                new { sourceId, post.Key }, tx).ConfigureAwait(false);
            var parameters = new
            {
                sourceId,
                post.Key,
                post.Guid,
                post.Link,
                post.Title,
                post.Author,
                PublishedAt = post.PublishedAt?.ToUnixTimeMilliseconds(),
                UpdatedAt = post.UpdatedAt?.ToUnixTimeMilliseconds(),
                Categories = JsonSerializer.Serialize(post.Categories),
                post.SummaryHtml,
                post.ContentHtml,
                post.CommentsUrl,
                post.CommentFeedUrl,
                post.FeedCommentCount,
                Hash = hash,
                Now = at,
            };
            if (existing.Id == 0)
            {
                var id = await connection.ExecuteScalarAsync<long>(
                    """
                    INSERT INTO posts (source_id, key, guid, link, title, author, published_at, updated_at, categories, summary_html,
                                       content_html, comments_url, comment_feed_url, feed_comment_count, content_hash, first_seen_at, last_seen_at)
                    VALUES (@sourceId, @Key, @Guid, @Link, @Title, @Author, @PublishedAt, @UpdatedAt, @Categories, @SummaryHtml,
                            @ContentHtml, @CommentsUrl, @CommentFeedUrl, @FeedCommentCount, @Hash, @Now, @Now)
                    RETURNING id
                    """, parameters, tx).ConfigureAwait(false);
                changes.Add(new PostChange(id, post.Key, post.Link, post.Guid, IsNew: true, ContentChanged: true, CommentCountChanged: true, post.CommentFeedUrl));
                continue;
            }

            // A stub created from a comment feed has no content yet: the first real sighting fills it.
            await connection.ExecuteAsync(
                """
                UPDATE posts SET guid = COALESCE(@Guid, guid), link = COALESCE(@Link, link), title = COALESCE(@Title, title),
                    author = COALESCE(@Author, author), published_at = COALESCE(@PublishedAt, published_at), updated_at = @UpdatedAt,
                    categories = @Categories, summary_html = @SummaryHtml, content_html = @ContentHtml,
                    comments_url = COALESCE(@CommentsUrl, comments_url), comment_feed_url = COALESCE(@CommentFeedUrl, comment_feed_url),
                    feed_comment_count = COALESCE(@FeedCommentCount, feed_comment_count), content_hash = @Hash, last_seen_at = @Now
                WHERE source_id = @sourceId AND key = @Key
                """, parameters, tx).ConfigureAwait(false);
            var countChanged = post.FeedCommentCount is { } n && n != existing.Count;
            changes.Add(new PostChange(existing.Id, post.Key, post.Link, post.Guid, IsNew: false, existing.Hash != hash, countChanged, post.CommentFeedUrl));
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return changes;
    }

    /// <inheritdoc />
    public async Task<int> UpsertCommentsAsync(long sourceId, IReadOnlyList<CommentUpsert> comments, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(comments);
        var at = now.ToUnixTimeMilliseconds();
        var added = 0;
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = connection.BeginTransaction();
        foreach (var comment in comments)
        {
            var postId = await FindOrCreatePostAsync(connection, tx, sourceId, comment, at).ConfigureAwait(false);
            var existing = await connection.ExecuteScalarAsync<long?>(
                "SELECT id FROM comments WHERE post_id = @postId AND key = @Key", new { postId, comment.Key }, tx).ConfigureAwait(false);
            var parameters = new
            {
                postId,
                comment.Key,
                comment.WordPressId,
                comment.Guid,
                comment.Link,
                comment.Author,
                comment.AuthorUrl,
                PublishedAt = comment.PublishedAt?.ToUnixTimeMilliseconds(),
                comment.ContentHtml,
                comment.ContentText,
                comment.SeenIn,
                Status = nameof(CommentStatus.Pending),
                Now = at,
            };
            if (existing is null)
            {
                var id = await connection.ExecuteScalarAsync<long>(
                    """
                    INSERT INTO comments (post_id, key, wp_comment_id, guid, link, author, author_url, published_at, content_html,
                                          content_text, seen_in, status, first_seen_at, last_seen_at)
                    VALUES (@postId, @Key, @WordPressId, @Guid, @Link, @Author, @AuthorUrl, @PublishedAt, @ContentHtml,
                            @ContentText, @SeenIn, @Status, @Now, @Now)
                    RETURNING id
                    """, parameters, tx).ConfigureAwait(false);
                await connection.ExecuteAsync(
                    """
                    INSERT INTO moderation_events (comment_id, at, actor, from_status, to_status, reasons)
                    VALUES (@id, @Now, 'system', NULL, @Status, @Reason)
                    """, new { id, Now = at, Status = nameof(CommentStatus.Pending), Reason = $"new comment from the {comment.SeenIn}" }, tx).ConfigureAwait(false);
                added++;
            }
            else
            {
                // Keep the moderation status; refresh what the blog may have edited.
                await connection.ExecuteAsync(
                    """
                    UPDATE comments SET author = COALESCE(@Author, author), author_url = COALESCE(@AuthorUrl, author_url),
                        published_at = COALESCE(@PublishedAt, published_at), content_html = COALESCE(@ContentHtml, content_html),
                        content_text = COALESCE(@ContentText, content_text), guid = COALESCE(guid, @Guid), link = COALESCE(link, @Link),
                        last_seen_at = @Now
                    WHERE id = @Id
                    """, new { Id = existing.Value, comment.Author, comment.AuthorUrl, parameters.PublishedAt, comment.ContentHtml, comment.ContentText, comment.Guid, comment.Link, Now = at }, tx).ConfigureAwait(false);
            }
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return added;
    }

    private static async Task<long> FindOrCreatePostAsync(SqliteConnection connection, IDbTransaction tx, long sourceId, CommentUpsert comment, long at)
    {
        var postId = await connection.ExecuteScalarAsync<long?>(
            """
            SELECT id FROM posts WHERE source_id = @sourceId AND (guid = @PostGuid OR link = @PostLink OR key = @PostLink)
            ORDER BY CASE WHEN guid = @PostGuid THEN 0 ELSE 1 END LIMIT 1
            """, new { sourceId, comment.PostGuid, comment.PostLink }, tx).ConfigureAwait(false);
        if (postId is { } id)
        {
            return id;
        }

        // A comment on a post the posts feed no longer carries: keep it on a stub the scraper fills later.
        return await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO posts (source_id, key, guid, link, title, content_hash, first_seen_at, last_seen_at)
            VALUES (@sourceId, @Key, @PostGuid, @PostLink, @PostTitle, '', @at, @at) RETURNING id
            """, new { sourceId, Key = comment.PostGuid ?? comment.PostLink, comment.PostGuid, comment.PostLink, comment.PostTitle, at }, tx).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<HttpValidators?> GetValidatorsAsync(long sourceId, string url, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string? ETag, string? LastModified)>(
            "SELECT etag, last_modified FROM http_validators WHERE source_id = @sourceId AND url = @url", new { sourceId, url }).ConfigureAwait(false);
        return rows.Select(r => new HttpValidators(r.ETag, r.LastModified)).FirstOrDefault();
    }

    /// <inheritdoc />
    public async Task SaveValidatorsAsync(long sourceId, string url, HttpValidators validators, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(validators);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(
            """
            INSERT INTO http_validators (source_id, url, etag, last_modified, checked_at) VALUES (@sourceId, @url, @ETag, @LastModified, @Now)
            ON CONFLICT (source_id, url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, checked_at = excluded.checked_at
            """, new { sourceId, url, validators.ETag, validators.LastModified, Now = now.ToUnixTimeMilliseconds() }).ConfigureAwait(false);
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

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        return connection;
    }

    private static string ContentHash(params string?[] parts)
    {
        var text = string.Join('\u001f', parts.Select(p => p ?? string.Empty));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
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
