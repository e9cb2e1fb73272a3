using System.Net;
using System.Security;
using AgleaFeeds.Host.Tests.Fixtures;

namespace AgleaFeeds.Host.Tests.Security;

/// <summary>
/// A blog written by an attacker, polled and scraped by the real host: every field that is read as
/// HTML nests 100,000 elements, and links carry script. The process lives, the source and the post
/// say what was refused, and nothing hostile reaches a moderator's page or a subscriber's feed.
/// </summary>
public sealed class HostileFeedTests : IAsyncLifetime
{
    private const string Base = "http://sample.agleafeeds.invalid";
    private static readonly string Deep = string.Concat(Enumerable.Repeat("<b>", 100_000)) + "deep";
    private static readonly string DeepEscaped = SecurityElement.Escape(Deep);
    private FixtureSite _site = null!;
    private RunningHost _host = null!;

    public async Task InitializeAsync()
    {
        _site = await FixtureSite.StartAsync();
        _site.Set("/evil/atom/", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title type="html">{DeepEscaped}</title><id>urn:evil</id><updated>2026-11-27T09:30:00Z</updated>
            <link rel="alternate" href="javascript:alert(document.cookie)"/>
            <entry><title type="html">{DeepEscaped}</title><id>urn:evil:1</id><updated>2026-11-27T09:30:00Z</updated><author><name>Mallory</name></author>
              <link rel="alternate" href="{Base}/evil/post/"/><link rel="replies" type="application/atom+xml" href="{Base}/evil/post/feed/"/>
              <summary type="html">{DeepEscaped}</summary><content type="html">{DeepEscaped}</content></entry>
            <entry><title>Click me</title><id>urn:evil:2</id><updated>2026-11-27T09:31:00Z</updated><author><name>Mallory</name></author>
              <link rel="alternate" href="javascript:fetch('/hangfire/moderation/lists')"/><content type="html">&lt;p&gt;fine&lt;/p&gt;</content></entry>
            </feed>
            """, "application/atom+xml; charset=utf-8");
        _site.Set("/evil/post/feed/", $"""
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Comments</title><link>{Base}/evil/post/</link>
            <item><title>By: Mallory</title><link>{Base}/evil/post/#comment-7</link><guid>{Base}/evil/post/#comment-7</guid><dc:creator>Mallory</dc:creator>
            <description>{DeepEscaped}</description><content:encoded><![CDATA[{Deep}]]></content:encoded></item></channel></rss>
            """);
        _site.Set("/evil/post/", "<!doctype html><html><body><article><div class=\"entry-content\">" + Deep + "</div></article></body></html>", "text/html; charset=utf-8");
        _host = await RunningHost.StartAsync(TestPaths.NewTempFolder(), _site.Url("/evil/atom/"));
        await RunningHost.WaitUntilAsync(
            async () => (await _host.Store.ListRecentPostsAsync(10, CancellationToken.None)).Any(p => p.Link == _site.Url("/evil/post/") && p.ScrapeError is not null),
            TimeSpan.FromSeconds(60),
            "the hostile post to be polled and its page scraped");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _site.DisposeAsync();
    }

    [Fact]
    public async Task Poll_EveryHtmlFieldNestedDeep_SourceSaysWhatWasDroppedAndTheServiceLives()
    {
        var source = (await _host.Store.ListSourcesAsync(CancellationToken.None)).Single();
        var post = (await _host.Store.ListRecentPostsAsync(10, CancellationToken.None)).Single(p => p.Link == _site.Url("/evil/post/"));

        Assert.Contains("nests more than 256 elements deep", source.LastError, StringComparison.Ordinal);
        Assert.Contains("not http or https", source.LastError, StringComparison.Ordinal);
        Assert.Contains("nests elements more than", post.ScrapeError, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _host.Http.GetAsync("health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.Http.GetAsync("hangfire/sources")).StatusCode);
    }

    [Theory]
    [InlineData("hangfire/posts")]
    [InlineData("hangfire/sources")]
    [InlineData("hangfire/moderation?status=Pending")]
    [InlineData("feeds/all.atom")]
    [InlineData("feeds/posts.atom")]
    public async Task Pages_AndFeeds_CarryNoScriptLink(string path)
    {
        var response = await _host.Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("javascript:", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b><b><b><b>", body, StringComparison.Ordinal);
    }
}
