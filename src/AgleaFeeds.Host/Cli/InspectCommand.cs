using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AgleaFeeds.Fetching;
using AgleaFeeds.Model;
using AgleaFeeds.Parsing;
using AgleaFeeds.Scraping;

namespace AgleaFeeds.Host.Cli;

/// <summary>`inspect FILE|URL... [--base URL]`: how AgleaFeeds reads each feed, one JSON object a line, problems included.</summary>
internal static class InspectCommand
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public static async Task<int> RunAsync(IServiceProvider services, string target, Uri? documentUrl, TextWriter stdout, TextWriter stderr)
    {
        byte[] body;
        string? charset = null;
        object? http = null;
        if (Uri.TryCreate(target, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            if (await IsHtmlAsync(services, uri).ConfigureAwait(false))
            {
                var read = await services.GetRequiredService<PostScraper>().ReadAsync(uri, null, CancellationToken.None).ConfigureAwait(false);
                return await PrintPageAsync(target, read.Page, read.Comments, read.Pages, read.Error, read.Warnings, stdout).ConfigureAwait(false);
            }

            var fetch = await services.GetRequiredService<FeedFetcher>().FetchAsync(new FetchRequest(uri), CancellationToken.None).ConfigureAwait(false);
            http = new { fetch.StatusCode, FinalUrl = fetch.FinalUrl?.ToString(), fetch.ContentType, fetch.Charset, fetch.ETag, fetch.LastModified, Bytes = fetch.Body.Length };
            if (!fetch.IsSuccess)
            {
                await stdout.WriteLineAsync(Line(new { Target = target, Http = http, fetch.Error })).ConfigureAwait(false);
                return 1;
            }

            body = fetch.Body;
            charset = fetch.Charset;
            documentUrl = fetch.FinalUrl ?? uri;
        }
        else if (File.Exists(target))
        {
            body = await File.ReadAllBytesAsync(target).ConfigureAwait(false);
        }
        else
        {
            await stderr.WriteLineAsync($"inspect: {target} is neither an http(s) URL nor a file.").ConfigureAwait(false);
            return 2;
        }

        if (LooksLikeHtml(body))
        {
            var parsed = PostPageParser.Parse(HtmlText.Decode(body, null), new Uri(Path.GetFullPath(target)));
            return await PrintPageAsync(target, parsed.Page, parsed.Page?.Comments ?? [], 1, parsed.Error, parsed.Problems, stdout).ConfigureAwait(false);
        }

        var result = FeedParser.Parse(body, charset, documentUrl);
        var feed = result.Feed;
        var report = new
        {
            Target = target,
            Http = http,
            feed?.Format,
            feed?.Title,
            feed?.SiteUrl,
            feed?.Generator,
            UpdateInterval = feed?.UpdateInterval?.ToString(),
            result.Error,
            result.Problems,
            Entries = feed?.Entries.Select(e => new
            {
                e.Guid,
                e.Link,
                e.Title,
                e.PublishedAt,
                e.UpdatedAt,
                e.Author,
                e.Categories,
                e.CommentsUrl,
                e.CommentFeedUrl,
                e.CommentCount,
                Enclosures = e.Enclosures.Count > 0 ? e.Enclosures : null,
                ContentChars = e.ContentHtml?.Length,
            }),
        };
        await stdout.WriteLineAsync(Line(report)).ConfigureAwait(false);
        return result.IsSuccess ? 0 : 1;
    }

    /// <summary>
    /// One JSON line. System.Text.Json escapes characters beyond the BMP even with the relaxed encoder
    /// (emoji as \uD83D\uDE00): they are written as themselves, which JSON allows, so a person can read them.
    /// </summary>
    internal static string Line(object report) =>
        System.Text.RegularExpressions.Regex.Replace(
            JsonSerializer.Serialize(report, Json),
            @"\\u(D[89AB][0-9A-F]{2})\\u(D[C-F][0-9A-F]{2})",
            m => string.Concat((char)Convert.ToInt32(m.Groups[1].Value, 16), (char)Convert.ToInt32(m.Groups[2].Value, 16)),
            System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    /// <summary>Fetches once to see what the URL serves: a post page is scraped, anything else is read as a feed.</summary>
    private static async Task<bool> IsHtmlAsync(IServiceProvider services, Uri uri)
    {
        var probe = await services.GetRequiredService<FeedFetcher>().FetchAsync(new FetchRequest(uri), CancellationToken.None).ConfigureAwait(false);
        return probe.IsSuccess && (probe.ContentType is "text/html" or "application/xhtml+xml" || LooksLikeHtml(probe.Body));
    }

    private static bool LooksLikeHtml(byte[] body)
    {
        var head = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 512)).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return head.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || head.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<int> PrintPageAsync(string target, PostPage? page, IReadOnlyList<PageComment> comments, int pages, string? error, IReadOnlyList<string> problems, TextWriter stdout)
    {
        var children = comments.ToLookup(c => c.ParentWordPressId);
        object Node(PageComment c) => new
        {
            Id = c.WordPressId,
            Parent = c.ParentWordPressId,
            c.Depth,
            c.Author,
            c.AuthorUrl,
            Time = c.PublishedAt,
            c.Type,
            c.CommentPage,
            c.AwaitingModeration,
            Content = c.ContentText,
            Replies = children[c.WordPressId].Select(Node).ToList(),
        };
        var report = new
        {
            Target = target,
            Kind = "post page",
            page?.Title,
            page?.Author,
            page?.PublishedAt,
            page?.ModifiedAt,
            page?.Categories,
            page?.Tags,
            page?.AnnouncedCommentCount,
            CommentPages = pages,
            CommentCount = comments.Count,
            ContentChars = page?.ContentHtml?.Length,
            Error = error,
            Problems = problems,
            Comments = children[null].Select(Node).ToList(),
        };
        await stdout.WriteLineAsync(Line(report)).ConfigureAwait(false);
        return page is null ? 1 : 0;
    }
}
