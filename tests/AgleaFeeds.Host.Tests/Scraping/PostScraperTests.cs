using AgleaFeeds.Host.Tests.Fixtures;
using AgleaFeeds.Model;
using AgleaFeeds.Scraping;
using AgleaFeeds.Storage;

namespace AgleaFeeds.Host.Tests.Scraping;

public sealed class PostScraperTests : IAsyncLifetime
{
    private const string LongThread = "/site/paged/2025/07/01/long-thread/";
    private const string Seoul = "/samples/agla/2025/02/20/seoul-meetup-recap/";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private FixtureSite _site = null!;
    private TestPipeline _pipeline = null!;

    public async Task InitializeAsync()
    {
        _site = await FixtureSite.StartAsync();
        _pipeline = await TestPipeline.CreateAsync(new Dictionary<string, string?> { ["Scraping:MinDelayPerHost"] = "00:00:00" });
    }

    public async Task DisposeAsync()
    {
        await _pipeline.DisposeAsync();
        await _site.DisposeAsync();
    }

    private PostScraper Scraper => _pipeline.Get<PostScraper>();

    /// <summary>A post known from a feed, pointing at a page of the fixture site.</summary>
    private async Task<long> AddPostAsync(string path, int? feedCount = null)
    {
        var source = await _pipeline.AddSourceAsync(_site.Url("/feed-of" + path));
        var changes = await _pipeline.Store.UpsertPostsAsync(source, [new PostUpsert { Key = path, Link = _site.Url(path), Title = path, FeedCommentCount = feedCount }], _pipeline.Time.GetUtcNow(), Ct);
        return changes[0].PostId;
    }

    private async Task<string> TreeAsync(long postId)
    {
        var comments = await _pipeline.Store.ListCommentsAsync(postId, Ct);
        var byId = comments.ToDictionary(c => c.Id);
        return string.Join(" ", comments.OrderBy(c => c.WordPressId).Select(c =>
            $"{c.WordPressId}<{(c.ParentId is { } p ? byId[p].WordPressId.ToString() : "-")}@{c.Depth}p{c.CommentPage}"));
    }

