using System.Security.Cryptography;
using AgleaFeeds.Storage;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Scoring;

/// <summary>
/// The model in use: the version promoted last (`{DataDirectory}/models/current`), else the shipped
/// Scoring:ModelPath. A missing or corrupt file is an error saying so (<see cref="Error"/>), never a
/// crash: comments then wait for a person. Promotion and rollback switch it in place; a version
/// promoted by another process (the CLI, another host on the same data) is picked up within
/// <see cref="RecheckEvery"/>. Saved versions are pruned to the newest <see cref="KeepVersions"/>
/// (and the one in use); a model identical to the one in use is never saved again.
/// On PostgreSQL (several hosts) the versions and the `current` pointer are in the store: a retrain or a
/// rollback on one host is used by every host within <see cref="RecheckEvery"/>; the models folder is
/// then this host's cache of the versions it loaded.
/// </summary>
public sealed class SpamModelProvider(IOptions<ScoringOptions> options, IOptions<StorageOptions> storage, TimeProvider time, ISharedStateStore? shared = null)
{
    /// <summary>The store setting naming the version in use (PostgreSQL).</summary>
    public const string CurrentSetting = "model.current";

    /// <summary>How many saved versions are kept besides the shipped model and the one in use.</summary>
    public const int KeepVersions = 10;

    /// <summary>How often the `current` pointer is read again for a version promoted elsewhere.</summary>
    public static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private (SpamModel? Model, string Version, string? Error, string? Pointer)? _loaded;
    private long _checkedAt;

    /// <summary>Gets the folder holding promoted versions and the `current` pointer.</summary>
    public string VersionsFolder => Path.Combine(Path.GetFullPath(storage.Value.DataDirectory), "models");

    /// <summary>Gets the model, or null when it could not be loaded.</summary>
    public SpamModel? Model => Loaded.Model;

    /// <summary>Gets the model's version: a promoted version's name, or "shipped-" and the file's hash.</summary>
    public string Version => Loaded.Version;

    /// <summary>Gets why there is no model ("Scoring: no model file at …"), or null.</summary>
    public string? Error => Loaded.Error;

    private (SpamModel? Model, string Version, string? Error, string? Pointer) Loaded
    {
        get
        {
            lock (_gate)
            {
                if (_loaded is { } loaded && time.GetElapsedTime(_checkedAt) >= RecheckEvery)
                {
                    _checkedAt = time.GetTimestamp();
                    if (ReadPointer() != loaded.Pointer)
                    {
                        _loaded = null;
                    }
                }

                if (_loaded is null)
                {
                    _checkedAt = time.GetTimestamp();
                    _loaded = Load();
                }

                return _loaded.Value;
            }
        }
    }

    /// <summary>
    /// Saves a model as a new version (not yet in use) with its note; returns its name, or null when it
    /// is identical to the model in use. Prunes old versions.
    /// </summary>
    public string? Save(SpamModel model, string note, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(VersionsFolder);
        var version = now.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var path = Path.Combine(VersionsFolder, version + ".zip");
        var temporary = path + ".saving";
        model.Save(temporary);
        if (CurrentPath() is { } current && File.Exists(current) && ContentHash(current) == ContentHash(temporary))
        {
            File.Delete(temporary);
            return null;
        }

        File.Move(temporary, path, overwrite: true);
        File.WriteAllText(Path.ChangeExtension(path, ".txt"), note.Trim() + "\n");
        if (InStore)
        {
            Wait(shared!.SaveModelVersionAsync(new StoredModelVersion(version, File.ReadAllBytes(path), note.Trim(), now), CancellationToken.None));
        }

        Prune(keep: version);
        return version;
    }

    /// <summary>Deletes all but the newest <see cref="KeepVersions"/> versions, never the one in use nor <paramref name="keep"/>.</summary>
    private void Prune(string keep)
    {
        var inUse = ReadPointer();
        foreach (var old in Versions().Reverse().Skip(KeepVersions).Where(v => v != inUse && v != keep))
        {
            File.Delete(Path.Combine(VersionsFolder, old + ".zip"));
            File.Delete(Path.Combine(VersionsFolder, old + ".txt"));
            if (InStore)
            {
                Wait(shared!.DeleteModelVersionAsync(old, CancellationToken.None));
            }
        }
    }

