namespace AgleaFeeds.Storage;

/// <summary>A saved spam model version: the model's zip, what it was trained on, when it was saved.</summary>
public sealed record StoredModelVersion(string Version, byte[] Zip, string Note, DateTimeOffset SavedAt);

/// <summary>
/// What the hosts on one store share besides the content: the feeds as last published, dashboard sessions, spam model
/// versions and the one in use. (On SQLite, one host, sessions stay in memory and models in files.)
/// </summary>
public interface ISharedStateStore
{
    /// <summary>Gets the ETag of every feed as last published, by path.</summary>
    Task<IReadOnlyDictionary<string, string>> GetPublishedETagsAsync(CancellationToken ct);

    /// <summary>Records that a feed was published (written and pinged) with this ETag.</summary>
    Task SetPublishedETagAsync(string path, string etag, DateTimeOffset now, CancellationToken ct);

    /// <summary>Saves a dashboard session (a serialized ticket) under the hash of its key; prunes expired ones.</summary>
    Task SaveSessionAsync(string keyHash, byte[] ticket, DateTimeOffset expires, DateTimeOffset now, CancellationToken ct);

    /// <summary>Gets a session's ticket, or null when there is none or it expired.</summary>
    Task<byte[]?> GetSessionAsync(string keyHash, DateTimeOffset now, CancellationToken ct);

    /// <summary>Ends a session (logout).</summary>
    Task RemoveSessionAsync(string keyHash, CancellationToken ct);

    /// <summary>Saves a model version (a version saved again keeps its first bytes).</summary>
    Task SaveModelVersionAsync(StoredModelVersion version, CancellationToken ct);

    /// <summary>Gets a model version with its zip, or null.</summary>
    Task<StoredModelVersion?> GetModelVersionAsync(string version, CancellationToken ct);

    /// <summary>Lists the saved versions' names and notes, oldest first (without their zips).</summary>
    Task<IReadOnlyList<(string Version, string Note)>> ListModelVersionsAsync(CancellationToken ct);

    /// <summary>Deletes a model version.</summary>
    Task DeleteModelVersionAsync(string version, CancellationToken ct);

    /// <summary>Gets a setting shared by the hosts ("model.current"), or null.</summary>
    Task<string?> GetSettingAsync(string key, CancellationToken ct);

    /// <summary>Sets (or, with null, removes) a setting shared by the hosts.</summary>
    Task SetSettingAsync(string key, string? value, CancellationToken ct);
}
