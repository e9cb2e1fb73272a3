using System.Text.Json;
using AgleaFeeds.Testing;

namespace AgleaFeeds.Host.Tests.Fixtures;

/// <summary>
/// The real feed clients and validators the publishing tests read the served feeds with: jing with RFC
/// 4287's schema (from ../shared/spec), Python's feedparser and newsboat. Each skips, saying what is
/// missing, where its program or the schema is absent.
/// </summary>
internal static class FeedClients
{
    private const string Feedparser = "/usr/lib/python3/dist-packages/feedparser/__init__.py";
    private const string FeedparserScript = "import feedparser, json, sys; d = feedparser.parse(sys.argv[1]); print(json.dumps({'bozo': int(d.bozo), 'version': d.version, 'entries': len(d.entries), 'titles': [e.title for e in d.entries]}))";

    /// <summary>The Atom schema's path; skips the test when ../shared/spec is not beside the repository.</summary>
    public static string RequireAtomSchema()
    {
        Tool.Require("/usr/bin/jing", "jing");
        var schema = Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "spec", "atom.rnc");
        Skip.IfNot(File.Exists(schema), $"the Atom schema is not at {Path.GetFullPath(schema)} (../shared/spec, present in CI)");
        return schema;
    }

    public static void RequireFeedparser() => Tool.Require(Feedparser, "python3-feedparser");

    public static void RequireNewsboat() => Tool.Require("/usr/bin/newsboat", "newsboat");

    /// <summary>jing's verdict on a feed file against the Atom schema.</summary>
    public static Task<(int Code, string Output)> JingAsync(string schema, string file) => Tool.RunAsync("/usr/bin/jing", ["-c", schema, file]);

    /// <summary>feedparser's reading of a feed URL: bozo, version, entries and titles, as JSON.</summary>
    public static async Task<JsonDocument> FeedparserAsync(string url)
    {
        var (code, output) = await Tool.RunAsync("/usr/bin/python3", ["-c", FeedparserScript, url]);
        Assert.True(code == 0, output);
        return JsonDocument.Parse(output);
    }

    /// <summary>newsboat subscribed to the feeds in <paramref name="folder"/>, reloaded once; its "N unread articles" line is in the output.</summary>
    public static async Task<(int Code, string Output)> NewsboatAsync(string folder, params string[] feedUrls)
    {
        var urls = Path.Combine(folder, "urls");
        await File.WriteAllTextAsync(urls, string.Concat(feedUrls.Select(u => u + "\n")));
        var config = Path.Combine(folder, "config");
        await File.WriteAllTextAsync(config, string.Empty);
        return await Tool.RunAsync("/usr/bin/newsboat", ["-u", urls, "-c", Path.Combine(folder, "cache.db"), "-C", config, "-x", "reload", "print-unread"], folder);
    }
}
