using System.Data;
using AgleaFeeds.Model;
using Dapper;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Storage;

/// <summary>The sources aggregate of the SQLite store: sources, polling state and leases, validators, removal.</summary>
public sealed partial class FeedStore
{
    /// <inheritdoc />
    public async Task<long> AddSourceAsync(SourceDefinition source, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        return (await AddSourcesAsync([source], now, ct).ConfigureAwait(false))[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> AddSourcesAsync(IReadOnlyList<SourceDefinition> sources, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0)
        {
            return [];
        }

        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        // Known sources first, in one read: poll-once imports the same file at every start, and a known source needs
        // nothing but its id (and an interval the file states). A removed source is not in sources. The statements
        // for new sources are prepared once for the file.
        var known = (await connection.QueryAsync<(long Id, string FeedUrl)>("SELECT id, feed_url FROM sources", transaction: tx).ConfigureAwait(false))
            .ToDictionary(s => s.FeedUrl, s => s.Id, StringComparer.Ordinal);
        using var unremove = WriteBatch.Prepare(connection, tx, _db, "DELETE FROM removed_sources WHERE feed_url = @feedUrl", "@feedUrl");
        using var insert = WriteBatch.Prepare(
            connection,
            tx,
            _db,
            $"""
            INSERT INTO sources (title, site_url, feed_url, poll_interval_seconds, next_poll_at, created_at)
            VALUES (@title, @siteUrl, @feedUrl, @interval, @now, @now) ON CONFLICT (feed_url) DO NOTHING {_db.ReturningId}
            """,
            "@title", "@siteUrl", "@feedUrl", "@interval", "@now");
        using var find = WriteBatch.Prepare(connection, tx, _db, "SELECT id FROM sources WHERE feed_url = @feedUrl", "@feedUrl");
        using var setInterval = WriteBatch.Prepare(connection, tx, _db, "UPDATE sources SET poll_interval_seconds = @seconds WHERE id = @id", "@id", "@seconds");
        var ids = new List<long>(sources.Count);
        foreach (var source in sources)
        {
            ArgumentNullException.ThrowIfNull(source);
            if (!known.TryGetValue(source.FeedUrl, out var id))
            {
                WriteBatch.Bind(unremove, source.FeedUrl);
                unremove.ExecuteNonQuery();
                // Inserted unless known: two hosts importing the same OPML at once add each source once.
                // 0: the source follows Polling:DefaultInterval.
                WriteBatch.Bind(insert, source.Title, source.SiteUrl, source.FeedUrl, (long)(source.PollInterval ?? TimeSpan.Zero).TotalSeconds, now.ToUnixTimeMilliseconds());
                if (_db.InsertedId(insert) is { } inserted)
                {
                    known[source.FeedUrl] = inserted;
                    ids.Add(inserted);
                    continue;
                }

                WriteBatch.Bind(find, source.FeedUrl);
                id = known[source.FeedUrl] = Convert.ToInt64(find.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            }

            // Adding again changes nothing but an interval the definition states explicitly.
            if (source.PollInterval is { } explicitInterval)
            {
                WriteBatch.Bind(setInterval, id, (long)explicitInterval.TotalSeconds);
                setInterval.ExecuteNonQuery();
            }

            ids.Add(id);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return ids;
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
    public async Task<PollStart?> GetPollStartAsync(long sourceId, int recheckLimit, CancellationToken ct) =>
        (await GetPollStartsAsync([sourceId], recheckLimit, ct).ConfigureAwait(false)).GetValueOrDefault(sourceId);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<long, PollStart>> GetPollStartsAsync(IReadOnlyList<long> sourceIds, int recheckLimit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sourceIds);
        return ReadKeptAsync(async kept =>
        {
            // One read transaction for the lot: one snapshot, and on SQLite one look at the write-ahead log (a write since
            // the connection's last read empties its page cache, which every following read then refills).
            await using var tx = await _db.BeginReadAsync(kept.Connection, ct).ConfigureAwait(false);
            var ids = StoreDatabase.IdArray(sourceIds);
            var sources = new Dictionary<long, Source>(sourceIds.Count);
            var select = kept.Statement(_db, tx, $"SELECT {SourceFields} FROM sources s WHERE s.id IN ({_db.IdsOf("@ids")})", "@ids");
            WriteBatch.Bind(select, ids);
            await using (var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                var parse = reader.GetRowParser<SourceRow>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var source = parse(reader).ToModel();
                    sources[source.Id] = source;
                }
            }

            var validators = sources.Keys.ToDictionary(id => id, _ => new Dictionary<string, HttpValidators>(StringComparer.Ordinal));
            var stored = kept.Statement(_db, tx, $"SELECT source_id, url, etag, last_modified FROM http_validators WHERE source_id IN ({_db.IdsOf("@ids")})", "@ids");
            WriteBatch.Bind(stored, ids);
            await using (var reader = await stored.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    if (validators.TryGetValue(reader.GetInt64(0), out var own))
                    {
                        own[reader.GetString(1)] = new HttpValidators(reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
                    }
                }
            }

            var starts = new Dictionary<long, PollStart>(sources.Count);
            foreach (var (id, source) in sources)
            {
                var recheck = new List<long>();
                if (recheckLimit > 0 && source.BackfilledAt is not null)
                {
                    // Per source: each slice is the head of its own index range (a window over every post of the batch's blogs read them all).
                    var slice = kept.Statement(_db, tx, RecheckQuery, "@sourceId", "@limit");
                    WriteBatch.Bind(slice, id, recheckLimit);
                    await using var reader = await slice.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        recheck.Add(reader.GetInt64(0));
                    }
                }

                starts[id] = new PollStart(source, validators[id], recheck);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            return (IReadOnlyDictionary<long, PollStart>)starts;
        }, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> ListSourceIdsAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        return (await connection.QueryAsync<long>("SELECT id FROM sources ORDER BY id").ConfigureAwait(false)).ToList();
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
    public async Task<IReadOnlyList<long>> ClaimDueSourcesAsync(DateTimeOffset now, int max, TimeSpan lease, string owner, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        // The outer condition is checked again on the row as it is when updated: two hosts claiming at once never share a source.
        var ids = await connection.QueryAsync<long>(
            $"""
            UPDATE sources SET lease_until = @LeaseUntil, lease_owner = @Owner
            WHERE id IN (SELECT id FROM sources
                         WHERE next_poll_at <= @Now AND (lease_until IS NULL OR lease_until <= @Now)
                         ORDER BY next_poll_at, id LIMIT @Max {_db.SkipLocked})
              AND (lease_until IS NULL OR lease_until <= @Now)
            RETURNING id
            """,
            new { Now = now.ToUnixTimeMilliseconds(), LeaseUntil = (now + lease).ToUnixTimeMilliseconds(), Max = max, Owner = owner },
            tx).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return ids.Order().ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> ClaimSourcesAsync(IReadOnlyList<long> ids, DateTimeOffset now, TimeSpan lease, string owner, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        var claimed = await connection.QueryAsync<long>(
            $"""
            UPDATE sources SET lease_until = @LeaseUntil, lease_owner = @Owner
            WHERE id IN ({_db.IdsOf("@Ids")}) AND (lease_until IS NULL OR lease_until <= @Now)
            RETURNING id
            """,
            new { Ids = StoreDatabase.IdArray(ids), Now = now.ToUnixTimeMilliseconds(), LeaseUntil = (now + lease).ToUnixTimeMilliseconds(), Owner = owner },
            tx).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return claimed.Order().ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> RenewLeasesAsync(IReadOnlyList<long> ids, DateTimeOffset until, string owner, CancellationToken ct, string? newOwner = null) =>
        await SetLeasesAsync(ids, until.ToUnixTimeMilliseconds(), owner, newOwner ?? owner, ct).ConfigureAwait(false);

    /// <inheritdoc />
    public Task ReleaseLeasesAsync(IReadOnlyList<long> ids, string owner, CancellationToken ct) => SetLeasesAsync(ids, null, owner, owner, ct);

    private async Task<IReadOnlyList<long>> SetLeasesAsync(IReadOnlyList<long> ids, long? until, string owner, string newOwner, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        if (ids.Count == 0)
        {
            return [];
        }

        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        // Only leases this owner still holds: a source whose poll was saved (lease NULL), or that another worker
        // claimed after this one's lease ran out (a host presumed dead), is not taken back.
        var held = await connection.QueryAsync<long>(
            $"UPDATE sources SET lease_until = @Until, lease_owner = @NewOwner WHERE id IN ({_db.IdsOf("@Ids")}) AND lease_until IS NOT NULL AND lease_owner = @Owner RETURNING id",
            new { Ids = StoreDatabase.IdArray(ids), Until = until, Owner = owner, NewOwner = newOwner }).ConfigureAwait(false);
        return held.Order().ToList();
    }

    /// <inheritdoc />
    public Task SavePollStateAsync(SourcePollState state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(state);
        return WriteAsync(state.PolledAt, batch => batch.SavePollState(state), ct);
    }

    /// <inheritdoc />
    public Task SavePollStatesAsync(IReadOnlyList<SourcePollState> states, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(states);
        return states.Count == 0 ? Task.CompletedTask : WriteAsync(states[0].PolledAt, batch =>
        {
            foreach (var state in states)
            {
                batch.SavePollState(state);
            }
        }, ct);
    }

    /// <inheritdoc />
    public Task<PollWriteResult> SavePollAsync(PollWrite write, Func<PollWriteResult, SourcePollState> state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(state);
        // Hashed before the write: the writer is what first syncs wait on.
        var prepared = WriteBatch.PreparePosts(write.Posts);
        return WriteAsync(write.At, batch =>
        {
            var posts = batch.UpsertPosts(write.SourceId, prepared);
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
    public async Task<HttpValidators?> GetValidatorAsync(long sourceId, string url, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string? ETag, string? LastModified)>(
            "SELECT etag, last_modified FROM http_validators WHERE source_id = @sourceId AND url = @url", new { sourceId, url }).ConfigureAwait(false);
        return rows.Select(r => new HttpValidators(r.ETag, r.LastModified)).FirstOrDefault();
    }

    /// <inheritdoc />
    public Task SaveValidatorsAsync(long sourceId, string url, HttpValidators validators, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(validators);
        return WriteAsync(now, batch => batch.SaveValidators(sourceId, url, validators), ct);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveSourceAsync(long id, string moderator, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(moderator);
        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
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
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
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
    public async Task<IReadOnlySet<string>> ListRemovedFeedUrlsAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        return (await connection.QueryAsync<string>("SELECT feed_url FROM removed_sources").ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
    }
}
