using Hangfire.Dashboard;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>Adds AgleaFeeds' pages to the Hangfire dashboard: routes and menu items in one place.</summary>
internal static class DashboardSetup
{
    private static int _registered;

    /// <summary>Registers the pages once per process (the dashboard's route table is static).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        DashboardRoutes.Routes.AddRazorPage(SourcesPage.Path, _ => new SourcesPage());
        DashboardRoutes.Routes.AddRazorPage(PostsPage.Path, _ => new PostsPage());
        NavigationMenu.Items.Add(page => new MenuItem("Sources", page.Url.To(SourcesPage.Path))
        {
            Active = page.RequestPath.StartsWith(SourcesPage.Path, StringComparison.Ordinal),
        });
        NavigationMenu.Items.Add(page => new MenuItem("Posts", page.Url.To(PostsPage.Path))
        {
            Active = page.RequestPath.StartsWith(PostsPage.Path, StringComparison.Ordinal),
        });
    }
}
