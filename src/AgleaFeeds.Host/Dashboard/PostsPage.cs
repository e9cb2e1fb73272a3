using AgleaFeeds.Host.Jobs;
using AgleaFeeds.Model;
using AgleaFeeds.Storage;
using Hangfire;
using Hangfire.Dashboard;

namespace AgleaFeeds.Host.Dashboard;

public sealed record PostsModel(Views.PageLinks Links, DateTimeOffset Now, IReadOnlyList<Post> Posts);

/// <summary>The Posts page of the dashboard: the newest posts with what their feed and page announced, how the last scrape went, and hide/show and rescrape.</summary>
internal sealed class PostsPage : DashboardPage
{
    public const string Path = "/posts";
    public const string HideRoute = "/posts/(?<action>hide|show)/(?<id>\\d+)";
    public const string RescrapeRoute = "/posts/rescrape/(?<id>\\d+)";

    public override void Execute()
    {
        var posts = Get<IFeedStore>().ListRecentPostsAsync(200, CancellationToken.None).GetAwaiter().GetResult();
        Show<Views.PostsView>("Posts", new PostsModel(Links(), Get<TimeProvider>().GetUtcNow(), posts));
    }

    /// <summary>Hides a post and its comments from the published feeds, or shows them again; republishes at once. False (422) for an unknown post.</summary>
    public static bool Hide(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var services = http.RequestServices;
        var id = long.Parse(context.UriMatch.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var hidden = context.UriMatch.Groups["action"].Value == "hide";
        var changed = services.GetRequiredService<IFeedStore>().SetPostHiddenAsync(id, hidden, Security.DashboardAccess.Who(http), services.GetRequiredService<TimeProvider>().GetUtcNow(), http.RequestAborted).GetAwaiter().GetResult();
        if (changed)
        {
            PublishJob.EnqueueNow(services.GetRequiredService<IBackgroundJobClient>());
        }

        return changed;
    }

    /// <summary>Scrapes the post's page and comments again now (a Hangfire job, as the scheduled rescrape).</summary>
    public static bool Rescrape(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var id = long.Parse(context.UriMatch.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (http.RequestServices.GetRequiredService<IFeedStore>().GetPostAsync(id, http.RequestAborted).GetAwaiter().GetResult() is null)
        {
            return false;
        }

        ScrapeBatchJob.Enqueue(http.RequestServices.GetRequiredService<IBackgroundJobClient>(), [id]);
        return true;
    }
}
