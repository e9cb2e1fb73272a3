using System.Data;
using System.Text.Json;
using AgleaFeeds.Model;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Storage;

/// <summary>
/// The store, through Dapper, on the database the options name (<see cref="StoreDatabase"/>): one SQLite file in WAL mode
/// by default, or PostgreSQL. The statements are the same text on both; the few that differ come from the database.
/// </summary>
public sealed partial class FeedStore(IOptions<StorageOptions> options) : IFeedStore, IBlogSyncStore, ISharedStateStore, IAsyncDisposable
{
    /// <summary>A post the curated feeds carry: it has a link and content, and is not hidden.</summary>
    private const string PublishedPost = "link IS NOT NULL AND hidden_at IS NULL AND (content_html IS NOT NULL OR page_content_html IS NOT NULL OR summary_html IS NOT NULL)";

    /// <summary>A comment (c) the curated feeds carry: approved, still on the blog, its post (p) not hidden.</summary>
    private const string PublishedComment = "c.status = 'Approved' AND c.removed_at IS NULL AND p.hidden_at IS NULL";

    private const string SourceColumns = SourceFields + """
        ,
        (SELECT COUNT(*) FROM posts p WHERE p.source_id = s.id) AS PostCount,
        (SELECT COUNT(*) FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.source_id = s.id) AS CommentCount
        """;

