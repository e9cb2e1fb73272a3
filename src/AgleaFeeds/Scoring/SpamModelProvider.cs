using System.Security.Cryptography;
using AgleaFeeds.Storage;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Scoring;

/// <summary>
/// The model in use: the version promoted last (`{DataDirectory}/models/current`), else the shipped
/// Scoring:ModelPath. A missing or corrupt file is an error saying so (<see cref="Error"/>), never a
/// crash: comments then wait for a person. Promotion and rollback switch it in place.
/// </summary>
public sealed class SpamModelProvider(IOptions<ScoringOptions> options, IOptions<StorageOptions> storage)
{
    private readonly Lock _gate = new();
    private (SpamModel? Model, string Version, string? Error)? _loaded;

    /// <summary>Gets the folder holding promoted versions and the `current` pointer.</summary>
    public string VersionsFolder => Path.Combine(Path.GetFullPath(storage.Value.DataDirectory), "models");

    /// <summary>Gets the model, or null when it could not be loaded.</summary>
    public SpamModel? Model => Loaded.Model;

    /// <summary>Gets the model's version: a promoted version's name, or "shipped-" and the file's hash.</summary>
    public string Version => Loaded.Version;

    /// <summary>Gets why there is no model ("Scoring: no model file at …"), or null.</summary>
    public string? Error => Loaded.Error;

    private (SpamModel? Model, string Version, string? Error) Loaded
    {
        get
        {
            lock (_gate)
            {
                return _loaded ??= Load();
            }
        }
    }

    /// <summary>Lists the promoted versions, oldest first.</summary>
    public IReadOnlyList<string> Versions() =>
        Directory.Exists(VersionsFolder) ? Directory.GetFiles(VersionsFolder, "*.zip").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>
    /// What a version was trained on and its held-out figures, from the note saved beside it by
    /// `train` or a retrain ("shipped": beside Scoring:ModelPath); null when there is none.
    /// </summary>
    public string? Describe(string version)
    {
        var zip = version.StartsWith("shipped", StringComparison.Ordinal) ? options.Value.ModelPath : Path.Combine(VersionsFolder, version + ".zip");
        var note = Path.ChangeExtension(zip, ".txt");
        return File.Exists(note) ? File.ReadAllText(note).Trim() : null;
    }

    /// <summary>Makes a saved version the one in use; "shipped" goes back to Scoring:ModelPath.</summary>
    public void Activate(string version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
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

        var path = Path.Combine(VersionsFolder, version + ".zip");
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"Scoring: no model version {version} in {VersionsFolder}.");
        }

        SpamModel.Load(path);
        File.WriteAllText(Path.Combine(VersionsFolder, "current"), version);
        Reset();
    }

    private void Reset()
    {
        lock (_gate)
        {
            _loaded = null;
        }
    }

    private (SpamModel?, string, string?) Load()
    {
        var pointer = Path.Combine(VersionsFolder, "current");
        var current = File.Exists(pointer) ? File.ReadAllText(pointer).Trim() : null;
        var path = current is { Length: > 0 } ? Path.Combine(VersionsFolder, current + ".zip") : options.Value.ModelPath;
        try
        {
            var model = SpamModel.Load(path);
            return (model, current ?? "shipped-" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))[..12], null);
        }
        catch (InvalidDataException ex)
        {
            return (null, "none", ex.Message);
        }
    }
}
