using AgleaFeeds.Host.Jobs;
using AgleaFeeds.Sources;
using AgleaFeeds.Storage;
using Hangfire;
using Hangfire.Dashboard;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>The Sources page's actions: add (with feed autodiscovery), remove, poll now, OPML import and export.</summary>
internal static class SourceCommands
{
    public const string PollRoute = "/sources/poll/(?<id>\\d+)";
    public const string RemoveRoute = "/sources/remove/(?<id>\\d+)";
    public const string OpmlRoute = "/sources/opml";
    public const string AddRoute = "/sources/add";
    public const string ImportRoute = "/sources/import";

    /// <summary>The largest OPML file an import reads.</summary>
    private const long MaxOpmlBytes = 1024 * 1024;

    /// <summary>Removes a source with its posts and comments; false (422) for an unknown source.</summary>
    public static bool Remove(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var removed = http.RequestServices.GetRequiredService<IFeedStore>().RemoveSourceAsync(
            long.Parse(context.UriMatch.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture),
            Security.DashboardAccess.Who(http),
            http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
            http.RequestAborted).GetAwaiter().GetResult();
        if (removed)
        {
            PublishJob.EnqueueNow(http.RequestServices.GetRequiredService<IBackgroundJobClient>());
        }

        return removed;
    }

    /// <summary>Polls the given sources now.</summary>
    private static void PollSoon(HttpContext http, IEnumerable<long> ids)
    {
        var store = http.RequestServices.GetRequiredService<IFeedStore>();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        foreach (var id in ids)
        {
            store.MakeDueAsync(id, now, http.RequestAborted).GetAwaiter().GetResult();
        }

        http.RequestServices.GetRequiredService<IRecurringJobManagerV2>().TriggerJob(PollSchedulerJob.RecurringJobId);
    }

    /// <summary>Adds a source from a blog's address (its feed found by autodiscovery) and polls it at once.</summary>
    internal sealed class Add : IDashboardDispatcher
    {
        public async Task Dispatch(DashboardContext context)
        {
            if (await DashboardForms.ReadAsync(context).ConfigureAwait(false) is not { } form)
            {
                return;
            }

            var http = context.GetHttpContext();
            var found = await http.RequestServices.GetRequiredService<FeedDiscovery>().DiscoverAsync(form["url"], http.RequestAborted).ConfigureAwait(false);
            if (found.Source is not { } source)
            {
                DashboardForms.Back(context, SourcesPage.Path, error: $"Nothing was added. {found.Error}");
                return;
            }

            var store = http.RequestServices.GetRequiredService<IFeedStore>();
            var existing = (await store.ListSourcesAsync(http.RequestAborted).ConfigureAwait(false)).FirstOrDefault(s => string.Equals(s.FeedUrl, source.FeedUrl, StringComparison.Ordinal));
            var id = await store.AddSourceAsync(source, http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), http.RequestAborted).ConfigureAwait(false);
            PollSoon(http, [id]);
            DashboardForms.Back(context, SourcesPage.Path, done: existing is null
                ? $"Added {source.Title} ({source.FeedUrl}); its first poll is under way."
                : $"{existing.Title} ({source.FeedUrl}) is already a source: nothing added; it is polled again now.");
        }
    }

    /// <summary>Imports an uploaded OPML file (at most 1 MB); a broken file adds nothing and says why.</summary>
    internal sealed class Import : IDashboardDispatcher
    {
        public async Task Dispatch(DashboardContext context)
        {
            if (await DashboardForms.ReadAsync(context).ConfigureAwait(false) is not { } form)
            {
                return;
            }

            var http = context.GetHttpContext();
            if (form.Files.GetFile("opml") is not { Length: > 0 } file)
            {
                DashboardForms.Back(context, SourcesPage.Path, error: "Choose an OPML file to import.");
                return;
            }

            if (file.Length > MaxOpmlBytes)
            {
                DashboardForms.Back(context, SourcesPage.Path, error: $"{file.FileName} is {file.Length / 1024} KB; an OPML import takes at most {MaxOpmlBytes / 1024} KB. Nothing was imported.");
                return;
            }

            var before = (await http.RequestServices.GetRequiredService<IFeedStore>().ListSourcesAsync(http.RequestAborted).ConfigureAwait(false)).Select(s => s.Id).ToHashSet();
            IReadOnlyList<long> ids;
            try
            {
                await using var stream = file.OpenReadStream();
                ids = await http.RequestServices.GetRequiredService<SourceImporter>().ImportAsync(stream, keepRemoved: false, http.RequestAborted).ConfigureAwait(false);
            }
            catch (System.Xml.XmlException ex)
            {
                DashboardForms.Back(context, SourcesPage.Path, error: $"{file.FileName} cannot be read as OPML: {ex.Message} Nothing was imported.");
                return;
            }

            var added = ids.Where(id => !before.Contains(id)).ToList();
            PollSoon(http, added);
            DashboardForms.Back(context, SourcesPage.Path, done: $"Imported {file.FileName}: {added.Count} new sources, {ids.Count - added.Count} already here.");
        }
    }

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

        PollSoon(http, [id]);
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
