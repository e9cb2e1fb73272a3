using AgleaFeeds.Host.Tests.Fixtures;
using AgleaFeeds.Model;
using AgleaFeeds.Polling;

namespace AgleaFeeds.Host.Tests.Polling;

public sealed class SourceRefresherTests : IAsyncLifetime
{
    private const string JackMaPath = "/samples/agla/2025/03/14/jack-mas-advice-learn-from-failure-and-share-your-success/";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private FixtureSite _site = null!;
    private TestPipeline _pipeline = null!;

    public async Task InitializeAsync()
    {
        _site = await FixtureSite.StartAsync();
        _pipeline = await TestPipeline.CreateAsync(new Dictionary<string, string?> { ["Fetching:Timeout"] = "00:00:10" });
    }

    public async Task DisposeAsync()
    {
        await _pipeline.DisposeAsync();
        await _site.DisposeAsync();
    }

    [Fact]
    public async Task RefreshAsync_SampleBlog_StoresPostsAndCommentsFromAllThreeFeedKinds()
    {
        var id = await _pipeline.AddSourceAsync(_site.PostsFeed, "AGLA Blog");

        var result = (await _pipeline.Refresher.RefreshAsync(id, Ct))!;

        Assert.Null(result.Error);
        Assert.Equal(4, result.NewPosts);
        Assert.Equal(19, result.NewComments);
        var source = (await _pipeline.Store.GetSourceAsync(id, Ct))!;
        Assert.Equal((4, 19), (source.PostCount, source.CommentCount));
        Assert.Equal(_site.Url("/samples/agla/comments/feed/"), source.CommentsFeedUrl);
        Assert.Equal(0, source.ErrorCount);
        Assert.Null(source.LastError);
        Assert.Equal("4 new post(s), 0 changed, 19 new comment(s)", source.LastOutcome);
        Assert.Equal(_pipeline.Time.GetUtcNow().AddHours(1), source.NextPollAt); // sy:updatePeriod hourly

        var jackMa = (await _pipeline.Store.ListPostsAsync(id, Ct)).Single(p => p.Link == _site.Url(JackMaPath));
        Assert.Equal("Jack Ma’s Advice – Learn from Failure and Share Your Success", jackMa.Title);
        Assert.Equal("Eun 'Anna' Kim", jackMa.Author);
        Assert.Equal(4, jackMa.FeedCommentCount);
        var comments = await _pipeline.Store.ListCommentsAsync(jackMa.Id, Ct);
        Assert.Equal([101L, 102, 103, 104], comments.Select(c => c.WordPressId));
        Assert.Equal(["Daniel Park", "Eun 'Anna' Kim", "Best Cheap SEO Services", "김민지"], comments.Select(c => c.Author));
        Assert.All(comments, c => Assert.Equal(CommentStatus.Pending, c.Status));
        Assert.Contains("🙌", comments[3].ContentHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshAsync_OldestComments_ComeFromThePostCommentFeedWhenTheSiteFeedStopsAtTen()
    {
        var id = await _pipeline.AddSourceAsync(_site.PostsFeed);

        await _pipeline.Refresher.RefreshAsync(id, Ct);

        var fundraiser = (await _pipeline.Store.ListPostsAsync(id, Ct)).Single(p => p.Title == "Year-End Fundraiser: Thank You!");
        var comments = await _pipeline.Store.ListCommentsAsync(fundraiser.Id, Ct);
        Assert.Equal([71L, 72], comments.Select(c => c.WordPressId));
        Assert.All(comments, c => Assert.Equal("post-feed", c.SeenIn));
    }

    [Fact]
    public async Task RefreshAsync_UnchangedFeeds_SendsValidatorsStoresNothingNew()
    {
        var id = await _pipeline.AddSourceAsync(_site.PostsFeed);
        await _pipeline.Refresher.RefreshAsync(id, Ct);
        _pipeline.Time.Advance(TimeSpan.FromHours(1));

        var result = (await _pipeline.Refresher.RefreshAsync(id, Ct))!;

        Assert.True(result.NotModified);
        Assert.Equal((0, 0, 0), (result.NewPosts, result.ChangedPosts, result.NewComments));
        Assert.Equal("not modified (304)", result.Summary);
        Assert.Equal((4, 19), await _pipeline.CountAsync(id));
        var second = _site.Requests.Where(r => r.Path == "/samples/agla/feed/").Last();
        Assert.NotEmpty(second.IfNoneMatch);
        Assert.NotEmpty(second.IfModifiedSince);
        Assert.NotEmpty(_site.Requests.Where(r => r.Path == "/samples/agla/comments/feed/").Last().IfNoneMatch);
        Assert.Equal(1, _site.Hits(JackMaPath + "feed/"));
    }

    [Fact]
    public async Task RefreshAsync_ContentAndCommentsChangeBetweenPolls_UpdatesAndAddsOnlyTheNew()
    {
        var id = await _pipeline.AddSourceAsync(_site.PostsFeed);
        await _pipeline.Refresher.RefreshAsync(id, Ct);
        var later = DateTimeOffset.UtcNow.AddMinutes(5);
        var posts = _site.Get("/samples/agla/feed/")
            .Replace("Three lessons for our members", "Three lessons for every member", StringComparison.Ordinal)
            .Replace("<slash:comments>4</slash:comments>", "<slash:comments>5</slash:comments>", StringComparison.Ordinal);
        _site.Set("/samples/agla/feed/", posts, modified: later);
        const string NewComment = """
            	<item>
            		<title>By: Ha-eun</title>
            		<link>http://sample.agleafeeds.invalid/samples/agla/2025/03/14/jack-mas-advice-learn-from-failure-and-share-your-success/#comment-105</link>
            		<dc:creator><![CDATA[Ha-eun]]></dc:creator>
            		<pubDate>Mon, 17 Mar 2025 10:00:00 +0000</pubDate>
            		<guid isPermaLink="false">http://sample.agleafeeds.invalid/samples/agla/?p=41#comment-105</guid>
            		<description><![CDATA[Shared this with my team.]]></description>
            		<content:encoded><![CDATA[<p>Shared this with my team.</p>]]></content:encoded>
            	</item>
            """;
        var postFeed = _site.Get(JackMaPath + "feed/");
        _site.Set(JackMaPath + "feed/", postFeed.Insert(postFeed.IndexOf("\t<item>", StringComparison.Ordinal), NewComment.Replace("http://sample.agleafeeds.invalid/", _site.BaseUrl.ToString(), StringComparison.Ordinal) + "\n"), modified: later);
        _pipeline.Time.Advance(TimeSpan.FromHours(1));

        var result = (await _pipeline.Refresher.RefreshAsync(id, Ct))!;

        Assert.Equal((0, 1, 1), (result.NewPosts, result.ChangedPosts, result.NewComments));
        Assert.Equal((4, 20), await _pipeline.CountAsync(id));
        var jackMa = (await _pipeline.Store.ListPostsAsync(id, Ct)).Single(p => p.Link == _site.Url(JackMaPath));
        Assert.Contains("Three lessons for every member", jackMa.ContentHtml, StringComparison.Ordinal);
        Assert.Equal("Ha-eun", (await _pipeline.Store.ListCommentsAsync(jackMa.Id, Ct)).Last().Author);
    }

    [Theory]
    [InlineData("/fail/500", "Fetching: HTTP 500 Internal Server Error", 15)]
    [InlineData("/fail/404", "Fetching: HTTP 404 Not Found", 15)]
    [InlineData("/fail/429", "Fetching: HTTP 429 Too Many Requests", 120)]
    [InlineData("/fail/loop-a", "Fetching: more than 5 redirects", 15)]
    [InlineData("/fail/invalid", "Parsing: the feed is not well-formed XML", 15)]
    [InlineData("/fail/html", "Parsing: expected a feed but got an HTML page.", 15)]
    [InlineData("/fail/huge", "Fetching: response larger than", 15)]
    public async Task RefreshAsync_FailureModes_RecordTheErrorAndBackOff(string path, string error, int nextPollMinutes)
    {
        var id = await _pipeline.AddSourceAsync(_site.Url(path));
        await using var small = await TestPipeline.CreateAsync(new Dictionary<string, string?> { ["Fetching:MaxBodyBytes"] = "65536" }, _pipeline.Folder);

        var result = (await small.Refresher.RefreshAsync(id, Ct))!;

        Assert.StartsWith(error, result.Error, StringComparison.Ordinal);
        var source = (await small.Store.GetSourceAsync(id, Ct))!;
        Assert.StartsWith(error, source.LastError, StringComparison.Ordinal);
        Assert.Equal(1, source.ErrorCount);
        Assert.Equal(small.Time.GetUtcNow().AddMinutes(nextPollMinutes), source.NextPollAt);
        Assert.Equal((0, 0), (source.PostCount, source.CommentCount));

        small.Time.Advance(TimeSpan.FromHours(3));
        await small.Refresher.RefreshAsync(id, Ct);
        source = (await small.Store.GetSourceAsync(id, Ct))!;
        Assert.Equal(2, source.ErrorCount);
        Assert.True(source.NextPollAt >= small.Time.GetUtcNow().AddMinutes(30));
    }

    [Theory]
    [InlineData("/cache/max-age/feed/", 120)]
    [InlineData("/cache/expires/feed/", 180)]
    public async Task RefreshAsync_ServerFreshnessLongerThanTheFeedsHint_PostponesTheNextPoll(string path, int minutes)
    {
        var id = await _pipeline.AddSourceAsync(_site.Url(path));

        await _pipeline.Refresher.RefreshAsync(id, Ct);

        var next = (await _pipeline.Store.GetSourceAsync(id, Ct))!.NextPollAt;
        Assert.InRange(next, _pipeline.Time.GetUtcNow().AddMinutes(minutes - 1), _pipeline.Time.GetUtcNow().AddMinutes(minutes));
    }

    [Fact]
    public async Task RefreshAsync_AfterFailures_RecoversAndResetsTheErrorCount()
    {
        var id = await _pipeline.AddSourceAsync(_site.Url("/later/feed/"));
        await _pipeline.Refresher.RefreshAsync(id, Ct);
        _site.Set("/later/feed/", _site.Get("/samples/agla/feed/"));
        _site.Set("/later/comments/feed/", _site.Get("/samples/agla/comments/feed/"));

        await _pipeline.Refresher.RefreshAsync(id, Ct);

        var source = (await _pipeline.Store.GetSourceAsync(id, Ct))!;
        Assert.Equal(0, source.ErrorCount);
        Assert.Null(source.LastError);
        Assert.Equal(4, source.PostCount);
    }

    [Fact]
    public async Task RefreshAsync_PermanentRedirect_MovesTheSourceToTheNewUrl()
    {
        var id = await _pipeline.AddSourceAsync(_site.Url("/moved/feed/"));

        var result = (await _pipeline.Refresher.RefreshAsync(id, Ct))!;

        var source = (await _pipeline.Store.GetSourceAsync(id, Ct))!;
        Assert.Equal(_site.PostsFeed, source.FeedUrl);
        Assert.Equal(4, result.NewPosts);
        Assert.Contains("moved permanently", source.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshAsync_SameDataFolderAfterRestart_DuplicatesNothing()
    {
        var id = await _pipeline.AddSourceAsync(_site.PostsFeed);
        await _pipeline.Refresher.RefreshAsync(id, Ct);
        await _pipeline.Store.SavePollStateAsync(new Storage.SourcePollState { SourceId = id, PolledAt = _pipeline.Time.GetUtcNow(), NextPollAt = _pipeline.Time.GetUtcNow(), Succeeded = true }, Ct);

        await using var restarted = await TestPipeline.CreateAsync(folder: _pipeline.Folder);
        var result = (await restarted.Refresher.RefreshAsync(id, Ct))!;

        Assert.Equal((0, 0), (result.NewPosts, result.NewComments));
        Assert.Equal((4, 19), await restarted.CountAsync(id));
    }

    [Fact]
    public async Task RunAsync_AThousandPollsOfFailureModes_RecordsEveryFailureAndNeverDuplicates()
    {
        await using var pipeline = await TestPipeline.CreateAsync(new Dictionary<string, string?>
        {
            ["Fetching:Timeout"] = "00:00:01",
            ["Fetching:MaxBodyBytes"] = "65536",
            ["Polling:MaxConcurrency"] = "10",
        });
        string[] failing = ["/fail/500", "/fail/404", "/fail/429", "/fail/503", "/fail/loop-a", "/fail/invalid", "/fail/html", "/fail/huge"];
        var bad = new List<long>();
        foreach (var path in failing)
        {
            bad.Add(await pipeline.AddSourceAsync(_site.Url(path), path));
        }

        var good = new[] { await pipeline.AddSourceAsync(_site.PostsFeed, "good"), await pipeline.AddSourceAsync(_site.Url("/moved/feed/"), "moved") };
        var runner = pipeline.Get<PollBatchRunner>();

        var polls = 0;
        for (var round = 0; round < 100; round++)
        {
            var claimed = await pipeline.Store.ClaimSourcesAsync([.. bad, .. good], pipeline.Time.GetUtcNow(), TimeSpan.FromMinutes(10), "test", Ct);
            var results = await runner.RunAsync(claimed, "test", Ct);
            polls += results.Count;
            pipeline.Time.Advance(TimeSpan.FromMinutes(20));
        }

        Assert.Equal(1000, polls);
        foreach (var id in bad)
        {
            var source = (await pipeline.Store.GetSourceAsync(id, Ct))!;
            Assert.Equal(100, source.ErrorCount);
            Assert.NotNull(source.LastError);
            Assert.True(source.NextPollAt > pipeline.Time.GetUtcNow().AddMinutes(-20), $"{source.Title}: next poll {source.NextPollAt}");
            Assert.Equal(0, source.PostCount);
        }

        // Both good sources read the same blog into their own store: 4 posts and 19 comments each, once.
        foreach (var id in good)
        {
            Assert.Equal((4, 19), await pipeline.CountAsync(id));
            Assert.Equal(0, (await pipeline.Store.GetSourceAsync(id, Ct))!.ErrorCount);
        }
    }
}
