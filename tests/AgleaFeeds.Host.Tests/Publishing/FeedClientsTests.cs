using AgleaFeeds.Testing;
using System.Text.Json;
using AgleaFeeds.Host.Tests.Fixtures;

namespace AgleaFeeds.Host.Tests.Publishing;

/// <summary>The served feeds as real feed clients and validators read them: jing with RFC 4287's schema, Python's feedparser, newsboat.</summary>
public sealed class FeedClientsTests : IAsyncLifetime
{
    private FixtureSite _site = null!;
    private RunningHost _host = null!;
    private string _folder = null!;

    public async Task InitializeAsync()
    {
        _site = await FixtureSite.StartAsync();
        _folder = TestPaths.NewTempFolder();
        _host = await RunningHost.StartAsync(_folder, _site.PostsFeed);
        await _host.WaitUntilSampleJudgedAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _site.DisposeAsync();
    }

    private string Url(string path) => new Uri(_host.BaseUrl, path).ToString();

    [SkippableTheory]
    [InlineData("feeds/posts.atom")]
    [InlineData("feeds/comments.atom")]
    [InlineData("feeds/all.atom")]
    [InlineData("feeds/posts/1/comments.atom")]
    public async Task Jing_EveryFeed_IsValidAgainstTheAtomSchema(string path)
    {
        Tool.Require("/usr/bin/jing", "jing");
        var schema = Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "spec", "atom.rnc");
        Skip.IfNot(File.Exists(schema), $"the Atom schema is not at {Path.GetFullPath(schema)} (../shared/spec, present in CI)");
        var file = Path.Combine(_folder, path.Replace('/', '_'));
        await File.WriteAllBytesAsync(file, await _host.Http.GetByteArrayAsync(path));

        var (code, output) = await Tool.RunAsync("/usr/bin/jing", ["-c", schema, file]);

        Assert.True(code == 0, $"jing: {output}");
    }

    [SkippableTheory]
    [InlineData("feeds/posts.atom", 4)]
    [InlineData("feeds/comments.atom", 15)]
    [InlineData("feeds/all.atom", 19)]
    public async Task Feedparser_EveryFeed_ParsesWithoutBozoAndAllEntries(string path, int entries)
    {
        Tool.Require("/usr/lib/python3/dist-packages/feedparser/__init__.py", "python3-feedparser");
        const string Script = "import feedparser, json, sys; d = feedparser.parse(sys.argv[1]); print(json.dumps({'bozo': int(d.bozo), 'version': d.version, 'entries': len(d.entries), 'titles': [e.title for e in d.entries]}))";

        var (code, output) = await Tool.RunAsync("/usr/bin/python3", ["-c", Script, Url(path)]);

        Assert.True(code == 0, output);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(0, json.RootElement.GetProperty("bozo").GetInt32());
        Assert.Equal("atom10", json.RootElement.GetProperty("version").GetString());
        Assert.Equal(entries, json.RootElement.GetProperty("entries").GetInt32());
    }

    [SkippableFact]
    public async Task Newsboat_SubscribedToTheFeeds_ShowsEveryPostAndApprovedCommentUnread()
    {
        Tool.Require("/usr/bin/newsboat", "newsboat");
        var urls = Path.Combine(_folder, "urls");
        await File.WriteAllTextAsync(urls, $"{Url("feeds/posts.atom")}\n{Url("feeds/comments.atom")}\n");
        var config = Path.Combine(_folder, "config");
        await File.WriteAllTextAsync(config, string.Empty);

        var (code, output) = await Tool.RunAsync("/usr/bin/newsboat", ["-u", urls, "-c", Path.Combine(_folder, "cache.db"), "-C", config, "-x", "reload", "print-unread"], _folder);

        Assert.True(code == 0, output);
        Assert.Contains("19 unread articles", output, StringComparison.Ordinal);
    }
}
