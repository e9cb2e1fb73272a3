using AgleaFeeds.Host.Tests.Fixtures;
using AgleaFeeds.Model;
using AgleaFeeds.Publishing;

namespace AgleaFeeds.Host.Tests.Publishing;

public sealed class FeedPublisherTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private FixtureSite _site = null!;
    private RunningHost _host = null!;
    private string _static = null!;
    private string _folder = null!;

    public async Task InitializeAsync()
    {
        _site = await FixtureSite.StartAsync();
        _folder = TestPaths.NewTempFolder();
        _static = Path.Combine(_folder, "public");
        _host = await RunningHost.StartAsync(_folder, Settings(), _site.PostsFeed);
        await _host.WaitUntilSampleJudgedAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _site.DisposeAsync();
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Publishing:StaticFolder"] = _static,
        ["Publishing:HubUrl"] = _site.Url("/hub"),
        // One public address whatever port this start listens on (as behind a proxy): the feeds' bytes stay the same.
        ["Publishing:PublicBaseUrl"] = "http://feeds.agleafeeds.invalid/",
    };

    [SkippableFact]
    public async Task PublishAsync_ByAnotherProcessOnTheSameStore_PublishesNothingAlreadyPublished()
    {
        await _host.App.Services.GetRequiredService<FeedPublisher>().PublishAsync(Ct);
        Assert.NotEmpty(_site.HubPings);
        await _host.WaitUntilQuietAsync();
        await _host.DisposeAsync();

        // The same store, another process (a restart, or another host on the database): what was published is known.
        _host = await RunningHost.StartAsync(_folder, Settings(), _site.PostsFeed);
        await _host.WaitUntilQuietAsync();
        var pings = _site.HubPings.Count;
        var again = await _host.App.Services.GetRequiredService<FeedPublisher>().PublishAsync(Ct);

        Assert.Equal(0, again.Changed);
        Assert.Equal(pings, _site.HubPings.Count);
    }

    [SkippableFact]
    public async Task PublishAsync_AfterAChange_WritesStaticCopiesAndPingsTheHubForChangedFeedsOnly()
    {
        var publisher = _host.App.Services.GetRequiredService<FeedPublisher>();
        await publisher.PublishAsync(Ct);
        var all = Path.Combine(_static, "feeds", "all.atom");

        Assert.Equal(await _host.Http.GetByteArrayAsync("feeds/all.atom"), await File.ReadAllBytesAsync(all));
        Assert.True(File.Exists(Path.Combine(_static, "feeds", "posts", "1", "comments.atom")));
        // The copies are served by the host too, as static files (for a CDN or a mirror), as Atom.
        using (var copy = await _host.Http.GetAsync("static/feeds/all.atom"))
        {
            Assert.Equal(await File.ReadAllBytesAsync(all), await copy.Content.ReadAsByteArrayAsync());
            Assert.Equal("application/atom+xml", copy.Content.Headers.ContentType?.MediaType);
        }

        Assert.Contains(_site.HubPings, p => p.Contains("hub.mode=publish", StringComparison.Ordinal) && p.Contains("/feeds/all.atom", StringComparison.Ordinal));

        // Nothing changed: nothing written or pinged.
        var quiet = await publisher.PublishAsync(Ct);
        Assert.Equal(0, quiet.Changed);

        // A moderator approves a held comment: the comment feeds change, the posts feed's entries do not.
        var pending = (await _host.CommentsAsync()).First(c => c.Status == CommentStatus.Pending);
        await _host.Store.RecordDecisionAsync(pending.Id, CommentStatus.Approved, "moderator-ann", null, DateTimeOffset.UtcNow, Ct);
        var pingsBefore = _site.HubPings.Count;
        var after = await publisher.PublishAsync(Ct);

        Assert.Contains($"comment-{pending.WordPressId}", await File.ReadAllTextAsync(all), StringComparison.Ordinal);
        Assert.True(after.Changed >= 3, after.Summary);
        Assert.Empty(after.Errors);
        Assert.Equal(pingsBefore + after.Pinged, _site.HubPings.Count);
    }
}
