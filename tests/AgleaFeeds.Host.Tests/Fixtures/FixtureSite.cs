using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgleaFeeds.Host.Tests.Fixtures;

/// <summary>
/// A WordPress-like site on 127.0.0.1 served by Kestrel: the sample AGLA blog (feeds/samples/agla,
/// its links rewritten to this site) with WordPress's conditional GET (Last-Modified, ETag =
/// md5 of it, 304), pages a test can change, and the failure modes of the real web.
/// </summary>
internal sealed class FixtureSite : IAsyncDisposable
{
    private const string SampleBase = "http://sample.agleafeeds.invalid";
    private readonly ConcurrentDictionary<string, Page> _pages = new(StringComparer.Ordinal);
    private WebApplication _app = null!;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Gets every request seen: path and the headers that matter.</summary>
    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    public string Url(string path) => new Uri(BaseUrl, path).ToString();

    /// <summary>Gets the form bodies a WebSub publisher POSTed to /hub.</summary>
    public ConcurrentQueue<string> HubPings { get; } = new();

    /// <summary>The sample blog's posts feed on this site.</summary>
    public string PostsFeed => Url("/samples/agla/feed/");

    public static async Task<FixtureSite> StartAsync()
    {
        var site = new FixtureSite();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        site._app = builder.Build();
        site._app.Run(site.HandleAsync);
        await site._app.StartAsync();
        var address = site._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        site.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        site.LoadSample();
        return site;
    }

    /// <summary>Sets (or replaces) a page; its Last-Modified is <paramref name="modified"/>, default now.</summary>
    public void Set(string path, string content, string contentType = "application/rss+xml; charset=UTF-8", DateTimeOffset? modified = null) =>
        _pages[path] = new Page(Encoding.UTF8.GetBytes(content.Replace(SampleBase, BaseUrl.ToString().TrimEnd('/'), StringComparison.Ordinal)), contentType, Truncate(modified ?? DateTimeOffset.UtcNow));

    /// <summary>Gets the text of a page as served.</summary>
    public string Get(string path) => Encoding.UTF8.GetString(_pages[path].Body);

    public int Hits(string path) => Requests.Count(r => r.Path == path);

    /// <summary>Gets or sets how long every /farm/ page takes to answer (a round of many blogs lasts a while).</summary>
    public TimeSpan FarmDelay { get; set; }

    /// <summary>Gets the most /farm/ requests that were waiting out <see cref="FarmDelay"/> at once.</summary>
    public int MostFarmAtOnce => Volatile.Read(ref _mostFarmAtOnce);

    private int _farmAtOnce;
    private int _mostFarmAtOnce;

    /// <summary>
    /// Adds <paramref name="count"/> small WordPress blogs under /farm/N/: a posts feed of two posts and a site
    /// comments feed of one comment each (the comment of blog N says "reader N"; <paramref name="heldWords"/> is in
    /// blog 0's, for a moderation key). Returns their posts feeds.
    /// </summary>
    public IReadOnlyList<string> AddFarm(int count, string heldWords = "")
    {
        const string Namespaces = "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:slash=\"http://purl.org/rss/1.0/modules/slash/\"";
        var feeds = new List<string>();
        for (var n = 0; n < count; n++)
        {
            var blog = Url($"/farm/{n}");
            var date = new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero).AddHours(n);
            var items = string.Concat(Enumerable.Range(1, 2).Select(p => $"""
                <item><title>Farm {n} post {p}</title><link>{blog}/2025/03/post-{p}/</link><dc:creator><![CDATA[Author {n}]]></dc:creator>
                <pubDate>{date.AddDays(p):R}</pubDate><guid isPermaLink="false">{blog}/?p={p}</guid>
                <description><![CDATA[Post {p} of farm blog {n}.]]></description><content:encoded><![CDATA[<p>Post {p} of farm blog {n}, about the community's meetups.</p>]]></content:encoded>
                <slash:comments>{(p == 2 ? 1 : 0)}</slash:comments></item>
                """));
            Set($"/farm/{n}/feed/", $"""
                <?xml version="1.0" encoding="UTF-8"?><rss version="2.0" {Namespaces}><channel><title>Farm blog {n}</title><link>{blog}</link>
                <description>Blog {n}</description><generator>https://wordpress.org/?v=6.7.2</generator>{items}</channel></rss>
                """, modified: date);
            var text = $"Thanks for the meetup notes, see you at the next one, reader {n}." + (n == 0 ? " " + heldWords : string.Empty);
            Set($"/farm/{n}/comments/feed/", $"""
                <?xml version="1.0" encoding="UTF-8"?><rss version="2.0" {Namespaces}><channel><title>Comments for Farm blog {n}</title><link>{blog}</link>
                <description>Blog {n}</description><generator>https://wordpress.org/?v=6.7.2</generator>
                <item><title>Comment on Farm {n} post 2 by Reader {n}</title><link>{blog}/2025/03/post-2/#comment-{100 + n}</link><dc:creator><![CDATA[Reader {n}]]></dc:creator>
                <pubDate>{date.AddDays(3):R}</pubDate><guid isPermaLink="false">{blog}/?p=2#comment-{100 + n}</guid>
                <description><![CDATA[{text}]]></description><content:encoded><![CDATA[<p>{text}</p>]]></content:encoded></item></channel></rss>
                """, modified: date);
            feeds.Add(Url($"/farm/{n}/feed/"));
        }

