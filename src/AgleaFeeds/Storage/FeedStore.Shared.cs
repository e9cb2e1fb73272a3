using Dapper;

namespace AgleaFeeds.Storage;

/// <summary>What the hosts on one store share besides the content: published feeds, sessions, model versions, settings.</summary>
public sealed partial class FeedStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>> GetPublishedETagsAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Path, string ETag)>("SELECT path, etag FROM published_feeds").ConfigureAwait(false);
        return rows.ToDictionary(r => r.Path, r => r.ETag, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public Task SetPublishedETagAsync(string path, string etag, DateTimeOffset now, CancellationToken ct) => ExecuteWriteAsync(
        "INSERT INTO published_feeds (path, etag, published_at) VALUES (@path, @etag, @at) ON CONFLICT (path) DO UPDATE SET etag = excluded.etag, published_at = excluded.published_at",
        new { path, etag, at = now.ToUnixTimeMilliseconds() },
        ct);

    /// <inheritdoc />
    public async Task SaveSessionAsync(string keyHash, byte[] ticket, DateTimeOffset expires, DateTimeOffset now, CancellationToken ct)
    {
        await ExecuteWriteAsync("DELETE FROM dashboard_sessions WHERE expires_at <= @now", new { now = now.ToUnixTimeMilliseconds() }, ct).ConfigureAwait(false);
        await ExecuteWriteAsync(
            "INSERT INTO dashboard_sessions (key_hash, ticket, expires_at) VALUES (@keyHash, @ticket, @expires) ON CONFLICT (key_hash) DO UPDATE SET ticket = excluded.ticket, expires_at = excluded.expires_at",
            new { keyHash, ticket, expires = expires.ToUnixTimeMilliseconds() },
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetSessionAsync(string keyHash, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<byte[]?>(
            "SELECT ticket FROM dashboard_sessions WHERE key_hash = @keyHash AND expires_at > @now", new { keyHash, now = now.ToUnixTimeMilliseconds() }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task RemoveSessionAsync(string keyHash, CancellationToken ct) =>
        ExecuteWriteAsync("DELETE FROM dashboard_sessions WHERE key_hash = @keyHash", new { keyHash }, ct);

    /// <summary>Adds a model version by name; the same name again keeps the first (also <see cref="StoreCopy"/>'s).</summary>
    internal const string InsertModelVersion =
        "INSERT INTO model_versions (version, zip, note, saved_at) VALUES (@Version, @Zip, @Note, @At) ON CONFLICT (version) DO NOTHING";

    /// <inheritdoc />
    public Task SaveModelVersionAsync(StoredModelVersion version, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(version);
        return ExecuteWriteAsync(
            InsertModelVersion,
            new { version.Version, version.Zip, version.Note, At = version.SavedAt.ToUnixTimeMilliseconds() },
            ct);
    }

    /// <inheritdoc />
    public async Task<StoredModelVersion?> GetModelVersionAsync(string version, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<ModelVersionRow>(
            "SELECT version AS Version, zip AS Zip, note AS Note, saved_at AS SavedAt FROM model_versions WHERE version = @version", new { version }).ConfigureAwait(false);
        return row is null ? null : new StoredModelVersion(row.Version, row.Zip, row.Note, DateTimeOffset.FromUnixTimeMilliseconds(row.SavedAt));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(string Version, string Note)>> ListModelVersionsAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        return (await connection.QueryAsync<(string, string)>("SELECT version, note FROM model_versions ORDER BY version").ConfigureAwait(false)).ToList();
    }

    /// <inheritdoc />
    public Task DeleteModelVersionAsync(string version, CancellationToken ct) =>
        ExecuteWriteAsync("DELETE FROM model_versions WHERE version = @version", new { version }, ct);

    /// <inheritdoc />
    public async Task<string?> GetSettingAsync(string key, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<string?>("SELECT value FROM store_settings WHERE key = @key", new { key }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task SetSettingAsync(string key, string? value, CancellationToken ct) => value is null
        ? ExecuteWriteAsync("DELETE FROM store_settings WHERE key = @key", new { key }, ct)
        : ExecuteWriteAsync("INSERT INTO store_settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value", new { key, value }, ct);

    private async Task ExecuteWriteAsync(string sql, object parameters, CancellationToken ct)
    {
        await using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(sql, parameters).ConfigureAwait(false);
    }

    private sealed class ModelVersionRow
    {
        public string Version { get; set; } = "";

        public byte[] Zip { get; set; } = [];

        public string Note { get; set; } = "";

        public long SavedAt { get; set; }
    }
}
