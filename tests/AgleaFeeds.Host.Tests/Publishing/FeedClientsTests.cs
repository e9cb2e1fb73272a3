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
        var schema = FeedClients.RequireAtomSchema();
        var file = Path.Combine(_folder, path.Replace('/', '_'));
        await File.WriteAllBytesAsync(file, await _host.Http.GetByteArrayAsync(path));

        var (code, output) = await FeedClients.JingAsync(schema, file);

        Assert.True(code == 0, $"jing: {output}");
    }

    [SkippableTheory]
    [InlineData("feeds/posts.atom", 4)]
    [InlineData("feeds/comments.atom", 15)]
    [InlineData("feeds/all.atom", 19)]
    public async Task Feedparser_EveryFeed_ParsesWithoutBozoAndAllEntries(string path, int entries)
    {
        FeedClients.RequireFeedparser();

        using var json = await FeedClients.FeedparserAsync(Url(path));

        Assert.Equal(0, json.RootElement.GetProperty("bozo").GetInt32());
        Assert.Equal("atom10", json.RootElement.GetProperty("version").GetString());
        Assert.Equal(entries, json.RootElement.GetProperty("entries").GetInt32());
    }

    [SkippableFact]
    public async Task Newsboat_SubscribedToTheFeeds_ShowsEveryPostAndApprovedCommentUnread()
    {
        FeedClients.RequireNewsboat();

        var (code, output) = await FeedClients.NewsboatAsync(_folder, Url("feeds/posts.atom"), Url("feeds/comments.atom"));

        Assert.True(code == 0, output);
        Assert.Contains("19 unread articles", output, StringComparison.Ordinal);
    }
}
