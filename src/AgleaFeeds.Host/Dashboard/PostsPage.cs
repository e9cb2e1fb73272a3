using AgleaFeeds.Storage;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>The Posts page of the dashboard: the newest posts with what their feed and page announced and how the last scrape went.</summary>
internal sealed class PostsPage : RazorPage
{
    public const string Path = "/posts";

    public override void Execute()
    {
        Layout = new LayoutPage("Posts");
        var services = Context.GetHttpContext().RequestServices;
        var posts = services.GetRequiredService<IFeedStore>().ListRecentPostsAsync(200, CancellationToken.None).GetAwaiter().GetResult();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();

        WriteLiteral("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Posts</h1>");
        if (posts.Count == 0)
        {
            WriteLiteral("<div class=\"alert alert-info\">No posts yet: they appear after the first poll.</div></div></div>");
            return;
        }

        WriteLiteral("<div class=\"table-responsive\"><table class=\"table table-striped\" id=\"posts\"><thead><tr>");
        foreach (var h in new[] { "Post", "Published", "Feed says", "Page says", "Stored", "Last scrape", "Outcome", "Error" })
        {
            WriteLiteral("<th>");
            Write(h);
            WriteLiteral("</th>");
        }

        WriteLiteral("</tr></thead><tbody>");
        foreach (var p in posts)
        {
            WriteLiteral(p.ScrapeError is null ? "<tr data-post-id=\"" : "<tr class=\"danger\" data-post-id=\"");
            Write(p.Id);
            WriteLiteral("\"><td><a href=\"");
            Write(AgleaFeeds.Safety.SafeUrl.Href(p.Link));
            WriteLiteral("\" rel=\"noreferrer\">");
            Write(p.PageTitle ?? p.Title ?? p.Link ?? p.Key);
            WriteLiteral("</a></td><td>");
            Write(p.PublishedAt is { } at ? SourcesPage.Relative(at, now) : "");
            WriteLiteral("</td><td>");
            Write(p.FeedCommentCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
            WriteLiteral("</td><td>");
            Write(p.PageCommentCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
            WriteLiteral("</td><td>");
            Write(p.CommentCount);
            WriteLiteral("</td><td>");
            Write(p.ScrapedAt is { } s ? SourcesPage.Relative(s, now) : "never");
            WriteLiteral("</td><td class=\"outcome\"><small>");
            Write(p.ScrapeOutcome ?? "");
            WriteLiteral("</small></td><td class=\"scrape-error\"><small>");
            Write(p.ScrapeError ?? "");
            WriteLiteral("</small></td></tr>");
        }

        WriteLiteral("</tbody></table></div></div></div>");
    }
}