    [Fact]
    public async Task ScrapeAsync_PostAnotherWorkerIsScraping_IsSkippedWithNothingRecorded_AndScrapedOnceThatOneIsDone()
    {
        _site.FarmDelay = TimeSpan.FromSeconds(2);
        _site.Set("/farm/slow-post/", await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot, "feeds", "samples", "agla", "2025", "02", "20", "seoul-meetup-recap", "index.html")), "text/html; charset=UTF-8");
        var post = await AddPostAsync("/farm/slow-post/");

        var first = Scraper.ScrapeAsync(post, Ct);
        await RunningHost.WaitUntilAsync(() => Task.FromResult(_site.Hits("/farm/slow-post/") > 0), TimeSpan.FromSeconds(10), "the first scrape to ask for the page");
        var second = await Scraper.ScrapeAsync(post, Ct);
        var done = await first;

        Assert.Equal("skipped: another worker is scraping this post", second!.Outcome);
        Assert.Equal(1, _site.Hits("/farm/slow-post/"));
        Assert.NotEqual("skipped: another worker is scraping this post", done!.Outcome);
        // The lease ends with the scrape: the next one runs.
        Assert.NotEqual("skipped: another worker is scraping this post", (await Scraper.ScrapeAsync(post, Ct))!.Outcome);
        Assert.Equal(2, _site.Hits("/farm/slow-post/"));
    }

    [Fact]
    public async Task ScrapeAsync_SampleBlog_AddsTheCommentsNoFeedCarriedWithTheirThreads()
    {
        var source = await _pipeline.AddSourceAsync(_site.PostsFeed);
        await _pipeline.Refresher.RefreshAsync(source, Ct);
        var posts = await _pipeline.Store.ListPostsAsync(source, Ct);

        foreach (var post in posts)
        {
            Assert.Null((await Scraper.ScrapeAsync(post.Id, Ct))!.Error);
        }

        Assert.Equal((4, 21), await _pipeline.CountAsync(source));
        var seoul = posts.Single(p => p.Link == _site.Url(Seoul));
        var comments = await _pipeline.Store.ListCommentsAsync(seoul.Id, Ct);
        Assert.Equal(12, comments.Count);
        Assert.Equal(["page", "page"], comments.Where(c => c.WordPressId is 91 or 92).Select(c => c.SeenIn));
        var byWp = comments.ToDictionary(c => c.WordPressId!.Value);
        Assert.Equal(byWp[94].Id, byWp[95].ParentId);
        Assert.Equal(3, byWp[95].Depth);
        Assert.Equal(byWp[91].Id, byWp[92].ParentId);
        Assert.All(comments, c => Assert.Equal(CommentStatus.Pending, c.Status));
        var stored = (await _pipeline.Store.GetPostAsync(seoul.Id, Ct))!;
        Assert.Equal(12, stored.PageCommentCount);
        Assert.Contains("Forty-two members", stored.PageContentHtml, StringComparison.Ordinal);
        Assert.Equal("12 comment(s) on 1 page(s), 2 new, 0 removed", stored.ScrapeOutcome);
        Assert.Null(stored.ScrapeError);
    }

    [Fact]
    public async Task ScrapeAsync_ThreeCommentPagesNewestFirst_StoresEveryCommentOnceWithParentAndDepth()
    {
        var post = await AddPostAsync(LongThread);

        var result = (await Scraper.ScrapeAsync(post, Ct))!;
        var again = (await Scraper.ScrapeAsync(post, Ct))!;

        Assert.Equal((3, 10, 10), (result.Pages, result.Comments, result.NewComments));
        Assert.Equal(
            "201<-@1p1 202<-@1p1 203<202@2p1 204<203@3p1 205<-@1p2 206<205@2p2 207<-@1p2 208<-@1p3 209<-@1p3 210<209@2p3",
            await TreeAsync(post));
        Assert.Equal(0, again.NewComments);
        Assert.Equal(1, _site.Hits(LongThread + "comment-page-1/"));
        Assert.Equal(0, _site.Hits(LongThread + "comment-page-3/")); // the bare URL is page 3
    }

    [Fact]
    public async Task ScrapeAsync_PageLimit_ReadsNoMoreAndMarksNothingRemoved()
    {
        var post = await AddPostAsync(LongThread);
        await using var limited = await TestPipeline.CreateAsync(new Dictionary<string, string?> { ["Scraping:MaxCommentPages"] = "2", ["Scraping:MinDelayPerHost"] = "00:00:00" }, _pipeline.Folder);

        var result = (await limited.Get<PostScraper>().ScrapeAsync(post, Ct))!;

        Assert.Equal(2, result.Pages);
        Assert.Contains(result.Warnings, w => w.Contains("limit Scraping:MaxCommentPages", StringComparison.Ordinal));
        Assert.Equal(0, result.Removed);
    }

    [Fact]
    public async Task ScrapeAsync_CommentDeletedBetweenScrapes_IsMarkedRemovedNeverDeletedAndRestoredIfItReturns()
    {
        var path = "/samples/agla/2025/03/14/jack-mas-advice-learn-from-failure-and-share-your-success/";
        var post = await AddPostAsync(path);
        var original = _site.Get(path);
        await Scraper.ScrapeAsync(post, Ct);
        var start = original.IndexOf("<li id=\"comment-103\"", StringComparison.Ordinal);
        var end = original.IndexOf("</li><!-- #comment-## -->", start, StringComparison.Ordinal) + "</li><!-- #comment-## -->".Length;
        // As WordPress does, the heading counts one comment fewer.
        var without = original.Remove(start, end - start).Replace("4 thoughts on", "3 thoughts on", StringComparison.Ordinal);
        _site.Set(path, without, "text/html; charset=UTF-8", DateTimeOffset.UtcNow.AddMinutes(1));

        var removed = (await Scraper.ScrapeAsync(post, Ct))!;
        var spam = (await _pipeline.Store.ListCommentsAsync(post, Ct)).Single(c => c.WordPressId == 103);
        _site.Set(path, original, "text/html; charset=UTF-8", DateTimeOffset.UtcNow.AddMinutes(2));
        await Scraper.ScrapeAsync(post, Ct);
        var back = (await _pipeline.Store.ListCommentsAsync(post, Ct)).Single(c => c.WordPressId == 103);

        Assert.Equal(1, removed.Removed);
        Assert.NotNull(spam.RemovedAt);
        Assert.Equal(4, (await _pipeline.Store.ListCommentsAsync(post, Ct)).Count);
        Assert.Null(back.RemovedAt);
    }

    [Fact]
    public async Task ScrapeAsync_SidebarLinksToAnotherPostsCommentPages_AreNotFollowed()
    {
        var other = "/samples/agla/2025/03/14/jack-mas-advice-learn-from-failure-and-share-your-success/";
        var page = _site.Get(Seoul).Replace(
            "</main><!-- #main -->",
            $"</main><aside class=\"widget_recent_comments\"><a href=\"{other}comment-page-2/#comment-103\">Kim on Jack Ma</a> <a href=\"{other}comment-page-1/#comment-101\">Park</a></aside>",
            StringComparison.Ordinal);
        _site.Set(Seoul, page, "text/html; charset=UTF-8", DateTimeOffset.UtcNow.AddMinutes(1));
        var post = await AddPostAsync(Seoul);

        var result = (await Scraper.ScrapeAsync(post, Ct))!;

        Assert.Null(result.Error);
        Assert.Equal(1, result.Pages);
        Assert.Equal(12, result.Comments);
        Assert.DoesNotContain(_site.Requests, r => r.Path.StartsWith(other, StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("ignored 2 link(s) to other posts' comment pages", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ScrapeAsync_ListShowsOtherCommentsThanTheHeadingCounts_IsAnErrorAndStoresNone()
    {
        var page = _site.Get(Seoul).Replace("12 thoughts on", "15 thoughts on", StringComparison.Ordinal);
        _site.Set(Seoul, page, "text/html; charset=UTF-8", DateTimeOffset.UtcNow.AddMinutes(1));
        var post = await AddPostAsync(Seoul);

        var result = (await Scraper.ScrapeAsync(post, Ct))!;

        Assert.StartsWith("Scraping: the page heading announces 15 comment(s), the comment pages show 12", result.Error, StringComparison.Ordinal);
        Assert.Empty(await _pipeline.Store.ListCommentsAsync(post, Ct));
        Assert.Equal(result.Error, (await _pipeline.Store.GetPostAsync(post, Ct))!.ScrapeError);
    }

    [Fact]
    public async Task ScrapeAsync_LastCommentRemoved_NoListIsTheCompleteEmptyList()
    {
        var original = _site.Get(Seoul);
        var post = await AddPostAsync(Seoul, feedCount: 12);
        await Scraper.ScrapeAsync(post, Ct);
        var start = original.IndexOf("<h2 class=\"comments-title\">", StringComparison.Ordinal);
        var end = original.IndexOf("</ol><!-- .comment-list -->", StringComparison.Ordinal) + "</ol><!-- .comment-list -->".Length;
        // What WordPress shows once the last comment is gone: no heading, no list, the comment form.
        _site.Set(Seoul, original.Remove(start, end - start), "text/html; charset=UTF-8", DateTimeOffset.UtcNow.AddMinutes(1));
        await _pipeline.Store.UpsertPostsAsync((await _pipeline.Store.GetPostAsync(post, Ct))!.SourceId,
            [new PostUpsert { Key = Seoul, Link = _site.Url(Seoul), Title = Seoul, FeedCommentCount = 0 }], _pipeline.Time.GetUtcNow(), Ct);

        var result = (await Scraper.ScrapeAsync(post, Ct))!;

        Assert.Null(result.Error);
        Assert.Equal(12, result.Removed);
        Assert.All(await _pipeline.Store.ListCommentsAsync(post, Ct), c => Assert.NotNull(c.RemovedAt));
    }

    [Fact]
    public async Task ScrapeAsync_UnchangedPage_IsAConditionalGet304()
    {
        var post = await AddPostAsync(Seoul);
        await Scraper.ScrapeAsync(post, Ct);

        var again = (await Scraper.ScrapeAsync(post, Ct))!;

        Assert.True(again.NotModified);
        Assert.Equal("not modified (304)", (await _pipeline.Store.GetPostAsync(post, Ct))!.ScrapeOutcome);
        Assert.NotEmpty(_site.Requests.Last(r => r.Path == Seoul).IfNoneMatch);
    }

    [Theory]
    [InlineData("/fail/html", "Scraping: not a WordPress post page: no entry content and no comment list found.")]
    [InlineData("/fail/deep/", "Scraping: the page nests elements more than 1000 deep")]
    [InlineData("/fail/404", "Fetching: HTTP 404 Not Found")]
    public async Task ScrapeAsync_PagesThatCannotBeScraped_RecordTheErrorOnThePost(string path, string error)
    {
        var post = await AddPostAsync(path);

        var result = (await Scraper.ScrapeAsync(post, Ct))!;

        Assert.StartsWith(error, result.Error, StringComparison.Ordinal);
        Assert.StartsWith(error, (await _pipeline.Store.GetPostAsync(post, Ct))!.ScrapeError, StringComparison.Ordinal);
        Assert.Empty(await _pipeline.Store.ListCommentsAsync(post, Ct));
    }

    [Fact]
    public async Task ScrapeAsync_NoCommentListButCommentsAnnounced_RecordsItOnThePost()
    {
        _site.Set("/site/closed/", "<html><body><h1 class=\"entry-title\">Closed</h1><div class=\"entry-content\"><p>Hi</p></div></body></html>", "text/html; charset=UTF-8");
        var post = await AddPostAsync("/site/closed/", feedCount: 3);

        var result = (await Scraper.ScrapeAsync(post, Ct))!;

        Assert.StartsWith("Scraping: no comment list found on the page although 3 comment(s) are announced", result.Error, StringComparison.Ordinal);
        Assert.Equal("<p>Hi</p>", (await _pipeline.Store.GetPostAsync(post, Ct))!.PageContentHtml);
    }
}
