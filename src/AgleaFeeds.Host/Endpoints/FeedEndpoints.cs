using System.Globalization;
using AgleaFeeds.Publishing;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AgleaFeeds.Host.Endpoints;

/// <summary>The curated Atom feeds over HTTP: strong ETag, Last-Modified, 304, HEAD (<see cref="ConditionalResponse"/>), Cache-Control, bodies precompressed in br and gzip.</summary>
internal static class FeedEndpoints
{
    public const string ContentType = "application/atom+xml; charset=utf-8";

    /// <summary>The same feed for a browser, which applies its stylesheet to XML but not to Atom.</summary>
    public const string BrowserContentType = "application/xml; charset=utf-8";

    /// <summary>The highest ?page= served.</summary>
    public const int MaxPage = 100_000;

    public static void Map(WebApplication app)
    {
        // The feeds are public and answered from memory: run where routing matches them (after the forwarded
        // headers, the security headers and compression) instead of passing the login, dashboard and rate-limit
        // middleware that only other paths need — a feed reader's 304 is then as cheap as a static file's.
        string[] methods = ["GET", "HEAD"];
        app.MapMethods("/feeds/posts.atom", methods, (HttpContext http) => ServeAsync(http, FeedKind.Posts, null)).ShortCircuit();
        app.MapMethods("/feeds/comments.atom", methods, (HttpContext http) => ServeAsync(http, FeedKind.Comments, null)).ShortCircuit();
        app.MapMethods("/feeds/all.atom", methods, (HttpContext http) => ServeAsync(http, FeedKind.All, null)).ShortCircuit();
        app.MapMethods("/feeds/posts/{id:long}/comments.atom", methods, (HttpContext http, long id) => ServeAsync(http, FeedKind.PostComments, id)).ShortCircuit();
    }

    private static async Task ServeAsync(HttpContext http, FeedKind kind, long? postId)
    {
        var request = http.Request;
        var response = http.Response;
        var page = int.TryParse(request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 1 ? p : 1;
        if (page > MaxPage)
        {
            // No blog has that many pages; (page - 1) × PageSize would overflow.
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        RenderedFeed? feed;
        try
        {
            feed = await http.RequestServices.GetRequiredService<FeedRenderer>().RenderAsync(kind, postId, page, http.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            // Past Publishing:RenderBudget: say so rather than keep a worker busy.
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            response.Headers.RetryAfter = "60";
            return;
        }

        if (feed is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var options = http.RequestServices.GetRequiredService<IOptions<PublishingOptions>>().Value;
        // A browser navigating to the feed gets the same bytes as XML, which it shows through the feed's XSLT
        // stylesheet (Chromium shows application/atom+xml as plain text); feed readers get Atom. Each variant has its own ETag.
        var browser = !string.IsNullOrWhiteSpace(options.Stylesheet) && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
        var etag = browser ? feed.ETag.Insert(feed.ETag.Length - 1, "-page") : feed.ETag;
        response.Headers.Vary = "Accept";
        response.Headers.CacheControl = "public, max-age=" + ((long)options.MaxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        await ConditionalResponse.WriteAsync(http, feed.Body, browser ? BrowserContentType : ContentType, etag, feed.LastModified, feed.Encoded).ConfigureAwait(false);
    }
}
