using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Scoring;

/// <summary>
/// The model in use, loaded once from Scoring:ModelPath. A missing or corrupt file is an error
/// saying so (<see cref="Error"/>), never a crash: comments then wait for a person.
/// </summary>
public sealed class SpamModelProvider(IOptions<ScoringOptions> options)
{
    private readonly Lazy<(SpamModel? Model, string Version, string? Error)> _loaded = new(() => Load(options.Value.ModelPath));

    /// <summary>Gets the model, or null when it could not be loaded.</summary>
    public SpamModel? Model => _loaded.Value.Model;

    /// <summary>Gets the model's version: the first 12 hex digits of the file's SHA-256.</summary>
    public string Version => _loaded.Value.Version;

    /// <summary>Gets why there is no model ("Scoring: no model file at …"), or null.</summary>
    public string? Error => _loaded.Value.Error;

    private static (SpamModel?, string, string?) Load(string path)
    {
        try
        {
            var model = SpamModel.Load(path);
            var version = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))[..12];
            return (model, version, null);
        }
        catch (InvalidDataException ex)
        {
            return (null, "none", ex.Message);
        }
    }
}