    /// <summary>A hash of a model file's entries (names and bytes), so two trainings to the same model compare equal though the zip's timestamps differ.</summary>
    private static string ContentHash(string path)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var entry in zip.Entries.OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(entry.FullName));
            using var stream = entry.Open();
            var buffer = new byte[81920];
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private bool InStore => shared is not null && storage.Value.IsPostgreSql;

    /// <summary>Waits for a store call (the provider is read under a lock by synchronous callers; the calls are short).</summary>
    private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private static void Wait(Task task) => task.GetAwaiter().GetResult();

    /// <summary>
    /// Makes sure a version's zip and note are in the local folder, fetched from the store on PostgreSQL; returns the
    /// zip's path. A version in neither place is an error naming it.
    /// </summary>
    private string LocalVersion(string version)
    {
        var path = Path.Combine(VersionsFolder, version + ".zip");
        if (!File.Exists(path) && InStore && Wait(shared!.GetModelVersionAsync(version, CancellationToken.None)) is { } stored)
        {
            Directory.CreateDirectory(VersionsFolder);
            File.WriteAllText(Path.ChangeExtension(path, ".txt"), stored.Note + "\n");
            File.WriteAllBytes(path + ".loading", stored.Zip);
            File.Move(path + ".loading", path, overwrite: true);
        }

        return File.Exists(path) ? path : throw new InvalidDataException($"Scoring: no model version {version} in {(InStore ? "the store" : VersionsFolder)}.");
    }

    private string? ReadPointer()
    {
        if (InStore)
        {
            try
            {
                return Wait(shared!.GetSettingAsync(CurrentSetting, CancellationToken.None));
            }
            catch (System.Data.Common.DbException)
            {
                // The database is unreachable this moment: keep the model in use, read again at the next check.
                return _loaded?.Pointer;
            }
        }

        var pointer = Path.Combine(VersionsFolder, "current");
        try
        {
            return File.Exists(pointer) ? File.ReadAllText(pointer).Trim() is { Length: > 0 } v ? v : null : null;
        }
        catch (IOException)
        {
            // Being written by another process this moment: read it at the next check.
            return _loaded?.Pointer;
        }
    }

    private string CurrentPath() => ReadPointer() is { } current ? LocalVersion(current) : options.Value.ModelPath;

    /// <summary>Lists the promoted versions, oldest first.</summary>
    public IReadOnlyList<string> Versions() =>
        InStore ? Wait(shared!.ListModelVersionsAsync(CancellationToken.None)).Select(v => v.Version).ToList()
        : Directory.Exists(VersionsFolder) ? Directory.GetFiles(VersionsFolder, "*.zip").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>
    /// What a version was trained on and its held-out figures, from the note saved beside it by
    /// `train` or a retrain ("shipped": beside Scoring:ModelPath); null when there is none.
    /// </summary>
    public string? Describe(string version)
    {
        if (InStore && !version.StartsWith("shipped", StringComparison.Ordinal))
        {
            return Wait(shared!.ListModelVersionsAsync(CancellationToken.None)).Where(v => v.Version == version).Select(v => v.Note.Trim()).FirstOrDefault();
        }

        var zip = version.StartsWith("shipped", StringComparison.Ordinal) ? options.Value.ModelPath : Path.Combine(VersionsFolder, version + ".zip");
        var note = Path.ChangeExtension(zip, ".txt");
        return File.Exists(note) ? File.ReadAllText(note).Trim() : null;
    }

    /// <summary>Makes a saved version the one in use; "shipped" goes back to Scoring:ModelPath.</summary>
    public void Activate(string version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        if (version == "shipped" && InStore)
        {
            Wait(shared!.SetSettingAsync(CurrentSetting, null, CancellationToken.None));
            Reset();
            return;
        }

        if (version == "shipped")
        {
            // On a fresh install there is no versions folder yet: the shipped model is already in use.
            var pointer = Path.Combine(VersionsFolder, "current");
            if (File.Exists(pointer))
            {
                File.Delete(pointer);
            }

            Reset();
            return;
        }

        SpamModel.Load(LocalVersion(version));
        if (InStore)
        {
            Wait(shared!.SetSettingAsync(CurrentSetting, version, CancellationToken.None));
            Reset();
            return;
        }

        // Written beside and moved, so another process never reads half a name.
        var pointerPath = Path.Combine(VersionsFolder, "current");
        File.WriteAllText(pointerPath + ".new", version);
        File.Move(pointerPath + ".new", pointerPath, overwrite: true);
        Reset();
    }

    private void Reset()
    {
        lock (_gate)
        {
            _loaded = null;
        }
    }

    private (SpamModel?, string, string?, string?) Load()
    {
        var current = ReadPointer();
        try
        {
            var path = current is not null ? LocalVersion(current) : options.Value.ModelPath;
            var model = SpamModel.Load(path);
            return (model, current ?? "shipped-" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))[..12], null, current);
        }
        catch (InvalidDataException ex)
        {
            return (null, "none", ex.Message, current);
        }
    }
}
