namespace AgleaFeeds.Host.Tests.Fixtures;

internal static class TestPaths
{
    /// <summary>The repository root (the folder holding AgleaFeeds.sln).</summary>
    public static string RepositoryRoot => AgleaFeeds.Testing.Repository.Root;

    /// <summary>The spam model committed with the repository.</summary>
    public static string Model => Path.Combine(RepositoryRoot, "models", "spam-model.zip");

    /// <summary>A new empty temporary folder.</summary>
    public static string NewTempFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "agleafeeds-host-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}
