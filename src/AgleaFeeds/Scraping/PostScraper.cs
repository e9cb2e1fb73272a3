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

    /// <summary>Scrapes a post by id; null when the post does not exist.</summary>
    public async Task<ScrapeResult?> ScrapeAsync(long postId, CancellationToken ct)
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

        string? error = null;
        if (!page.HasCommentList && (post.FeedCommentCount > 0 || page.AnnouncedCommentCount > 0))
        {
            error = $"Scraping: no comment list found on the page although {(page.AnnouncedCommentCount ?? post.FeedCommentCount)} comment(s) are announced; a theme the scraper rules do not read?";
        }

        var result = new ScrapeResult
        {
            PostId = postId,
            Pages = read.Pages,
            Comments = read.Comments.Count,
            Error = error,
            Warnings = read.Warnings,
            Outcome = $"{read.Comments.Count} comment(s) on {read.Pages} page(s)",
        };
        return await SaveAsync(post, result, page, read.Comments, read.Complete, read.Validators, ct).ConfigureAwait(false);
    }

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

        bool IsNew(Uri link) => seen.Add(link) && (PostPageParser.PageNumber(link) is not { } n || numbers.Add(n));
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

            warnings.AddRange(more.Problems);
            Add(comments, morePage.Comments);
            foreach (var link in morePage.CommentPageLinks.Where(IsNew))
            {
                queue.Enqueue(link);
            }
        }

        if (page.AnnouncedCommentCount is { } announced && announced != comments.Count)
        {
            // Headings count approved comments; pingbacks or held comments can make the list differ.
            warnings.Add($"Scraping: the page heading announces {announced} comment(s), the list shows {comments.Count}.");
        }

        return new PostRead
        {
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
                result = page is null ? result : result with { NewComments = w.NewComments, Removed = w.Removed, Outcome = $"{result.Outcome}, {w.NewComments} new, {w.Removed} removed" };
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
