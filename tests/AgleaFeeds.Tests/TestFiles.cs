namespace AgleaFeeds.Tests;

/// <summary>Paths of captured test data and the repository.</summary>
internal static class TestFiles
{
    public static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    public static byte[] Bytes(params string[] parts) => File.ReadAllBytes(Data(parts));

    /// <summary>The shared spam corpora beside the repository (CI has them; a user's clone may not).</summary>
    public static string SpamCorpus => Path.Combine(RepositoryRoot, "..", "shared", "data", "spam");

    /// <summary>Skips the calling test, saying what is missing, when the shared corpora are absent.</summary>
    public static void SkipUnlessSpamCorpus() =>
        Skip.IfNot(File.Exists(Path.Combine(SpamCorpus, "SMSSpamCollection.tsv")), $"the spam corpora are not at {Path.GetFullPath(SpamCorpus)} (../shared/data/spam, present in CI)");

    /// <summary>The repository root (the folder holding AgleaFeeds.sln).</summary>
    public static string RepositoryRoot => AgleaFeeds.Testing.Repository.Root;
}
