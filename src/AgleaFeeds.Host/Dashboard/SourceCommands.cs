using AgleaFeeds.Host.Jobs;
using AgleaFeeds.Sources;
using AgleaFeeds.Storage;
using Hangfire;
using Hangfire.Dashboard;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>The Sources page's actions: poll a source now, and the sources as an OPML file.</summary>
internal static class SourceCommands
{
    public const string PollRoute = "/sources/poll/(?<id>\\d+)";
    public const string OpmlRoute = "/sources/opml";

    /// <summary>Makes the source due and runs the scheduler now; false (422) for an unknown source.</summary>
    public static bool PollNow(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var store = http.RequestServices.GetRequiredService<IFeedStore>();
        var id = long.Parse(context.UriMatch.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (store.GetSourceAsync(id, http.RequestAborted).GetAwaiter().GetResult() is null)
        {
            return false;
        }

        store.MakeDueAsync(id, http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), http.RequestAborted).GetAwaiter().GetResult();
        http.RequestServices.GetRequiredService<IRecurringJobManagerV2>().TriggerJob(PollSchedulerJob.RecurringJobId);
        return true;
    }

    /// <summary>Serves every source as OPML 2.0, for backups and for moving to another reader.</summary>
    internal sealed class OpmlExport : IDashboardDispatcher
    {
        public async Task Dispatch(DashboardContext context)
        {
            var http = context.GetHttpContext();
            var services = http.RequestServices;
            var sources = await services.GetRequiredService<IFeedStore>().ListSourcesAsync(http.RequestAborted).ConfigureAwait(false);
            var document = OpmlDocument.Write(sources, services.GetRequiredService<TimeProvider>().GetUtcNow());
            http.Response.ContentType = "text/x-opml; charset=utf-8";
            http.Response.Headers.ContentDisposition = "attachment; filename=\"agleafeeds-sources.opml\"";
            await using var writer = System.Xml.XmlWriter.Create(http.Response.Body, new System.Xml.XmlWriterSettings { Async = true, Encoding = new System.Text.UTF8Encoding(false), Indent = true });
            await document.SaveAsync(writer, http.RequestAborted).ConfigureAwait(false);
        }
    }
}
