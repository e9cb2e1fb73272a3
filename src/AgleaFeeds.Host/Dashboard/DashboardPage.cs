using AgleaFeeds.Host.Views;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>
/// A page of ours inside the Hangfire dashboard's layout: the subclass gathers the data and decides, a
/// Razor component (under Views/) lays it out, encoded by default.
/// </summary>
internal abstract class DashboardPage : RazorPage
{
    protected IServiceProvider Services => Context.GetHttpContext().RequestServices;

    protected T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>The links, rights, antiforgery field and form message of this request.</summary>
    protected PageLinks Links()
    {
        var http = Context.GetHttpContext();
        var tokens = IsReadOnly ? null : Get<IAntiforgery>().GetAndStoreTokens(http);
        return new PageLinks(Url.To(string.Empty), IsReadOnly, tokens?.FormFieldName ?? string.Empty, tokens?.RequestToken ?? string.Empty, Blank(Query("done")), Blank(Query("error")));
    }

    /// <summary>Renders the page's component with its model inside the dashboard's layout.</summary>
    protected void Show<TView>(string title, object model)
        where TView : IComponent
    {
        Layout = new LayoutPage(title);
        WriteLiteral(ViewRenderer.Render<TView>(Services, model));
    }

    protected static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
