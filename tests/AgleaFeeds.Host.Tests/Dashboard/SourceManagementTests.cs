using System.Net;
using AgleaFeeds.Host.Tests.Fixtures;

namespace AgleaFeeds.Host.Tests.Dashboard;

/// <summary>Adding a blog by its address (feed autodiscovery), removing it, and OPML import, on the Sources page.</summary>
public sealed class SourceManagementTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private FixtureSite _site = null!;
    private RunningHost _host = null!;
    private string _folder = null!;

    public async Task InitializeAsync()
    {
        _site = await FixtureSite.StartAsync();
        _folder = TestPaths.NewTempFolder();
        _host = await RunningHost.StartAsync(_folder);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _site.DisposeAsync();
    }

    private Task<string> AddAsync(string url) => DashboardCommand.SubmitAsync(_host.Http, "hangfire/sources", "hangfire/sources/add", [("url", url)]);

    private Task<string> ImportAsync(string fileName, string opml) =>
        DashboardCommand.SubmitAsync(_host.Http, "hangfire/sources", "hangfire/sources/import", [], ($"opml/{fileName}", System.Text.Encoding.UTF8.GetBytes(opml)));

    [Fact]
    public async Task AddingAFeedThatIsAlreadyASource_SaysSoAndAddsNothing()
    {
        await AddAsync(_site.PostsFeed);

        var again = WebUtility.HtmlDecode(await AddAsync(_site.Url("/samples/agla/")));

        Assert.Single(await _host.Store.ListSourcesAsync(Ct));
        Assert.Contains($"AGLA Blog ({_site.PostsFeed}) is already a source: nothing added; it is polled again now.", again, StringComparison.Ordinal);
        Assert.DoesNotContain("Added AGLA Blog", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddFromTheBlogsHomePage_FindsThePostsFeed_PollsIt()
    {
        var page = await AddAsync(_site.Url("/samples/agla/"));

        var source = Assert.Single(await _host.Store.ListSourcesAsync(Ct));
        Assert.Equal(_site.PostsFeed, source.FeedUrl);
        Assert.Equal("AGLA Blog", source.Title);
        Assert.Contains($"Added AGLA Blog ({_site.PostsFeed}); its first poll is under way.", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        await RunningHost.WaitUntilAsync(async () => (await _host.Store.GetSourceAsync(source.Id, Ct))!.PostCount == 4, TimeSpan.FromSeconds(30), "the new source's first poll");
    }

    [Fact]
    public async Task AddAPageWithoutFeeds_SaysSoAndAddsNothing()
    {
        var page = WebUtility.HtmlDecode(await AddAsync(_site.Url("/fail/html")));
        var notAnAddress = WebUtility.HtmlDecode(await AddAsync("javascript:alert(1)"));

        Assert.Contains("Nothing was added.", page, StringComparison.Ordinal);
        Assert.Contains("alert alert-danger", page, StringComparison.Ordinal);
        Assert.Contains("\"javascript:alert(1)\" is not a web address.", notAnAddress, StringComparison.Ordinal);
        Assert.Empty(await _host.Store.ListSourcesAsync(Ct));
    }

    [Fact]
    public async Task Remove_DeletesTheSourceAndItStaysRemovedAfterARestart_AnOpmlImportBringsItBack()
    {
        var opml = $"""<?xml version="1.0"?><opml version="2.0"><head><title>mine</title></head><body><outline text="AGLA" xmlUrl="{_site.PostsFeed}"/></body></opml>""";
        var imported = await ImportAsync("mine.opml", opml);
        var source = Assert.Single(await _host.Store.ListSourcesAsync(Ct));
        await RunningHost.WaitUntilAsync(async () => (await _host.Store.GetSourceAsync(source.Id, Ct))!.CommentCount > 0, TimeSpan.FromSeconds(30), "the imported source's poll");
        Assert.Contains("Imported mine.opml: 1 new sources, 0 already here.", imported, StringComparison.Ordinal);
        Assert.Contains("data-confirm=\"Remove AGLA", await _host.Http.GetStringAsync("hangfire/sources"), StringComparison.Ordinal);

        var removed = await DashboardCommand.PostAsync(_host.Http, $"hangfire/sources/remove/{source.Id}");

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Empty(await _host.Store.ListSourcesAsync(Ct));
        Assert.Empty(await _host.CommentsAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await DashboardCommand.PostAsync(_host.Http, $"hangfire/sources/remove/{source.Id}")).StatusCode);

        // The start-up import of a sources file listing it does not bring it back; an explicit import does.
        await _host.DisposeAsync();
        _host = await RunningHost.StartAsync(_folder, _site.PostsFeed);
        Assert.Empty(await _host.Store.ListSourcesAsync(Ct));
        var again = await ImportAsync("mine.opml", opml);
        Assert.Contains("Imported mine.opml: 1 new sources", again, StringComparison.Ordinal);
        Assert.Single(await _host.Store.ListSourcesAsync(Ct));
    }

    [Fact]
    public async Task ImportABrokenFile_SaysWhyAndAddsNothing()
    {
        var page = WebUtility.HtmlDecode(await ImportAsync("broken.opml", "<opml><body><outline xmlUrl="));

        Assert.Contains("broken.opml cannot be read as OPML", page, StringComparison.Ordinal);
        Assert.Contains("Nothing was imported.", page, StringComparison.Ordinal);
        Assert.Empty(await _host.Store.ListSourcesAsync(Ct));
    }
}