        return feeds;
    }

    private void LoadSample()
    {
        Load(Path.Combine(TestPaths.RepositoryRoot, "feeds", "samples"), "/samples/");
        Load(Path.Combine(AppContext.BaseDirectory, "TestData", "site"), "/site/");
    }

    private void Load(string root, string prefix)
    {
        var modified = new DateTimeOffset(2025, 3, 16, 8, 5, 0, TimeSpan.Zero);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var relative = prefix + Path.GetRelativePath(root, file).Replace('\\', '/');
            var name = Path.GetFileName(relative);
            var path = name is "index.xml" or "index.html" ? relative[..^name.Length] : relative;
            var type = name.EndsWith(".xml", StringComparison.Ordinal) ? "application/rss+xml; charset=UTF-8" : "text/html; charset=UTF-8";
            Set(path, File.ReadAllText(file), type, modified);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        Requests.Enqueue(new SeenRequest(path, request.Headers.IfNoneMatch.ToString(), request.Headers.IfModifiedSince.ToString(), request.Headers.UserAgent.ToString(), request.Headers.AcceptEncoding.ToString()) { Authorization = request.Headers.Authorization.ToString(), Method = request.Method });
        var response = context.Response;
        var ct = context.RequestAborted;
        if (FarmDelay > TimeSpan.Zero && path.StartsWith("/farm/", StringComparison.Ordinal))
        {
            var atOnce = Interlocked.Increment(ref _farmAtOnce);
            int most;
            while ((most = Volatile.Read(ref _mostFarmAtOnce)) < atOnce && Interlocked.CompareExchange(ref _mostFarmAtOnce, atOnce, most) != most)
            {
            }

            try
            {
                await Task.Delay(FarmDelay, ct);
            }
            finally
            {
                Interlocked.Decrement(ref _farmAtOnce);
            }
        }

        switch (path)
        {
            case "/fail/500":
                response.StatusCode = 500;
                await response.WriteAsync("<h1>Internal Server Error</h1>", ct);
                return;
            case "/fail/404":
                response.StatusCode = 404;
                return;
            case "/fail/slow-headers":
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
                return;
            case "/fail/slow-body":
                response.ContentType = "application/rss+xml";
                await response.WriteAsync("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>", ct);
                await response.Body.FlushAsync(ct);
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
                return;
            case "/large/chunked":
                // 100 KB without a Content-Length, in pieces (a body whose size is only known at its end).
                response.ContentType = "application/octet-stream";
                var pattern = Enumerable.Range(0, 100 * 1024).Select(i => (byte)(i * 31 % 251)).ToArray();
                for (var at = 0; at < pattern.Length; at += 7000)
                {
                    await response.Body.WriteAsync(pattern.AsMemory(at, Math.Min(7000, pattern.Length - at)), ct);
                    await response.Body.FlushAsync(ct);
                }

                return;
            case "/fail/huge":
            case "/fail/huge-declared":
                response.ContentType = "application/rss+xml";
                var chunk = Encoding.UTF8.GetBytes(new string('x', 64 * 1024));
                if (path.EndsWith("declared", StringComparison.Ordinal))
                {
                    response.ContentLength = 16L * chunk.Length;
                }

                for (var i = 0; i < 16; i++)
                {
                    await response.Body.WriteAsync(chunk, ct);
                }

                return;
            case "/redirect":
                // Wherever the test says: schemes a fetcher must refuse, other addresses on this machine.
                response.StatusCode = 302;
                response.Headers.Location = request.Query["to"].ToString();
                return;
            case "/fail/loop-a":
            case "/fail/loop-b":
                response.StatusCode = 302;
                response.Headers.Location = path.EndsWith('a') ? "/fail/loop-b" : "/fail/loop-a";
                return;
            case "/moved/feed/":
                response.StatusCode = 301;
                response.Headers.Location = Url("/samples/agla/feed/");
                return;
            case "/temporary/feed/":
                response.StatusCode = 302;
                response.Headers.Location = "/samples/agla/feed/";
                return;
            case "/fail/429":
                response.StatusCode = 429;
                response.Headers.RetryAfter = "7200";
                return;
            case "/fail/503":
                response.StatusCode = 503;
                response.Headers.RetryAfter = DateTimeOffset.UtcNow.AddHours(3).ToString("R");
                return;
            case "/fail/invalid":
                response.ContentType = "application/rss+xml";
                await response.WriteAsync("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Broken</title><item><title>cut", ct);
                return;
            case "/fail/html":
                response.ContentType = "text/html; charset=utf-8";
                await response.WriteAsync("<!DOCTYPE html><html><head><title>Hello</title></head><body>Not a feed</body></html>", ct);
                return;
            case "/cache/max-age/feed/":
                response.Headers.CacheControl = "public, max-age=7200";
                await WritePageAsync(context, "/samples/agla/feed/", ct);
                return;
            case "/cache/expires/feed/":
                // Kestrel's own Date header is refreshed once a second: send the date the Expires is counted from.
                var date = DateTimeOffset.UtcNow;
                response.Headers.Date = date.ToString("R");
                response.Headers.Expires = date.AddHours(3).ToString("R");
                await WritePageAsync(context, "/samples/agla/feed/", ct);
                return;
            case "/hub" when HttpMethods.IsPost(request.Method):
                using (var reader = new StreamReader(request.Body))
                {
                    HubPings.Enqueue(Uri.UnescapeDataString(await reader.ReadToEndAsync(ct)));
                }

                response.StatusCode = 204;
                return;
            case "/fail/deep/":
                response.ContentType = "text/html; charset=utf-8";
                await response.WriteAsync("<html><body><div class=\"entry-content\">" + string.Concat(Enumerable.Repeat("<div>", 100_000)) + "</body></html>", ct);
                return;
            case "/compressed/gzip/":
            case "/compressed/br/":
                await WriteCompressedAsync(context, path.Contains("gzip", StringComparison.Ordinal), ct);
                return;
        }

        await WritePageAsync(context, path, ct);
    }

    private async Task WritePageAsync(HttpContext context, string path, CancellationToken ct)
    {
        var (request, response) = (context.Request, context.Response);
        if (!_pages.TryGetValue(path, out var page))
        {
            response.StatusCode = 404;
            return;
        }

        // WordPress: Last-Modified and ETag = "md5(Last-Modified)"; 304 when either validator matches.
        var lastModified = page.Modified.ToString("R");
        var etag = "\"" + Convert.ToHexStringLower(MD5.HashData(Encoding.ASCII.GetBytes(lastModified))) + "\"";
        response.Headers.LastModified = lastModified;
        response.Headers.ETag = etag;
        var inm = request.Headers.IfNoneMatch.ToString();
        var ims = request.GetTypedHeaders().IfModifiedSince;
        if ((inm.Length > 0 && inm == etag) || (inm.Length == 0 && ims is { } since && since >= page.Modified))
        {
            response.StatusCode = 304;
            return;
        }

        response.ContentType = page.ContentType;
        response.ContentLength = page.Body.Length;
        await response.Body.WriteAsync(page.Body, ct);
    }

    private async Task WriteCompressedAsync(HttpContext context, bool gzip, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await using (Stream zip = gzip ? new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true) : new BrotliStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            await zip.WriteAsync(_pages["/samples/agla/feed/"].Body, ct);
        }

        context.Response.ContentType = "application/rss+xml; charset=UTF-8";
        context.Response.Headers.ContentEncoding = gzip ? "gzip" : "br";
        await context.Response.Body.WriteAsync(buffer.ToArray(), ct);
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, TimeSpan.Zero);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record Page(byte[] Body, string ContentType, DateTimeOffset Modified);
}

/// <summary>A request the fixture site saw.</summary>
internal sealed record SeenRequest(string Path, string IfNoneMatch, string IfModifiedSince, string UserAgent, string AcceptEncoding)
{
    public string Authorization { get; init; } = string.Empty;

    public string Method { get; init; } = "GET";
}
