namespace AgleaFeeds.Host.Tests.Fixtures;

internal static class TestPaths
{
    /// <summary>The repository root (the folder holding AgleaFeeds.sln).</summary>
    public static string RepositoryRoot => AgleaFeeds.Testing.Repository.Root;

    /// <summary>The spam model committed with the repository.</summary>
    public static string Model => Path.Combine(RepositoryRoot, "models", "spam-model.zip");

    /// <summary>
    /// The sample blog's moderators hold three comments for a person with WordPress moderation keys
    /// (the model approves them: they are plain ham), so the tests have a queue to work on: Daniel
    /// Park's, Grace Cho's and Mark Davies's, beside Eun 'Anna' Kim's reply, which the model leaves
    /// between the thresholds.
    /// </summary>
    public const string SampleModerationKeys = "careful reporting\nsign up on the rota\ntransparency";

    /// <summary>A new empty temporary folder.</summary>
    public static string NewTempFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "agleafeeds-host-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}
