namespace AgleaFeeds.Tests;

/// <summary>Paths of captured test data and the repository.</summary>
internal static class TestFiles
{
    public static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    public static byte[] Bytes(params string[] parts) => File.ReadAllBytes(Data(parts));

    /// <summary>The repository root (the folder holding AgleaFeeds.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AgleaFeeds.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Tests: AgleaFeeds.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
