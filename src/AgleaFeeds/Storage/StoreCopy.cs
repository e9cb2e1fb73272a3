using System.Data.Common;
using Dapper;

namespace AgleaFeeds.Storage;

/// <summary>What a copy moved: rows per table.</summary>
public sealed record StoreCopyResult(IReadOnlyList<(string Table, long Rows)> Tables)
{
    public override string ToString() => string.Join(", ", Tables.Select(t => $"{t.Rows} {t.Table}"));
}

/// <summary>
/// Copies one store into another, empty one (SQLite to PostgreSQL, or back): every table row for row with its ids,
/// in one transaction on the target, so a failed copy leaves the target empty. The schemas are the same column for
/// column on both databases (their migrations are twins), so the copy is by column name.
/// </summary>
public static class StoreCopy
{
    /// <summary>The tables in an order their references allow (a comment's parent is set in a second pass).</summary>
    public static IReadOnlyList<string> Tables { get; } =
        ["sources", "posts", "comments", "moderation_events", "http_validators", "author_rules", "removed_sources", "wordpress_connections", "blog_pushes", "data_protection_keys", "published_feeds"];

    /// <summary>
    /// Copies <paramref name="from"/> into <paramref name="to"/>; <paramref name="extraKeys"/> (a SQLite installation's key
    /// files) join the target's key ring, and <paramref name="models"/> with <paramref name="currentModel"/> (its saved
    /// spam model versions and the one in use) go into the target's model versions, all in the same transaction.
    /// </summary>
    public static async Task<StoreCopyResult> CopyAsync(StoreDatabase from, StoreDatabase to, IEnumerable<(string Name, string Xml)> extraKeys, CancellationToken ct, IReadOnlyList<StoredModelVersion>? models = null, string? currentModel = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        await from.MigrateAsync(ct).ConfigureAwait(false);
        await to.MigrateAsync(ct).ConfigureAwait(false);
        await using var source = await from.OpenAsync(ct).ConfigureAwait(false);
        await using var target = await to.OpenAsync(ct).ConfigureAwait(false);
        if (await target.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sources").ConfigureAwait(false) > 0)
        {
            throw new InvalidOperationException("copy-store: the target store is not empty (it has sources); copy only into a new, empty database.");
        }

        await using var tx = await target.BeginTransactionAsync(ct).ConfigureAwait(false);
        var counts = new List<(string, long)>();
        foreach (var table in Tables)
        {
            counts.Add((table, await CopyTableAsync(source, target, tx, table, ct).ConfigureAwait(false)));
        }

        // Keys kept in files beside a SQLite store join the key ring in the target, so its encrypted secrets stay readable.
        foreach (var (name, xml) in extraKeys)
        {
            await target.ExecuteAsync(FeedStore.InsertProtectionKey, new { name, xml, at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, tx).ConfigureAwait(false);
        }

        // Model versions kept in files beside a SQLite store, and the one in use: every host on the target uses it.
        foreach (var model in models ?? [])
        {
            await target.ExecuteAsync(
                FeedStore.InsertModelVersion,
                new { model.Version, model.Zip, model.Note, At = model.SavedAt.ToUnixTimeMilliseconds() },
                tx).ConfigureAwait(false);
        }

        if (currentModel is not null)
        {
            await target.ExecuteAsync("INSERT INTO store_settings (key, value) VALUES (@key, @value)", new { key = Scoring.SpamModelProvider.CurrentSetting, value = currentModel }, tx).ConfigureAwait(false);
        }

        if (models is { Count: > 0 })
        {
            counts.Add(("model_versions", models.Count));
        }

        // The parents of replies, now that every comment exists.
        await using (var parents = await source.ExecuteReaderAsync("SELECT id, parent_id FROM comments WHERE parent_id IS NOT NULL").ConfigureAwait(false))
        {
            var links = new List<(long Id, long Parent)>();
            while (await parents.ReadAsync(ct).ConfigureAwait(false))
            {
                links.Add((parents.GetInt64(0), parents.GetInt64(1)));
            }

            foreach (var (id, parent) in links)
            {
                await target.ExecuteAsync("UPDATE comments SET parent_id = @parent WHERE id = @id", new { id, parent }, tx).ConfigureAwait(false);
            }
        }

        if (to is PostgresDatabase)
        {
            // Identity columns continue after the copied ids.
            foreach (var table in Tables.Where(t => t is not ("http_validators" or "removed_sources" or "wordpress_connections" or "published_feeds")))
            {
                await target.ExecuteAsync($"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT MAX(id) FROM {table}), 1))", transaction: tx).ConfigureAwait(false);
            }
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return new StoreCopyResult(counts);
    }

    private static async Task<long> CopyTableAsync(DbConnection source, DbConnection target, DbTransaction tx, string table, CancellationToken ct)
    {
        await using var read = source.CreateCommand();
        read.CommandText = $"SELECT * FROM {table}";
        await using var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).Where(c => !(table == "comments" && c == "parent_id")).ToList();
        await using var insert = target.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "@" + c))})";
        var parameters = new List<(DbParameter Parameter, int Ordinal)>();
        foreach (var column in columns)
        {
            var parameter = insert.CreateParameter();
            parameter.ParameterName = "@" + column;
            insert.Parameters.Add(parameter);
            parameters.Add((parameter, reader.GetOrdinal(column)));
        }

        long rows = 0;
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            // Integers come back as Int64 and reals as doubles on both: BIGINT and DOUBLE PRECISION on PostgreSQL.
            foreach (var (parameter, ordinal) in parameters)
            {
                parameter.Value = reader.GetValue(ordinal);
            }

            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            rows++;
        }

        return rows;
    }
}
