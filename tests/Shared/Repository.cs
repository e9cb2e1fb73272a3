namespace AgleaFeeds.Testing;

/// <summary>Where the repository is, for tests and benchmarks that read its files (feeds/, models/).</summary>
internal static class Repository
{
    /// <summary>Gets the repository root: the folder holding AgleaFeeds.sln above the running assembly.</summary>
    public static string Root
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
