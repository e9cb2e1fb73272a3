using System.Net;
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
    [SkippableTheory]
    [InlineData("twentytwentyone", true)]
    [InlineData("twentytwentythree", true)]
    [InlineData("twentytwentyone", false)]
    [InlineData("twentytwentythree", false)]
    public async Task FirstSync_StoresEveryPublicPostAndCommentOnceUnderItsOwnPostAndNothingElse(string theme, bool api)
    {
        var site = await WordPressSite.RequireAsync();
        await site.SeedAsync(theme);
        var truth = await site.TruthAsync();

        _host = await RunningHost.StartAsync(_folder, new Dictionary<string, string?> { ["Polling:UseWordPressApi"] = api ? "true" : "false" }, site.FeedUrl);
        await WaitUntilSyncedAsync(truth);

        await AssertStoreMatchesAsync(truth);
        await AssertFeedsShowNothingNonPublicAsync(truth);
    }

    /// <summary>Waits for the poll and every job it started (scrapes, scoring) to finish.</summary>
    private async Task WaitUntilSyncedAsync(BlogTruth truth)
    {
        await RunningHost.WaitUntilAsync(async () => (await _host!.Store.ListSourcesAsync(Ct)) is [{ LastPolledAt: not null }], TimeSpan.FromSeconds(60), "the first poll");
        await WaitUntilQuietAsync();
    }

    private async Task WaitUntilQuietAsync()
    {
        var monitoring = _host!.App.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var quiet = 0;
        await RunningHost.WaitUntilAsync(
            () =>
            {
                var stats = monitoring.GetStatistics();
                quiet = stats.Enqueued + stats.Processing == 0 ? quiet + 1 : 0;
                return Task.FromResult(quiet >= 5);
            },
            TimeSpan.FromSeconds(120),
            "the jobs to finish");
    }

    private async Task AssertStoreMatchesAsync(BlogTruth truth)
    {
        var source = Assert.Single(await _host!.Store.ListSourcesAsync(Ct));
        var posts = await _host.Store.ListPostsAsync(source.Id, Ct);
        var problems = new List<string>();
        if (source.LastError is { } error)
        {
            problems.Add($"the source reports: {error}");
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
