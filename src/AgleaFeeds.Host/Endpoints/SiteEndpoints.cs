using AgleaFeeds.Publishing;
using AgleaFeeds.Storage;
using AgleaFeeds.Host.Views;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Host.Endpoints;

/// <summary>A feed on the home page: its name, path, full address, what it holds, when it last changed.</summary>
public sealed record HomeFeed(string Title, string Path, string Address, string Holds, DateTimeOffset? Updated);

public sealed record HomeModel(string Title, IReadOnlyList<HomeFeed> Feeds, bool HasSample);

/// <summary>
/// The pages outside the dashboard: the home page, the assets the home, login and feed pages share
/// (the dashboard's own Bootstrap, read from Hangfire's assembly, and ours), and the feeds' stylesheet.
/// </summary>
internal static class SiteEndpoints
{
    public static void Map(WebApplication app, bool hasSample)
    {
        var bootstrap = Resource(typeof(Hangfire.Dashboard.DashboardContext).Assembly, "Hangfire.Dashboard.Content.css.bootstrap.min.css");
        var site = Resource(typeof(SiteEndpoints).Assembly, "AgleaFeeds.Host.Views.site.css");
        var xsl = Resource(typeof(SiteEndpoints).Assembly, "AgleaFeeds.Host.Views.feed.xsl");
        app.MapGet("/assets/bootstrap.min.css", (HttpContext http) => Asset(http, bootstrap, "text/css; charset=utf-8"));
        app.MapGet("/assets/site.css", (HttpContext http) => Asset(http, site, "text/css; charset=utf-8"));
        app.MapGet("/feeds/feed.xsl", (HttpContext http) => Asset(http, xsl, "text/xsl; charset=utf-8"));
        app.MapGet("/", async (HttpContext http) =>
        {
            var html = await ViewRenderer.RenderAsync<HomeView>(http.RequestServices, new Dictionary<string, object?> { ["Model"] = await HomeAsync(http, hasSample).ConfigureAwait(false) }).ConfigureAwait(false);
            return Results.Content(html, "text/html; charset=utf-8");
        });
    }

    private static async Task<HomeModel> HomeAsync(HttpContext http, bool hasSample)
    {
        var services = http.RequestServices;
        var options = services.GetRequiredService<IOptions<PublishingOptions>>().Value;
        var root = options.BaseUri(services.GetRequiredService<Fetching.SelfOrigin>());
        var (posts, comments) = await services.GetRequiredService<IFeedStore>().CountPublishableAsync(http.RequestAborted).ConfigureAwait(false);
        var renderer = services.GetRequiredService<FeedRenderer>();
        var feeds = new List<HomeFeed>();
        foreach (var (kind, title, path, holds) in new[]
        {
            (FeedKind.Posts, "Posts", "/feeds/posts.atom", $"{posts} posts"),
            (FeedKind.Comments, "Comments", "/feeds/comments.atom", $"{comments} approved comments"),
            (FeedKind.All, "Posts and comments", "/feeds/all.atom", $"{posts + comments} entries"),
        })
        {
            var rendered = await renderer.RenderAsync(kind, null, 1, http.RequestAborted).ConfigureAwait(false);
            feeds.Add(new HomeFeed(title, path, new Uri(root, path.TrimStart('/')).AbsoluteUri, holds, rendered?.LastModified));
        }

        return new HomeModel(options.Title, feeds, hasSample);
    }

    private static IResult Asset(HttpContext http, byte[] body, string type)
    {
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Bytes(body, type);
    }

    private static byte[] Resource(System.Reflection.Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"The resource {name} is not embedded in {assembly.GetName().Name}.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
