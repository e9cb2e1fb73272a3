using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace AgleaFeeds.Host.Views;

/// <summary>
/// Renders the Razor components of the dashboard, login and home pages to HTML (encoded by default) with
/// ASP.NET Core's <see cref="HtmlRenderer"/>. Components receive everything as parameters: the pages
/// gather data and decide; the components only lay it out.
/// </summary>
internal static class ViewRenderer
{
    /// <summary>Renders a component with its parameters to an HTML string (synchronously, for Hangfire's pages).</summary>
    public static string Render<TComponent>(IServiceProvider services, IDictionary<string, object?> parameters)
        where TComponent : IComponent =>
        RenderAsync<TComponent>(services, parameters).GetAwaiter().GetResult();

    /// <summary>Renders a component with one parameter named Model.</summary>
    public static string Render<TComponent>(IServiceProvider services, object model)
        where TComponent : IComponent =>
        Render<TComponent>(services, new Dictionary<string, object?> { ["Model"] = model });

    public static async Task<string> RenderAsync<TComponent>(IServiceProvider services, IDictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters)).ConfigureAwait(false);
            return output.ToHtmlString();
        }).ConfigureAwait(false);
    }
}
