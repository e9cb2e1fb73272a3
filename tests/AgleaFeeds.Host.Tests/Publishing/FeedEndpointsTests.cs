using System.Net;
using System.Net.Http.Headers;
using System.Xml.Linq;
using AgleaFeeds.Host.Tests.Fixtures;
using AgleaFeeds.Model;
using AgleaFeeds.Parsing;
using AgleaFeeds.Storage;

namespace AgleaFeeds.Host.Tests.Publishing;

public sealed class FeedEndpointsTests : IAsyncLifetime
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace Thr = "http://purl.org/syndication/thread/1.0";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private FixtureSite _site = null!;
    private RunningHost _host = null!;
    private Source _source = null!;

    public async Task InitializeAsync()
    {
        _site = await FixtureSite.StartAsync();
        _host = await RunningHost.StartAsync(TestPaths.NewTempFolder(), _site.PostsFeed);
        await _host.WaitUntilSampleJudgedAsync();
        _source = (await _host.Store.ListSourcesAsync(Ct)).Single();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _site.DisposeAsync();
    }

    [Fact]
    public async Task CommentsFeed_ShowsApprovedCommentsOnlyThreadedWithRfc4685()
    {
        var response = await _host.Http.GetAsync("feeds/comments.atom");
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("application/atom+xml; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var comments = await _host.CommentsAsync();
        var approved = comments.Where(c => c.Status == CommentStatus.Approved).ToList();
        var entries = xml.Root!.Elements(Atom + "entry").ToList();
        Assert.Equal(approved.Count, entries.Count);
        var ids = entries.Select(e => (string)e.Element(Atom + "id")!).ToList();
        foreach (var hidden in comments.Where(c => c.Status != CommentStatus.Approved))
        {
            Assert.DoesNotContain(ids, id => id.EndsWith($"#comment-{hidden.WordPressId}", StringComparison.Ordinal));
        }

        var reply = entries.Single(e => ((string)e.Element(Atom + "id")!).EndsWith("#comment-104", StringComparison.Ordinal));
        Assert.EndsWith("#comment-102", (string)reply.Element(Thr + "in-reply-to")!.Attribute("ref")!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("feeds/posts.atom", 4)]
    [InlineData("feeds/all.atom", 19)]
    public async Task Feeds_AreAtomThatAtomReadersRead(string path, int entries)
    {
        var body = await _host.Http.GetByteArrayAsync(path);
        var xml = XDocument.Parse(System.Text.Encoding.UTF8.GetString(body));

        Assert.NotEqual(0xEF, body[0]); // no byte order mark
        Assert.Equal(Atom + "feed", xml.Root!.Name);
        var self = xml.Root.Elements(Atom + "link").Single(l => (string?)l.Attribute("rel") == "self");
        Assert.True(Uri.TryCreate((string)self.Attribute("href")!, UriKind.Absolute, out _));
        var parsed = FeedParser.Parse(body);
        Assert.Equal("Atom 1.0", parsed.Feed!.Format);
        Assert.Equal(entries, parsed.Feed.Entries.Count);
        // RFC 4287's two Schematron rules jing does not check: an author (the feed has one) and alternate link or content.
        Assert.NotNull(xml.Root.Element(Atom + "author"));
        Assert.All(xml.Root.Elements(Atom + "entry"), e => Assert.True(
            e.Elements(Atom + "link").Any(l => (string?)l.Attribute("rel") == "alternate") || e.Element(Atom + "content") is not null));
    }

    [Fact]
    public async Task PostsFeed_CarriesTheScrapedContentAndRepliesCount()
    {
        var xml = XDocument.Parse(await _host.Http.GetStringAsync("feeds/posts.atom"));
        var seoul = xml.Root!.Elements(Atom + "entry").Single(e => ((string)e.Element(Atom + "title")!).Contains("Seoul", StringComparison.Ordinal));

        Assert.Equal("11", (string)seoul.Element(Thr + "total")!);
        Assert.Contains("Forty-two members", (string)seoul.Element(Atom + "content")!, StringComparison.Ordinal);
        var replies = seoul.Elements(Atom + "link").Single(l => (string?)l.Attribute("rel") == "replies");
        var thread = XDocument.Parse(await _host.Http.GetStringAsync(new Uri((string)replies.Attribute("href")!).PathAndQuery.TrimStart('/')));
        Assert.Equal(11, thread.Root!.Elements(Atom + "entry").Count());
    }

    [Fact]
    public async Task RepeatedConditionalGet_Is304AndApprovingACommentChangesTheETag()
    {
        var first = await _host.Http.GetAsync("feeds/comments.atom");
        var etag = first.Headers.ETag!;

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "feeds/comments.atom");
        conditional.Headers.IfNoneMatch.Add(etag);
        var second = await _host.Http.SendAsync(conditional);
        var pending = (await _host.CommentsAsync()).First(c => c.Status == CommentStatus.Pending);
        await _host.Store.RecordDecisionAsync(pending.Id, CommentStatus.Approved, "moderator-ann", null, DateTimeOffset.UtcNow, Ct);
        var third = await _host.Http.GetAsync("feeds/comments.atom");

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.NotEqual(etag, third.Headers.ETag);
        Assert.Contains($"comment-{pending.WordPressId}", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HiddenPost_LeavesTheFeedsWithItsCommentsAndComesBack()
    {
        var seoul = (await _host.Store.ListPostsAsync(_source.Id, Ct)).Single(p => p.Title!.Contains("Seoul", StringComparison.Ordinal));

        await _host.Store.SetPostHiddenAsync(seoul.Id, hidden: true, "moderator-ann", DateTimeOffset.UtcNow, Ct);
        var posts = XDocument.Parse(await _host.Http.GetStringAsync("feeds/posts.atom"));
        var all = await _host.Http.GetStringAsync("feeds/all.atom");
        var own = await _host.Http.GetAsync($"feeds/posts/{seoul.Id}/comments.atom");
        await _host.Store.SetPostHiddenAsync(seoul.Id, hidden: false, "moderator-ann", DateTimeOffset.UtcNow, Ct);
        var back = XDocument.Parse(await _host.Http.GetStringAsync("feeds/posts.atom"));

        Assert.Equal(3, posts.Root!.Elements(Atom + "entry").Count());
        Assert.DoesNotContain("seoul-meetup-recap", all, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, own.StatusCode);
        Assert.Equal(4, back.Root!.Elements(Atom + "entry").Count());
    }

    [Fact]
    public async Task LastModified_IsWhenTheStoreChangedWhatTheFeedShows_NotTheNewestEntrysDate()
    {
        using var first = await _host.Http.GetAsync("feeds/posts.atom");
        var before = first.Content.Headers.LastModified!.Value;
        var newest = XDocument.Parse(await first.Content.ReadAsStringAsync()).Root!.Elements(Atom + "entry").Max(e => DateTimeOffset.Parse(e.Element(Atom + "updated")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        var seoul = (await _host.Store.ListPostsAsync(_source.Id, Ct)).Single(p => p.Title!.Contains("Seoul", StringComparison.Ordinal));
        await Task.Delay(1100);

        // Hiding an older post changes the feed without any entry getting newer.
        await _host.Store.SetPostHiddenAsync(seoul.Id, hidden: true, "moderator-ann", DateTimeOffset.UtcNow, Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "feeds/posts.atom");
        request.Headers.IfModifiedSince = before;
        using var after = await _host.Http.SendAsync(request);
        var feed = XDocument.Parse(await after.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.True(after.Content.Headers.LastModified > before);
        Assert.True(before >= Seconds(newest), "Last-Modified is at least the newest entry's time");
        Assert.Equal(after.Content.Headers.LastModified, Seconds(DateTimeOffset.Parse(feed.Root!.Element(Atom + "updated")!.Value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static DateTimeOffset Seconds(DateTimeOffset t) => t.AddTicks(-(t.Ticks % TimeSpan.TicksPerSecond));

    [Fact]
    public async Task PodcastEnclosures_AreRepublishedAsEnclosureLinks()
    {
        await _host.Store.UpsertPostsAsync(_source.Id, [new PostUpsert
        {
            Key = "https://pod.example/?p=1", Guid = "https://pod.example/?p=1", Link = "https://pod.example/episode-1/", Title = "Episode 1",
            PublishedAt = DateTimeOffset.UtcNow, ContentHtml = "<p>Show notes</p>",
            Enclosures = [new Enclosure("https://cdn.pod.example/1.mp3", "audio/mpeg", 12345678)],
        }], DateTimeOffset.UtcNow, Ct);

        var feed = XDocument.Parse(await _host.Http.GetStringAsync("feeds/posts.atom"));

        var entry = feed.Root!.Elements(Atom + "entry").Single(e => e.Element(Atom + "title")!.Value == "Episode 1");
        var enclosure = entry.Elements(Atom + "link").Single(l => (string?)l.Attribute("rel") == "enclosure");
        Assert.Equal("https://cdn.pod.example/1.mp3", (string?)enclosure.Attribute("href"));
        Assert.Equal("audio/mpeg", (string?)enclosure.Attribute("type"));
        Assert.Equal("12345678", (string?)enclosure.Attribute("length"));
    }

    [Fact]
    public async Task EmptyFeed_IsDatedWhenTheStoreBegan_Not1970()
    {
        await using var empty = await RunningHost.StartAsync(TestPaths.NewTempFolder());
        var body = await empty.Http.GetStringAsync("feeds/all.atom");

        var updated = DateTimeOffset.Parse(XDocument.Parse(body).Root!.Element(Atom + "updated")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(updated > DateTimeOffset.UtcNow.AddHours(-1) && updated <= DateTimeOffset.UtcNow.AddMinutes(1), $"updated {updated:O}");
    }

    [Fact]
    public async Task BlockRule_OnACategory_KeepsThosePostsAndTheirCommentsOut()
    {
        await using var host = await RunningHost.StartAsync(TestPaths.NewTempFolder(), new Dictionary<string, string?> { ["Publishing:BlockRules:0"] = "Category=^Events$" }, _site.PostsFeed);
        await host.WaitUntilSampleJudgedAsync();

        var posts = XDocument.Parse(await host.Http.GetStringAsync("feeds/posts.atom"));
        var comments = await host.Http.GetStringAsync("feeds/comments.atom");

        Assert.Equal(3, posts.Root!.Elements(Atom + "entry").Count());
        Assert.DoesNotContain("seoul-meetup-recap", comments, StringComparison.Ordinal);
        Assert.Contains("jack-mas-advice", comments, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feed_NamesItsBrowserStylesheet_WhichIsServedAsXsl()
    {
        var feed = await _host.Http.GetStringAsync("feeds/all.atom");
        var xsl = await _host.Http.GetAsync("feeds/feed.xsl");
        var home = await _host.Http.GetStringAsync("/");

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?><?xml-stylesheet type=\"text/xsl\" href=\"/feeds/feed.xsl\"?><feed", feed, StringComparison.Ordinal);
        Assert.Equal("text/xsl", xsl.Content.Headers.ContentType?.MediaType);
        Assert.Contains("xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\"", await xsl.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // A browser gets the same bytes as XML (which it shows through the stylesheet), under its own ETag; a reader gets Atom.
        using var asBrowser = new HttpRequestMessage(HttpMethod.Get, "feeds/all.atom");
        asBrowser.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        var page = await _host.Http.SendAsync(asBrowser);
        var reader = await _host.Http.GetAsync("feeds/all.atom");
        Assert.Equal("application/xml", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal("application/atom+xml", reader.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await reader.Content.ReadAsStringAsync(), await page.Content.ReadAsStringAsync());
        Assert.NotEqual(reader.Headers.ETag, page.Headers.ETag);
        Assert.Contains("Accept", page.Headers.Vary);
        // The home page lists each feed with what it holds.
        Assert.Matches(@"<td class=""entries"">\d+ posts</td>", home);
        Assert.Matches(@"<td class=""entries"">\d+ approved comments</td>", home);
    }

    [Fact]
    public async Task HomePage_AdvertisesTheFeedsInItsHead()
    {
        var html = await _host.Http.GetStringAsync("/");
        var head = html[..html.IndexOf("</head>", StringComparison.Ordinal)];

        foreach (var feed in new[] { "/feeds/posts.atom", "/feeds/comments.atom", "/feeds/all.atom" })
        {
            Assert.Contains($"<link rel=\"alternate\" type=\"application/atom+xml\"", head, StringComparison.Ordinal);
            Assert.Contains($"href=\"{feed}\"", head, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Paging_Rfc5005_NextAndPreviousCoverEveryEntryOnce()
    {
        await using var host = await RunningHost.StartAsync(TestPaths.NewTempFolder(), new Dictionary<string, string?> { ["Publishing:PageSize"] = "6" }, _site.PostsFeed);
        await host.WaitUntilSampleJudgedAsync();

        var ids = new List<string>();
        string? next = "feeds/comments.atom";
        var pages = 0;
        while (next is not null)
        {
            var page = XDocument.Parse(await host.Http.GetStringAsync(next));
            pages++;
            ids.AddRange(page.Root!.Elements(Atom + "entry").Select(e => (string)e.Element(Atom + "id")!));
            Assert.Equal(pages > 1, page.Root.Elements(Atom + "link").Any(l => (string?)l.Attribute("rel") == "previous"));
            next = page.Root.Elements(Atom + "link").SingleOrDefault(l => (string?)l.Attribute("rel") == "next") is { } link
                ? new Uri((string)link.Attribute("href")!).PathAndQuery.TrimStart('/')
                : null;
        }

        Assert.Equal(3, pages);
        Assert.Equal(15, ids.Count);
        Assert.Equal(15, ids.Distinct().Count());
    }

    [Fact]
    public async Task RejectedComment_LeavesTheFeed()
    {
        var approved = (await _host.CommentsAsync()).First(c => c.Status == CommentStatus.Approved);

        await _host.Store.RecordDecisionAsync(approved.Id, CommentStatus.Rejected, "moderator-ann", "off-topic", DateTimeOffset.UtcNow, Ct);
        var feed = await _host.Http.GetStringAsync("feeds/comments.atom");

        Assert.DoesNotContain($"#comment-{approved.WordPressId}<", feed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_AndGzip_AreServed()
    {
        using var head = new HttpRequestMessage(HttpMethod.Head, "feeds/all.atom");
        var headResponse = await _host.Http.SendAsync(head);
        using var gzip = new HttpRequestMessage(HttpMethod.Get, "feeds/all.atom");
        gzip.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        var gzipResponse = await _host.Http.SendAsync(gzip);

        Assert.Equal(HttpStatusCode.OK, headResponse.StatusCode);
        Assert.Empty(await headResponse.Content.ReadAsByteArrayAsync());
        Assert.Contains("gzip", gzipResponse.Content.Headers.ContentEncoding);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Http.GetAsync("feeds/posts/999999/comments.atom")).StatusCode);
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("br;q=0, gzip", "gzip")]
    public async Task Feed_PrecompressedForTheCodingTheReaderAccepts_SameBytesOwnETagAnd304(string accept, string coding)
    {
        var identity = await _host.Http.GetByteArrayAsync("feeds/all.atom");
        using var get = new HttpRequestMessage(HttpMethod.Get, "feeds/all.atom");
        get.Headers.TryAddWithoutValidation("Accept-Encoding", accept);
        using var response = await _host.Http.SendAsync(get);
        var compressed = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal([coding], response.Content.Headers.ContentEncoding);
        Assert.Equal(compressed.Length, response.Content.Headers.ContentLength);
        Assert.True(compressed.Length < identity.Length / 3, $"{compressed.Length} of {identity.Length} bytes");
        using (var decoded = new MemoryStream())
        {
            using (Stream decoder = coding == "br" ? new System.IO.Compression.BrotliStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress)
                : new System.IO.Compression.GZipStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress))
            {
                await decoder.CopyToAsync(decoded);
            }

            Assert.Equal(identity, decoded.ToArray());
        }

        var etag = response.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.EndsWith($"-{coding}\"", etag.Tag, StringComparison.Ordinal);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        using var again = new HttpRequestMessage(HttpMethod.Get, "feeds/all.atom");
        again.Headers.TryAddWithoutValidation("Accept-Encoding", accept);
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await _host.Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.Headers.ETag);
    }

    [Fact]
    public async Task Feed_200And304AnsweredAtRouting_CarryTheSecurityHeaders()
    {
        using var response = await _host.Http.GetAsync("feeds/all.atom");
        using var again = new HttpRequestMessage(HttpMethod.Get, "feeds/all.atom");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var notModified = await _host.Http.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        foreach (var answer in new[] { response, notModified })
        {
            Assert.Equal("nosniff", Assert.Single(answer.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("DENY", Assert.Single(answer.Headers.GetValues("X-Frame-Options")));
            Assert.Contains("default-src", Assert.Single(answer.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task HostileApprovedComment_NeverReachesSubscribersAsMarkup()
    {
        const string Hostile = """
            <p onclick="steal()">Hi<script>alert(1)</script><img src="x.png" onerror="steal()"><a href="javascript:alert(2)">js</a>
            <a href="data:text/html;base64,PHNjcmlwdD4=">data</a><svg onload="alert(3)"><circle/></svg><style>body{background:url(javascript:alert(4))}</style>
            <span style="width: expression(alert(5))">css</span><form action="https://evil.example"><input name="pw"></form><iframe src="https://evil.example"></iframe>
            <a href="/relative/page">relative</a></p>
            """;
        var post = (await _host.Store.ListPostsAsync(_source.Id, Ct)).First();
        await _host.Store.UpsertCommentsAsync(_source.Id, [new CommentUpsert { PostGuid = post.Guid, PostLink = post.Link!, Key = "9999", WordPressId = 9999, Author = "Mallory", ContentHtml = Hostile, SeenIn = "page" }], DateTimeOffset.UtcNow, Ct);
        var stored = (await _host.Store.ListCommentsAsync(post.Id, Ct)).Single(c => c.WordPressId == 9999);
        await _host.Store.RecordDecisionAsync(stored.Id, CommentStatus.Approved, "moderator-ann", null, DateTimeOffset.UtcNow, Ct);

        var xml = XDocument.Parse(await _host.Http.GetStringAsync("feeds/comments.atom"));
        var content = (string)xml.Root!.Elements(Atom + "entry").Single(e => ((string)e.Element(Atom + "id")!).EndsWith("#comment-9999", StringComparison.Ordinal)).Element(Atom + "content")!;

        foreach (var forbidden in new[] { "<script", "onclick", "onerror", "onload", "javascript:", "data:", "<svg", "<style", "expression(", "<form", "<input", "<iframe", "style=" })
        {
            Assert.DoesNotContain(forbidden, content, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("Hi", content, StringComparison.Ordinal);
        Assert.Contains($"href=\"{new Uri(new Uri(post.Link!), "/relative/page")}\"", content, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("feeds/all.atom?page=999")]
    [InlineData("feeds/comments.atom?page=2147483647")]
    public async Task Feed_PagePastTheLast_Is404AndLeavesTheCachedFeedAlone(string path)
    {
        var renderer = _host.App.Services.GetRequiredService<AgleaFeeds.Publishing.FeedRenderer>();
        var before = await renderer.RenderAsync(AgleaFeeds.Publishing.FeedKind.All, null, 1, Ct);

        var response = await _host.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Same(before, await renderer.RenderAsync(AgleaFeeds.Publishing.FeedKind.All, null, 1, Ct));
    }

    [Fact]
    public async Task Feed_ManyReadersMissTheCacheTogether_OneRenderServesThemAll()
    {
        var renderer = _host.App.Services.GetRequiredService<AgleaFeeds.Publishing.FeedRenderer>();
        await _host.Store.SetPostHiddenAsync((await _host.Store.ListPostsAsync(_source.Id, Ct))[0].Id, true, "test", DateTimeOffset.UtcNow, Ct); // a change: the cache is stale

        var feeds = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => renderer.RenderAsync(AgleaFeeds.Publishing.FeedKind.Posts, null, 1, Ct))));

        Assert.All(feeds, f => Assert.Same(feeds[0], f));
    }
}
