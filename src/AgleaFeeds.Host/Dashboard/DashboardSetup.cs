using Hangfire.Dashboard;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>Adds AgleaFeeds' pages to the Hangfire dashboard: routes and menu items in one place.</summary>
internal static class DashboardSetup
{
    private static int _registered;

    /// <summary>The menu badge: comments waiting for a person.</summary>
    private static readonly DashboardMetric PendingMetric = new("agleafeeds:pending", "Pending comments", page =>
    {
        var counts = page.Context.GetHttpContext().RequestServices.GetRequiredService<AgleaFeeds.Storage.IFeedStore>()
            .CountCommentsByStatusAsync(CancellationToken.None).GetAwaiter().GetResult();
        var pending = counts.GetValueOrDefault(AgleaFeeds.Model.CommentStatus.Pending);
        return new Metric(pending) { Style = pending > 0 ? MetricStyle.Warning : MetricStyle.Default };
    });

    /// <summary>The menu's second badge: comments caught as spam since midnight UTC.</summary>
    private static readonly DashboardMetric SpamTodayMetric = new("agleafeeds:spam-today", "Spam caught today", page =>
    {
        var caught = SpamCaughtToday(page.Context.GetHttpContext().RequestServices);
        return new Metric(caught) { Style = caught > 0 ? MetricStyle.Danger : MetricStyle.Default };
    });

    /// <summary>Comments caught as spam since midnight UTC (the badge, and the Moderation page's legend).</summary>
    internal static int SpamCaughtToday(IServiceProvider services)
    {
        var today = new DateTimeOffset(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        return services.GetRequiredService<AgleaFeeds.Storage.IFeedStore>().CountSpamSinceAsync(today, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Registers the pages once per process (the dashboard's route table is static).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        DashboardRoutes.AddStylesheet(typeof(DashboardSetup).Assembly, "AgleaFeeds.Host.Views.dashboard.css");
        DashboardRoutes.AddJavaScript(typeof(DashboardSetup).Assembly, "AgleaFeeds.Host.Views.dashboard.js");
        DashboardRoutes.AddJavaScript(typeof(DashboardSetup).Assembly, "AgleaFeeds.Host.Views.moderation.js");
        DashboardRoutes.Routes.AddRazorPage(ModerationPage.Path, _ => new ModerationPage());
        DashboardRoutes.Routes.AddCommand(ModerationCommands.Route, ModerationCommands.Execute);
        DashboardRoutes.Routes.AddCommand(ModerationPage.RecheckRoute, ModerationPage.Recheck);
        DashboardRoutes.Routes.Add(ModerationDecide.Route, new ModerationDecide());
        DashboardRoutes.Routes.AddRazorPage(AuthorListsPage.Path, _ => new AuthorListsPage());
        DashboardRoutes.Routes.Add(AuthorRuleCommands.AddRoute, new AuthorRuleCommands.Add());
        DashboardRoutes.Routes.AddCommand(AuthorRuleCommands.FromCommentRoute, AuthorRuleCommands.FromComment);
        DashboardRoutes.Routes.AddCommand(AuthorRuleCommands.RemoveRoute, AuthorRuleCommands.Remove);
        DashboardRoutes.Routes.AddRazorPage(CommentPage.Route, match => new CommentPage(long.Parse(match.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture)));
        DashboardMetrics.AddMetric(PendingMetric);
        DashboardMetrics.AddMetric(SpamTodayMetric);
        AddMenuItem("Moderation", ModerationPage.Path, PendingMetric, SpamTodayMetric);
        DashboardRoutes.Routes.AddRazorPage(SourcesPage.Path, _ => new SourcesPage());
        DashboardRoutes.Routes.AddCommand(SourceCommands.PollRoute, SourceCommands.PollNow);
        DashboardRoutes.Routes.AddCommand(SourceCommands.RemoveRoute, SourceCommands.Remove);
        DashboardRoutes.Routes.Add(SourceCommands.AddRoute, new SourceCommands.Add());
        DashboardRoutes.Routes.Add(SourceCommands.ImportRoute, new SourceCommands.Import());
        DashboardRoutes.Routes.Add(SourceCommands.OpmlRoute, new SourceCommands.OpmlExport());
        DashboardRoutes.Routes.Add(BlogCommands.ConnectRoute, new BlogCommands.Connect());
        DashboardRoutes.Routes.AddCommand(BlogCommands.DisconnectRoute, BlogCommands.Disconnect);
        DashboardRoutes.Routes.AddCommand(BlogCommands.PushVerdictsRoute, BlogCommands.PushVerdicts);
        DashboardRoutes.Routes.AddCommand(BlogCommands.PushAgainRoute, BlogCommands.PushAgain);
        DashboardRoutes.Routes.AddRazorPage(PostsPage.Path, _ => new PostsPage());
        DashboardRoutes.Routes.AddCommand(PostsPage.HideRoute, PostsPage.Hide);
        DashboardRoutes.Routes.AddCommand(PostsPage.RescrapeRoute, PostsPage.Rescrape);
        AddMenuItem("Sources", SourcesPage.Path);
        AddMenuItem("Posts", PostsPage.Path);
        DashboardRoutes.Routes.AddRazorPage(ModelPage.Path, _ => new ModelPage());
        DashboardRoutes.Routes.AddCommand(ModelPage.RetrainRoute, ModelPage.Retrain);
        DashboardRoutes.Routes.AddCommand(ModelPage.ActivateRoute, ModelPage.Activate);
        AddMenuItem("Model", ModelPage.Path);
    }

    /// <summary>A menu item for one of our pages, active on it and its subpages, with its badges.</summary>
    private static void AddMenuItem(string title, string path, params DashboardMetric[] badges) =>
        NavigationMenu.Items.Add(page => new MenuItem(title, page.Url.To(path))
        {
            Active = page.RequestPath.StartsWith(path, StringComparison.Ordinal),
            Metrics = badges,
        });
}
