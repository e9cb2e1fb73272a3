using AgleaFeeds.Fetching;
using AgleaFeeds.Model;
using AgleaFeeds.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Scraping;

/// <summary>
/// Scrapes one post: its page (conditional GET), then every comment page the page links to, within
/// the page limit and the per-host politeness; stores the page's view of the post and every comment
/// with its thread, and records the outcome or the error on the post.
/// </summary>
public sealed partial class PostScraper(
    IFeedStore store,
    FeedFetcher fetcher,
    HostThrottle throttle,
    IOptions<ScrapingOptions> options,
    TimeProvider time,
    Observability.PipelineMetrics metrics,
    ILogger<PostScraper> logger)
{
    private readonly ScrapingOptions _options = options.Value;

    /// <summary>
    /// Scrapes a post by id; null when the post does not exist. The post is leased while it is scraped
    /// (Scraping:Lease), so that two workers, on this host or another, never scrape it at once: a post another
    /// worker is scraping is skipped ("skipped") with nothing recorded.
    /// </summary>
    public async Task<ScrapeResult?> ScrapeAsync(long postId, CancellationToken ct)
    {
        var owner = Polling.ThisHost.NewLeaseOwner();
        var now = time.GetUtcNow();
        if (!await store.ClaimScrapeAsync(postId, owner, now, now + _options.Lease, ct).ConfigureAwait(false))
        {
            return await store.GetPostAsync(postId, ct).ConfigureAwait(false) is null
                ? null
                : new ScrapeResult { PostId = postId, Outcome = "skipped: another worker is scraping this post" };
        }

        try
        {
            return await ScrapeLeasedAsync(postId, ct).ConfigureAwait(false);
        }
        finally
        {
            await store.ReleaseScrapeAsync(postId, owner, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<ScrapeResult?> ScrapeLeasedAsync(long postId, CancellationToken ct)
    {
        var post = await store.GetPostAsync(postId, ct).ConfigureAwait(false);
        if (post is null)
        {
            return null;
        }

        if (!Uri.TryCreate(post.Link, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return await SaveAsync(post, new ScrapeResult { PostId = postId, Error = "Scraping: the post has no web address to scrape.", Outcome = "error" }, null, [], false, [], ct).ConfigureAwait(false);
        }

        var validators = await store.GetValidatorAsync(post.SourceId, url.ToString(), ct).ConfigureAwait(false);
        var read = await ReadAsync(url, validators, ct).ConfigureAwait(false);
        if (read.NotModified)
        {
            return await SaveAsync(post, new ScrapeResult { PostId = postId, NotModified = true, Outcome = "not modified (304)" }, null, [], false, [], ct).ConfigureAwait(false);
        }

        if (read.Page is not { } page)
        {
            return await SaveAsync(post, new ScrapeResult { PostId = postId, Error = read.Error, Outcome = "error" }, null, [], false, [], ct).ConfigureAwait(false);
        }

        var comments = read.Comments;
        var complete = read.Complete;
        var error = read.Error ?? NotThisPost(post, url, page);
        if (error is not null)
        {
            // Not this post's page (or its comment pages disagree): nothing of it is stored as the post's.
            return await SaveAsync(post, new ScrapeResult { PostId = postId, Error = error, Outcome = "error", Warnings = read.Warnings }, null, [], false, [], ct).ConfigureAwait(false);
        }

        if (!page.HasCommentList)
        {
            // No list where the blog shows none: the heading says 0, or (WordPress prints neither heading nor list
            // for a post without comments) the page has the comment form and the scraper has read this post's
            // comment heading before or the feed counts none. That is the complete list: the last one was removed.
            var readBefore = post.PageCommentCount is not null;
            var empty = page.AnnouncedCommentCount == 0
                || (page.AnnouncedCommentCount is null && page.HasCommentForm && (readBefore || post.FeedCommentCount == 0));
            if (empty)
            {
                complete = true;
                page = page with { AnnouncedCommentCount = 0 };
            }
            else if (page.AnnouncedCommentCount > 0 || post.FeedCommentCount > 0)
            {
                error = $"Scraping: no comment list found on the page although {page.AnnouncedCommentCount ?? post.FeedCommentCount} comment(s) are announced; a theme the scraper rules do not read?";
            }
        }

        var result = new ScrapeResult
        {
            PostId = postId,
            Pages = read.Pages,
            Comments = comments.Count,
            Error = error,
            Warnings = read.Warnings,
            Outcome = $"{comments.Count} comment(s) on {read.Pages} page(s)",
        };
        return await SaveAsync(post, result, page, comments, complete, read.Validators, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Why the page read is not this post's, or null: its canonical address is another post's, or its
    /// WordPress id is not the one the store knows for the post.
    /// </summary>
    private static string? NotThisPost(Post post, Uri url, PostPage page)
    {
        if (page.CanonicalUrl is { } canonical && !SamePath(PostPath(canonical), PostPath(url)))
        {
            return $"Scraping: the page at {url} is not this post: its canonical address is {canonical}; nothing of it was stored.";
        }

        if (post.WordPressId is { } known && page.WordPressId is { } shown && known != shown)
        {
            return $"Scraping: the page at {url} shows WordPress post {shown}, not post {known}; nothing of it was stored.";
        }

        return null;
    }

    /// <summary>A URL's path without a trailing comment page (/comment-page-N/), unescaped, for comparing posts.</summary>
    internal static string PostPath(Uri url) =>
        Uri.UnescapeDataString(new Uri(Polling.FeedMapping.PostOf(url.GetLeftPart(UriPartial.Path))!).AbsolutePath).TrimEnd('/');

    private static bool SamePath(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether a link is one of the post's own comment pages: same host, and the post's path followed by
    /// /comment-page-N/, or the post's path with ?cpage=N. Other posts' comment pages (the sidebar's
    /// Recent Comments, Latest Comments) are not.
    /// </summary>
    internal static bool IsOwnCommentPage(Uri post, Uri link)
    {
        if (!string.Equals(post.Host, link.Host, StringComparison.OrdinalIgnoreCase) || post.Port != link.Port || PostPageParser.PageNumber(link) is null)
        {
            return false;
        }

        var own = Uri.UnescapeDataString(post.AbsolutePath).TrimEnd('/');
        var path = Uri.UnescapeDataString(link.AbsolutePath);
        if (link.Query.Contains("cpage=", StringComparison.Ordinal))
        {
            return SamePath(path.TrimEnd('/'), own) && QueryWithout(link, "cpage") == QueryWithout(post, "cpage");
        }

        return path.StartsWith(own + "/comment-page-", StringComparison.OrdinalIgnoreCase)
            && path[(own.Length + "/comment-page-".Length)..].TrimEnd('/').All(char.IsAsciiDigit);
    }

    private static string QueryWithout(Uri url, string name) =>
        string.Join('&', url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith(name + "=", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

    /// <summary>Records a failure outside the expected paths (a bug or the infrastructure) on the post, so the Posts page shows it.</summary>
    public async Task<ScrapeResult?> RecordCrashAsync(long postId, Exception exception, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var post = await store.GetPostAsync(postId, ct).ConfigureAwait(false);
        return post is null
            ? null
            : await SaveAsync(post, new ScrapeResult { PostId = postId, Error = $"Scraping: unexpected {exception.GetType().Name}: {exception.Message}", Outcome = "error" }, null, [], false, [], ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads a post page and every comment page it links to (WordPress shows the newest at the bare URL
    /// by default), within the page limit and the per-host politeness; stores nothing.
    /// </summary>
    public async Task<PostRead> ReadAsync(Uri url, HttpValidators? validators, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        var rules = _options.Rules.GetValueOrDefault(url.Host);
        var first = await FetchAsync(new FetchRequest(url, validators?.ETag, validators?.LastModified), ct).ConfigureAwait(false);
        if (first.Outcome == FetchOutcome.NotModified || !first.IsSuccess)
        {
            return new PostRead { NotModified = first.Outcome == FetchOutcome.NotModified, Error = first.Error };
        }

        var parsed = PostPageParser.Parse(HtmlText.Decode(first.Body, first.Charset), first.FinalUrl ?? url, rules, _options.MaxNestingDepth);
        if (parsed.Page is not { } page)
        {
            return new PostRead { Error = parsed.Error };
        }

        var warnings = new List<string>(parsed.Problems);
        var comments = new Dictionary<long, PageComment>();
        Add(comments, page.Comments);
        // Pages are known by URL and by number: the bare URL is also one of the numbered pages.
        var seen = new HashSet<Uri> { url, first.FinalUrl ?? url };
        var numbers = new HashSet<int>();
        if (page.CommentPage is { } shown)
        {
            numbers.Add(shown);
        }

        var postUrl = first.FinalUrl ?? url;
        var foreign = page.CommentPageLinks.Count(l => !IsOwnCommentPage(postUrl, l));
        bool IsNew(Uri link) => IsOwnCommentPage(postUrl, link) && seen.Add(link) && (PostPageParser.PageNumber(link) is not { } n || numbers.Add(n));
        var queue = new Queue<Uri>(page.CommentPageLinks.Where(IsNew));
        var pages = 1;
        var complete = page.HasCommentList;
        while (queue.TryDequeue(out var next))
        {
            if (pages >= _options.MaxCommentPages)
            {
                warnings.Add($"Scraping: stopped after {pages} comment pages (limit Scraping:MaxCommentPages); {queue.Count + 1} more not read.");
                complete = false;
                break;
            }

            var fetch = await FetchAsync(new FetchRequest(next), ct).ConfigureAwait(false);
            pages++;
            var more = fetch.IsSuccess ? PostPageParser.Parse(HtmlText.Decode(fetch.Body, fetch.Charset), fetch.FinalUrl ?? next, rules, _options.MaxNestingDepth) : null;
            if (more?.Page is not { } morePage)
            {
                warnings.Add($"Scraping: comment page {next} not read: {fetch.Error ?? more?.Error}");
                complete = false;
                continue;
            }

            if (morePage.CanonicalUrl is { } canonical && !SamePath(PostPath(canonical), PostPath(postUrl)))
            {
                warnings.Add($"Scraping: comment page {next} is another post's ({canonical}); not read.");
                complete = false;
                continue;
            }

            warnings.AddRange(more.Problems);
            Add(comments, morePage.Comments);
            foreach (var link in morePage.CommentPageLinks.Where(IsNew))
            {
                queue.Enqueue(link);
            }
        }

        string? error = null;
        if (page.AnnouncedCommentCount is { } announced && announced != comments.Count && complete)
        {
            // The heading counts every approved comment, pingbacks included: a complete read that finds
            // another number read something else than this post's thread, and none of it is stored.
            error = $"Scraping: the page heading announces {announced} comment(s), the comment pages show {comments.Count}; nothing stored from them.";
        }

        if (foreign > 0)
        {
            warnings.Add($"Scraping: ignored {foreign} link(s) to other posts' comment pages (a sidebar widget?).");
        }

        return new PostRead
        {
            Error = error,
            Page = page,
            Comments = comments.Values.ToList(),
            Pages = pages,
            Complete = complete,
            Warnings = warnings,
            Validators = [(url.ToString(), new HttpValidators(first.ETag, first.LastModified))],
        };
    }

    private async Task<FetchResult> FetchAsync(FetchRequest request, CancellationToken ct)
    {
        using var slot = await throttle.EnterAsync(request.Url, ct).ConfigureAwait(false);
        return await fetcher.FetchAsync(request, ct).ConfigureAwait(false);
    }

    private static void Add(Dictionary<long, PageComment> comments, IEnumerable<PageComment> page)
    {
        foreach (var c in page)
        {
            comments.TryAdd(c.WordPressId, c);
        }
    }

    private async Task<ScrapeResult> SaveAsync(
        Post post,
        ScrapeResult result,
        PostPage? page,
        IReadOnlyList<PageComment> comments,
        bool complete,
        IReadOnlyList<(string Url, HttpValidators Validators)> validators,
        CancellationToken ct)
    {
        var write = await store.SaveScrapeAsync(new ScrapeWrite
        {
            PostId = post.Id,
            At = time.GetUtcNow(),
            Page = page,
            Comments = comments,
            Complete = complete,
            Error = result.Error,
            Outcome = w =>
            {
                result = page is null ? result : result with { NewComments = w.NewComments, Removed = w.Removed, Rescored = w.Rescored, Outcome = $"{result.Outcome}, {w.NewComments} new, {w.Removed} removed" };
                return result.Warnings.Count == 0 ? result.Outcome : result.Outcome + Environment.NewLine + string.Join(Environment.NewLine, result.Warnings);
            },
            Validators = validators,
        }, ct).ConfigureAwait(false);
        metrics.Scraped(result.Error is not null ? "error" : result.NotModified ? "not_modified" : "ok");
        if (result.Error is not null)
        {
            LogScrapeFailed(logger, post.SourceId, post.Id, result.Error);
        }
        else
        {
            LogScraped(logger, post.SourceId, post.Id, result.Outcome);
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scraped post {PostId} of source {SourceId}: {Outcome}")]
    private static partial void LogScraped(ILogger logger, long sourceId, long postId, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scrape of post {PostId} of source {SourceId} failed: {Error}")]
    private static partial void LogScrapeFailed(ILogger logger, long sourceId, long postId, string error);
}