    /// <summary>A source's own columns, without its counts (two subqueries, most of the cost of preparing the statement).</summary>
    private const string SourceFields = """
        s.id AS Id, s.title AS Title, s.site_url AS SiteUrl, s.feed_url AS FeedUrl, s.comments_feed_url AS CommentsFeedUrl,
        s.poll_interval_seconds AS PollIntervalSeconds, s.etag AS ETag, s.last_modified AS LastModified,
        s.last_polled_at AS LastPolledAt, s.last_success_at AS LastSuccessAt, s.next_poll_at AS NextPollAt,
        s.error_count AS ErrorCount, s.last_error AS LastError, s.last_outcome AS LastOutcome, s.api_root AS ApiRoot, s.backfilled_at AS BackfilledAt, s.api_comment_total AS ApiCommentTotal, s.api_post_total AS ApiPostTotal, s.api_synced_at AS ApiSyncedAt,
        s.feed_interval_seconds AS FeedIntervalSeconds, s.schedule_reason AS ScheduleReason, s.lease_owner AS LeaseOwner
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

    private readonly SemaphoreSlim _writeGate = new(StoreDatabase.MaxWritersOf(options.Value), StoreDatabase.MaxWritersOf(options.Value));

    private readonly StoreDatabase _db = StoreDatabase.Create(options.Value);

    /// <summary>The database under the store (SQLite or PostgreSQL).</summary>
    public StoreDatabase Database => _db;

    /// <inheritdoc />
    public Task MigrateAsync(CancellationToken ct) => _db.MigrateAsync(ct);

    /// <summary>
    /// Runs one write transaction behind this process's write gate. On SQLite (one writer at a time anyway) the
    /// connection is kept open and its statements prepared once for the life of the store; a failure closes it and
    /// the next write opens another. Elsewhere each transaction has its own pooled connection, statements prepared
    /// once per batch. A transaction the database broke to end a deadlock, or could not serialize (PostgreSQL, with
    /// other writers of this host or another), is run again from the start, up to three more times.
    /// </summary>
    private async Task<T> WriteAsync<T>(DateTimeOffset now, Func<WriteBatch, T> work, CancellationToken ct)
    {
        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var kept = _db.KeepsConnectionsOpen ? _writer ??= new KeptConnection(await OpenAsync(ct).ConfigureAwait(false)) : null;
                var connection = kept?.Connection ?? await OpenAsync(ct).ConfigureAwait(false);
                try
                {
                    await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                    T result;
                    using (var batch = new WriteBatch(connection, tx, now, _db, kept?.Statements))
                    {
                        result = work(batch);
                    }

                    await tx.CommitAsync(ct).ConfigureAwait(false);
                    return result;
                }
                catch when (kept is not null)
                {
                    await CloseWriterAsync().ConfigureAwait(false);
                    throw;
                }
                finally
                {
                    if (kept is null)
                    {
                        await connection.DisposeAsync().ConfigureAwait(false);
                    }
                }
            }
            catch (System.Data.Common.DbException ex) when (attempt < 4 && _db.IsTransient(ex))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50) * attempt), ct).ConfigureAwait(false);
            }
        }
    }

    private KeptConnection? _writer;

    private async ValueTask CloseWriterAsync()
    {
        if (_writer is { } writer)
        {
            _writer = null;
            await writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A connection kept open (for writing, or for the polls' reads) and the statements prepared on it, by their text.</summary>
    private sealed class KeptConnection(System.Data.Common.DbConnection connection) : IAsyncDisposable
    {
        public System.Data.Common.DbConnection Connection => connection;

        public Dictionary<string, System.Data.Common.DbCommand> Statements { get; } = new(StringComparer.Ordinal);

        /// <summary>A read statement in <paramref name="transaction"/>, prepared on this connection the first time its text is asked for.</summary>
        public System.Data.Common.DbCommand Statement(StoreDatabase db, System.Data.Common.DbTransaction transaction, string sql, params string[] parameters) =>
            WriteBatch.Prepared(Statements, connection, transaction, db, sql, parameters);

        public async ValueTask DisposeAsync()
        {
            foreach (var statement in Statements.Values)
            {
                await statement.DisposeAsync().ConfigureAwait(false);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Connections kept open for the reads every poll makes, their statements prepared once (SQLite only, like the
    /// writer's). Microsoft.Data.Sqlite prepares a command's text again after every open, pooled or not
    /// (dotnet/efcore#14044); Npgsql prepares repeated statements itself (Max Auto Prepare), on pooled connections.
    /// At most one per poll running at once; closed with the store.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentBag<KeptConnection> _readers = [];

    /// <summary>Runs a read on a kept connection (SQLite), or on a pooled one opened for it (PostgreSQL).</summary>
    private async Task<T> ReadKeptAsync<T>(Func<KeptConnection, Task<T>> read, CancellationToken ct)
    {
        var kept = _db.KeepsConnectionsOpen && _readers.TryTake(out var idle) ? idle : new KeptConnection(await OpenAsync(ct).ConfigureAwait(false));
        var keep = false;
        try
        {
            var result = await read(kept).ConfigureAwait(false);
            keep = _db.KeepsConnectionsOpen;
            return result;
        }
        finally
        {
            if (keep)
            {
                _readers.Add(kept);
            }
            else
            {
                await kept.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private Task WriteAsync(DateTimeOffset now, Action<WriteBatch> work, CancellationToken ct) =>
        WriteAsync<bool>(now, batch =>
        {
            work(batch);
            return true;
        }, ct);

    /// <summary>
    /// Serializes this process's writes. SQLite has one writer at a time anyway; queueing here instead
    /// of in SQLite's busy handler keeps many concurrent polls from spinning on the write lock. On PostgreSQL
    /// other hosts still write concurrently: the write path runs a transaction the database broke again.
    /// </summary>
    private async Task<WriteGate> EnterWriteAsync(CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        return new WriteGate(this);
    }

    /// <inheritdoc />
    public long LocalWrites => Interlocked.Read(ref _localWrites);

    private long _localWrites;

    /// <summary>Held while writing; counts the write when let go (after its commit, or its failure: counting too many is harmless).</summary>
    private sealed class WriteGate(FeedStore store) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            Interlocked.Increment(ref store._localWrites);
            store._writeGate.Release();
            return ValueTask.CompletedTask;
        }
    }

    private Task<System.Data.Common.DbConnection> OpenAsync(CancellationToken ct) => _db.OpenAsync(ct);

    /// <summary>Closes the database's pool (PostgreSQL's connections; nothing to do for SQLite).</summary>
    public async ValueTask DisposeAsync()
    {
        await CloseWriterAsync().ConfigureAwait(false);
        while (_readers.TryTake(out var reader))
        {
            await reader.DisposeAsync().ConfigureAwait(false);
        }

        if (_db is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }

        _writeGate.Dispose();
    }

    private static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
