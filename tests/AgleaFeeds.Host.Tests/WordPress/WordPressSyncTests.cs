using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AgleaFeeds.Host.Jobs;
using AgleaFeeds.Host.Tests.Fixtures;
using AgleaFeeds.Model;
using Hangfire;

namespace AgleaFeeds.Host.Tests.WordPress;

/// <summary>Tests against one real WordPress share it: they run one after another.</summary>
[CollectionDefinition("WordPress", DisableParallelization = true)]
public sealed class WordPressCollection;

/// <summary>
/// The real host on its own data folder, pointed at the real WordPress of tests/wordpress: after the
/// first sync every public post and comment is stored once, under its own post, as WordPress has it;
/// then changes made on the blog reach the store and the republished feeds after one poll.
/// </summary>
[Collection("WordPress")]
public sealed partial class WordPressSyncTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _folder = TestPaths.NewTempFolder();
    private RunningHost? _host;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>With the REST API, and without it (as on WordPress.com or where it is disabled): feeds, paged feeds and pages only.</summary>
    /// <summary>
    /// Also with other settings a blog may have: WordPress's plain links (?p=N, ?feed=rss2, cpage=N,
    /// ?rest_route=/), the oldest comment page first, newest comments first, threads off.
    /// </summary>
    [SkippableTheory]
    [InlineData("twentytwentyone", true, "")]
    [InlineData("twentytwentythree", true, "")]
    [InlineData("twentytwentyone", false, "")]
    [InlineData("twentytwentythree", false, "")]
    [InlineData("twentytwentytwo", true, "")]
    [InlineData("twentytwentytwo", false, "")]
    [InlineData("twentytwentyone", true, "permalink_structure=")]
    [InlineData("twentytwentythree", false, "permalink_structure=")]
    [InlineData("twentytwentyone", false, "default_comments_page=oldest;comment_order=desc;thread_comments=0")]
    [InlineData("twentytwentyone", true, "agleafeeds_rest_off=1")]
    public async Task FirstSync_StoresEveryPublicPostAndCommentOnceUnderItsOwnPostAndNothingElse(string theme, bool api, string settings)
    {
        var site = await WordPressSite.RequireAsync();
        await site.SeedAsync(theme);
        foreach (var setting in settings.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            await site.SetOptionAsync(setting.Split('=')[0], setting.Split('=')[1]);
        }

        var truth = await site.TruthAsync();
        var feed = settings.Contains("permalink_structure=;", StringComparison.Ordinal) || settings.EndsWith("permalink_structure=", StringComparison.Ordinal)
            ? new Uri(site.Url, "?feed=rss2").ToString() : site.FeedUrl;

        _host = await RunningHost.StartAsync(_folder, new Dictionary<string, string?> { ["Polling:UseWordPressApi"] = api ? "true" : "false" }, feed);
        await WaitUntilSyncedAsync(truth);

        // An API that refuses visitors is said on the source; the feeds and pages do its work.
        var refused = settings.Contains("agleafeeds_rest_off", StringComparison.Ordinal);
        await AssertStoreMatchesAsync(truth, refused ? "HTTP 401" : null);
        await AssertFeedsShowNothingNonPublicAsync(truth);
        var sources = await _host.Http.GetStringAsync("hangfire/sources");
        Assert.Contains(api ? "WordPress REST API: http://127.0.0.1:" : "no REST API: feeds and pages", sources, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("twentytwentyone")]
    [InlineData("twentytwentythree")]
    public async Task ChangesOnTheBlog_ReachTheStoreAndTheRepublishedFeedsAfterOnePoll(string theme)
    {
        var site = await WordPressSite.RequireAsync();
        await site.SeedAsync(theme);
        _host = await RunningHost.StartAsync(_folder, site.FeedUrl);
        await WaitUntilSyncedAsync(await site.TruthAsync());
        var before = await site.TruthAsync();
        var postsBefore = await FeedAsync("feeds/posts.atom");
        var allBefore = await FeedAsync("feeds/all.atom");
        var jack = before.Posts.Single(p => p.Title.StartsWith("Jack Ma", StringComparison.Ordinal));
        TruePost Weekly(int n) => before.Posts.Single(p => p.Title == $"Weekly notes {n}");
        TrueComment By(string author) => before.Comments.Single(c => c.Author == author && c.Post == jack.Id && c.Parent == 0);
        var (trashed, spammed, held) = (By("Kofi"), By("Jun"), By("Ivan"));
        var last = before.Comments.Single(c => c.Post == Weekly(7).Id);
        var edited = before.Comments.Single(c => c.Post == Weekly(10).Id);
        foreach (var c in new[] { trashed, spammed, held, last, edited })
        {
            Assert.True(HasComment(allBefore, c.Id), $"comment {c.Id} by {c.Author} is not in the feed before the changes");
        }

        // The changes a blog sees in a day, made through WordPress's own API.
        var added = await site.CommentAsync(jack.Id, 0, "Mina", "Failure taught me patience. Thank you for writing this.");
        var reply = await site.CommentAsync(jack.Id, By("Lena").Id, "Omar", "Well said, Lena. I agree with you.");
        await site.EditPostAsync(Weekly(16).Id, "<p>Week 16, corrected: what went right, what went wrong, and what changed.</p>");
        await site.EditCommentAsync(edited.Id, "Thanks for week 9. Edited: I shared it with my team.");
        await site.SetStatusAsync(trashed.Id, "trash");
        await site.SetStatusAsync(spammed.Id, "spam");
        await site.SetStatusAsync(held.Id, "hold");
        await site.DeleteCommentAsync(last.Id);
        await site.PostAsync("A brand new post", "<p>Fresh from the blog.</p>");
        await site.SetPostStatusAsync(Weekly(5).Id, "trash");
        await site.SetPostStatusAsync(Weekly(6).Id, "private");
        var late = await site.CommentAsync(Weekly(13).Id, 0, "Zoe", "Late to this post, but it helped me a lot.");
        var after = await site.TruthAsync();

        var started = DateTime.UtcNow;
        await PollNowAsync();
        await WaitUntilQuietAsync();
        var took = DateTime.UtcNow - started;

        await AssertStoreMatchesAsync(after);
        var all = await FeedAsync("feeds/all.atom");
        var posts = await FeedAsync("feeds/posts.atom");
        foreach (var gone in new[] { trashed, spammed, held, last })
        {
            Assert.False(HasComment(all, gone.Id), $"comment {gone.Id} by {gone.Author}, removed on the blog, is still in the feed");
        }

        foreach (var id in new[] { added, reply, late })
        {
            Assert.True(HasComment(all, id), $"new comment {id} is not in the feed");
        }

        Assert.Contains("I shared it with my team", Entry(all, CommentHref(edited.Id)).Content, StringComparison.Ordinal);
        var post16 = Entry(posts, Weekly(16).Link);
        Assert.Contains("what changed", post16.Content, StringComparison.Ordinal);
        Assert.True(post16.Updated > Entry(postsBefore, Weekly(16).Link).Updated, "the edited post kept its atom:updated");
        Assert.Contains(posts.Document.Descendants(Atom + "title"), t => t.Value == "A brand new post");
        Assert.DoesNotContain(posts.Document.Descendants(Atom + "title"), t => t.Value is "Weekly notes 5" or "Weekly notes 6");
        Assert.Contains(postsBefore.Document.Descendants(Atom + "title"), t => t.Value is "Weekly notes 5");
        Assert.True(posts.LastModified > postsBefore.LastModified, "the posts feed's Last-Modified did not move with the edit");
        Assert.True(all.LastModified > allBefore.LastModified, "the feed's Last-Modified did not move with the removals");
        using var request = new HttpRequestMessage(HttpMethod.Get, "feeds/all.atom");
        request.Headers.IfModifiedSince = allBefore.LastModified;
        using var conditional = await _host!.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, conditional.StatusCode);
        Console.WriteLine($"WordPress changes to the republished feeds: {took.TotalSeconds:0.0} s after Poll now");
    }

    /// <summary>The republished feeds of real WordPress content (non-ASCII slugs, emoji, texturized quotes) through the same validators and clients as the sample's.</summary>
    [SkippableFact]
    public async Task RepublishedFeeds_OfTheRealBlog_AreValidAtomWithAsciiUrisAndReadByFeedparser()
    {
        var site = await WordPressSite.RequireAsync();
        var schema = FeedClients.RequireAtomSchema();
        FeedClients.RequireFeedparser();
        FeedClients.RequireNewsboat();
        await site.SeedAsync("twentytwentyone");
        _host = await RunningHost.StartAsync(_folder, site.FeedUrl);
        await WaitUntilSyncedAsync(await site.TruthAsync());
        var truth = await site.TruthAsync();
        var korean = (await _host.Store.ListPostsAsync(Assert.Single(await _host.Store.ListSourcesAsync(Ct)).Id, Ct)).Single(p => p.Title!.StartsWith("한국어", StringComparison.Ordinal));

        foreach (var path in new[] { "feeds/posts.atom", "feeds/comments.atom", "feeds/all.atom", $"feeds/posts/{korean.Id}/comments.atom" })
        {
            var body = await _host.Http.GetByteArrayAsync(path);
            var file = Path.Combine(_folder, path.Replace('/', '_'));
            await File.WriteAllBytesAsync(file, body);
            var (code, output) = await FeedClients.JingAsync(schema, file);
            Assert.True(code == 0, $"jing {path}: {output}");

            // Every link, ref and id an ASCII absolute URI (non-ASCII percent-encoded): valid as URI and IRI alike.
            var document = XDocument.Load(new MemoryStream(body));
            var uris = document.Descendants().SelectMany(e => e.Attributes().Where(a => a.Name.LocalName is "href" or "ref" or "uri").Select(a => a.Value))
                .Concat(document.Descendants(Atom + "id").Select(e => e.Value))
                .Concat(document.Descendants(Atom + "uri").Select(e => e.Value));
            foreach (var uri in uris)
            {
                Assert.True(uri.All(char.IsAscii) && Uri.IsWellFormedUriString(uri, UriKind.Absolute), $"{path}: \"{uri}\" is not an ASCII absolute URI");
            }

            if (path == "feeds/posts.atom")
            {
                Assert.DoesNotContain("1970-01-01", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
            }
        }

        using var json = await FeedClients.FeedparserAsync(new Uri(_host.BaseUrl, "feeds/posts.atom").ToString());
        Assert.Equal(0, json.RootElement.GetProperty("bozo").GetInt32());
        Assert.Equal(truth.Posts.Select(p => p.Title).Order(), json.RootElement.GetProperty("titles").EnumerateArray().Select(t => t.GetString()!).Order());

        // newsboat subscribed to the posts and the comments: every post and every approved comment, unread.
        var approved = (await _host.CommentsAsync()).Count(c => c.Status == Model.CommentStatus.Approved && c.RemovedAt is null);
        var (ncode, noutput) = await FeedClients.NewsboatAsync(_folder, new Uri(_host.BaseUrl, "feeds/posts.atom").ToString(), new Uri(_host.BaseUrl, "feeds/comments.atom").ToString());
        Assert.True(ncode == 0, noutput);
        Assert.Contains($"{truth.Posts.Count + approved} unread articles", noutput, StringComparison.Ordinal);
    }

    /// <summary>Without the API nothing lists removals: each poll reads a slice of the posts' pages again, oldest read first.</summary>
    [SkippableFact]
    public async Task WithoutTheApi_ACommentTrashedOnAnOldPost_LeavesTheFeedsWithinPostsOverSlicePolls()
    {
        var site = await WordPressSite.RequireAsync();
        await site.SeedAsync("twentytwentyone");
        _host = await RunningHost.StartAsync(_folder, new Dictionary<string, string?> { ["Polling:UseWordPressApi"] = "false" }, site.FeedUrl);
        await WaitUntilSyncedAsync(await site.TruthAsync());
        var before = await site.TruthAsync();
        var old = before.Comments.Single(c => c.Post == before.Posts.Single(p => p.Title == "A post with one comment").Id);
        Assert.True(HasComment(await FeedAsync("feeds/all.atom"), old.Id));

        await site.SetStatusAsync(old.Id, "trash");
        var polls = 0;
        var slice = 5;
        var bound = (before.Posts.Count + slice - 1) / slice;
        while (polls < bound + 1 && HasComment(await FeedAsync("feeds/all.atom"), old.Id))
        {
            await PollNowAsync();
            await WaitUntilQuietAsync();
            polls++;
        }

        Assert.False(HasComment(await FeedAsync("feeds/all.atom"), old.Id), $"still in the feed after {polls} polls");
        Assert.True(polls <= bound, $"took {polls} polls, more than {bound} (16 posts, 5 a poll)");
        await AssertStoreMatchesAsync(await site.TruthAsync());
    }

    private async Task PollNowAsync()
    {
        var source = Assert.Single(await _host!.Store.ListSourcesAsync(Ct));
        await _host.Store.MakeDueAsync(source.Id, DateTimeOffset.UtcNow, Ct);
        _host.App.Services.GetRequiredService<IRecurringJobManagerV2>().TriggerJob(PollSchedulerJob.RecurringJobId);
        await RunningHost.WaitUntilAsync(async () => (await _host.Store.GetSourceAsync(source.Id, Ct))!.LastPolledAt > source.LastPolledAt, TimeSpan.FromSeconds(60), "the poll now");
    }

    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private sealed record Feed(XDocument Document, DateTimeOffset LastModified);

    private sealed record FeedEntry(DateTimeOffset Updated, string Content);

    private async Task<Feed> FeedAsync(string path)
    {
        using var response = await _host!.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new Feed(XDocument.Parse(await response.Content.ReadAsStringAsync()), response.Content.Headers.LastModified!.Value);
    }

    private static string CommentHref(long id) => $"#comment-{id}";

    private static bool HasComment(Feed feed, long id) =>
        feed.Document.Descendants(Atom + "entry").Any(e => e.Elements(Atom + "link").Any(l => (string?)l.Attribute("rel") == "alternate" && ((string?)l.Attribute("href"))?.EndsWith(CommentHref(id), StringComparison.Ordinal) == true));

    private static FeedEntry Entry(Feed feed, string href)
    {
        var entry = feed.Document.Descendants(Atom + "entry").Single(e => e.Elements(Atom + "link").Any(l => (string?)l.Attribute("rel") == "alternate"
            && ((string?)l.Attribute("href") is { } h && (h.EndsWith(href, StringComparison.Ordinal) || SameUrl(h, href)))));
        return new FeedEntry(DateTimeOffset.Parse(entry.Element(Atom + "updated")!.Value, System.Globalization.CultureInfo.InvariantCulture), entry.Element(Atom + "content")?.Value ?? string.Empty);
    }

    /// <summary>Waits for the poll and every job it started (scrapes, scoring) to finish.</summary>
    private async Task WaitUntilSyncedAsync(BlogTruth _)
    {
        await RunningHost.WaitUntilAsync(async () => (await _host!.Store.ListSourcesAsync(Ct)) is [{ LastPolledAt: not null }], TimeSpan.FromSeconds(60), "the first poll");
        await WaitUntilQuietAsync();
    }

    private Task WaitUntilQuietAsync() => _host!.WaitUntilQuietAsync();

    private async Task AssertStoreMatchesAsync(BlogTruth truth, string? expectedWarning = null)
    {
        var source = Assert.Single(await _host!.Store.ListSourcesAsync(Ct));
        // A post the blog stopped publishing stays stored, hidden from every feed with its comments.
        var posts = (await _host.Store.ListPostsAsync(source.Id, Ct)).Where(p => !p.Hidden).ToList();
        var problems = new List<string>();
        if (expectedWarning is not null ? source.LastError?.Contains(expectedWarning, StringComparison.Ordinal) != true : source.LastError is not null)
        {
            problems.Add($"the source reports: \"{source.LastError}\"{(expectedWarning is null ? string.Empty : $", not \"{expectedWarning}\"")}");
        }

        problems.AddRange(posts.Where(p => p.ScrapeError is not null).Select(p => $"post {p.Link}: {p.ScrapeError}"));
        var byWordPressPost = new Dictionary<long, Post>();
        foreach (var t in truth.Posts)
        {
            var stored = posts.Where(p => SameUrl(p.Link, t.Link)).ToList();
            if (stored.Count != 1)
            {
                problems.Add($"post {t.Id} \"{t.Title}\" stored {stored.Count} times");
                continue;
            }

            byWordPressPost[t.Id] = stored[0];
            if ((stored[0].PageTitle ?? stored[0].Title) != t.Title)
            {
                problems.Add($"post {t.Id}: title \"{stored[0].PageTitle ?? stored[0].Title}\", WordPress has \"{t.Title}\"");
            }
        }

        foreach (var extra in posts.Where(p => !truth.Posts.Any(t => SameUrl(p.Link, t.Link))))
        {
            problems.Add($"a post WordPress does not publish is stored: {extra.Link} \"{extra.Title}\"");
        }

        var comments = new List<(Post Post, Comment Comment)>();
        foreach (var post in posts)
        {
            comments.AddRange((await _host.Store.ListCommentsAsync(post.Id, Ct)).Where(c => c.RemovedAt is null).Select(c => (post, c)));
        }

        var byId = comments.ToDictionary(c => c.Comment.Id);
        foreach (var t in truth.Comments)
        {
            var stored = comments.Where(c => c.Comment.WordPressId == t.Id).ToList();
            if (stored.Count != 1)
            {
                problems.Add($"comment {t.Id} by {t.Author} stored {stored.Count} times{(stored.Count > 1 ? ", under " + string.Join(", ", stored.Select(s => s.Post.Link)) : string.Empty)}");
                continue;
            }

            var (post, c) = stored[0];
            if (!byWordPressPost.TryGetValue(t.Post, out var own) || own.Id != post.Id)
            {
                problems.Add($"comment {t.Id} is under {post.Link}, not under its post {t.Post}");
            }

            var parent = c.ParentId is { } p && byId.TryGetValue(p, out var pc) ? pc.Comment.WordPressId : 0;
            Check(problems, t, "parent", t.Parent, parent);
            Check(problems, t, "author", t.Author, c.Author);
            Check(problems, t, "author URL", t.AuthorUrl.Length == 0 ? null : t.AuthorUrl, c.AuthorUrl);
            Check(problems, t, "time", t.Date, c.PublishedAt);
            Check(problems, t, "type", t.Type, c.Type);
            Check(problems, t, "plain text", t.Text, Collapse(c.ContentText));
            if (c.Status == CommentStatus.Spam)
            {
                problems.Add($"comment {t.Id} by {t.Author} (\"{t.Text}\") was caught as spam");
            }
        }

        foreach (var (post, c) in comments.Where(c => !truth.Comments.Any(t => t.Id == c.Comment.WordPressId)))
        {
            problems.Add($"a comment WordPress does not publish is stored under {post.Link}: {c.WordPressId} by {c.Author}: {c.ContentText}");
        }

        foreach (var secret in truth.NeverShown)
        {
            if (posts.Any(p => Contains(p.Title, secret) || Contains(p.ContentHtml, secret)) || comments.Any(c => Contains(c.Comment.ContentHtml, secret)))
            {
                problems.Add($"non-public content is stored: \"{secret}\"");
            }
        }

        Assert.True(problems.Count == 0, $"{problems.Count} difference(s) from WordPress:\n" + string.Join("\n", problems));
    }

    private async Task AssertFeedsShowNothingNonPublicAsync(BlogTruth truth)
    {
        // Nor the dashboard: every moderation tab and the Posts page (which does list the public posts).
        Assert.Contains(truth.Posts[0].Title, WebUtility.HtmlDecode(await _host!.Http.GetStringAsync("hangfire/posts")), StringComparison.Ordinal);
        foreach (var path in new[] { "hangfire/posts", "hangfire/moderation?status=Pending", "hangfire/moderation?status=Approved", "hangfire/moderation?status=Spam", "hangfire/moderation?status=Rejected" })
        {
            var page = WebUtility.HtmlDecode(await _host.Http.GetStringAsync(path));
            foreach (var secret in truth.NeverShown)
            {
                Assert.DoesNotContain(secret, page, StringComparison.Ordinal);
            }
        }

        foreach (var path in new[] { "feeds/all.atom", "feeds/posts.atom", "feeds/comments.atom" })
        {
            using var response = await _host!.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            XDocument.Parse(body);
            foreach (var secret in truth.NeverShown)
            {
                Assert.DoesNotContain(WebUtility.HtmlEncode(secret), body, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
            }
        }
    }

    private static void Check<T>(List<string> problems, TrueComment t, string what, T expected, T actual)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            problems.Add($"comment {t.Id} by {t.Author}: {what} is \"{actual}\", WordPress has \"{expected}\"");
        }
    }

    private static bool SameUrl(string? a, string b) =>
        a is not null && Uri.TryCreate(a, UriKind.Absolute, out var x) && Uri.TryCreate(b, UriKind.Absolute, out var y)
        && string.Equals(Uri.UnescapeDataString(x.GetLeftPart(UriPartial.Query)), Uri.UnescapeDataString(y.GetLeftPart(UriPartial.Query)), StringComparison.OrdinalIgnoreCase);

    private static bool Contains(string? haystack, string needle) => haystack is not null && haystack.Contains(needle, StringComparison.Ordinal);

    private static string? Collapse(string? text) => text is null ? null : Spaces().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
