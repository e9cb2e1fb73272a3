using System.Globalization;
using AgleaFeeds.Storage;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using Microsoft.Extensions.DependencyInjection;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>The Sources page of the dashboard: every source's polling state, as the operator needs it.</summary>
internal sealed class SourcesPage : RazorPage
{
    public const string Path = "/sources";

    public override void Execute()
    {
        Layout = new LayoutPage("Sources");
        var store = Context.GetHttpContext().RequestServices.GetRequiredService<IFeedStore>();
        var time = Context.GetHttpContext().RequestServices.GetRequiredService<TimeProvider>();
        var sources = store.ListSourcesAsync(CancellationToken.None).GetAwaiter().GetResult();
        var now = time.GetUtcNow();
        var defaultInterval = Context.GetHttpContext().RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AgleaFeeds.Polling.PollingOptions>>().Value.DefaultInterval;

        WriteLiteral("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Sources</h1>");
        WriteLiteral(DashboardForms.Message(this));
        if (!IsReadOnly)
        {
            var token = DashboardForms.TokenField(Context.GetHttpContext());
            WriteLiteral("<form class=\"form-inline\" method=\"post\" style=\"margin-bottom:10px\" action=\"");
            Write(Url.To(SourceCommands.AddRoute));
            WriteLiteral("\">");
            WriteLiteral(token);
            WriteLiteral("<input class=\"form-control input-sm\" name=\"url\" type=\"text\" required style=\"width:340px\" placeholder=\"blog or feed address, e.g. https://blog.example.org/\" aria-label=\"blog address\"> <button class=\"btn btn-sm btn-primary\" type=\"submit\">Add source</button></form>");
            WriteLiteral("<form class=\"form-inline\" method=\"post\" enctype=\"multipart/form-data\" style=\"margin-bottom:10px\" action=\"");
            Write(Url.To(SourceCommands.ImportRoute));
            WriteLiteral("\">");
            WriteLiteral(token);
            WriteLiteral("<input class=\"form-control input-sm\" name=\"opml\" type=\"file\" accept=\".opml,.xml,text/x-opml,application/xml\" required aria-label=\"OPML file\" style=\"display:inline-block;width:auto\"> <button class=\"btn btn-sm btn-default\" type=\"submit\">Import OPML</button> ");
        }

        WriteLiteral("<a class=\"btn btn-sm btn-default\" href=\"");
        Write(Url.To(SourceCommands.OpmlRoute));
        WriteLiteral("\">Export OPML</a>");
        WriteLiteral(IsReadOnly ? string.Empty : "</form>");
        if (sources.Count == 0)
        {
            WriteLiteral("<div class=\"alert alert-info\">No sources yet: add a blog above, or list them in feeds/sources.opml.</div></div></div>");
            return;
        }

        WriteLiteral("<div class=\"table-responsive\"><table class=\"table table-striped\" id=\"sources\"><thead><tr>");
        foreach (var h in new[] { "Source", "Last poll", "Outcome", "Next poll", "Errors", "Last error", "Posts", "Comments", string.Empty })
        {
            WriteLiteral("<th>");
            Write(h);
            WriteLiteral("</th>");
        }

        WriteLiteral("</tr></thead><tbody>");
        foreach (var s in sources)
        {
            WriteLiteral(s.ErrorCount > 0 ? "<tr class=\"danger\" data-source-id=\"" : "<tr data-source-id=\"");
            Write(s.Id);
            WriteLiteral("\"><td><strong>");
            Write(s.Title);
            WriteLiteral("</strong><br><small><a href=\"");
            Write(AgleaFeeds.Safety.SafeUrl.Href(s.FeedUrl));
            WriteLiteral("\" rel=\"noreferrer\">");
            Write(AgleaFeeds.Safety.SafeUrl.Href(s.FeedUrl));
            WriteLiteral("</a><br>polled every ");
            Write((s.PollInterval > TimeSpan.Zero ? s.PollInterval : defaultInterval).TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture));
            WriteLiteral(s.PollInterval > TimeSpan.Zero ? " min" : " min (default)");
            // Where the blog's posts and comments come from: its REST API (the complete lists), or feeds and pages only.
            WriteLiteral("<br><span class=\"api\">");
            Write(s.ApiRoot is { } api ? $"WordPress REST API: {api}" + (s.ApiSyncedAt is { } synced ? $" (read {Relative(synced, now)})" : " (not read yet)") : "no REST API: feeds and pages");
            WriteLiteral("</span>");
            WriteLiteral("</small></td><td class=\"last-poll\">");
            Write(s.LastPolledAt is { } lp ? Relative(lp, now) : "never");
            WriteLiteral("</td><td class=\"outcome\">");
            Write(s.LastOutcome ?? "");
            WriteLiteral("</td><td class=\"next-poll\">");
            Write(Relative(s.NextPollAt, now));
            WriteLiteral("</td><td class=\"errors\">");
            Write(s.ErrorCount);
            WriteLiteral("</td><td class=\"last-error\"><small>");
            Write(s.LastError ?? "");
            WriteLiteral("</small></td><td>");
            Write(s.PostCount);
            WriteLiteral("</td><td>");
            Write(s.CommentCount);
            WriteLiteral("</td><td>");
            if (!IsReadOnly)
            {
                WriteLiteral("<button type=\"button\" class=\"btn btn-sm btn-primary js-poll\" data-ajax=\"");
                Write(Url.To($"/sources/poll/{s.Id}"));
                WriteLiteral("\">Poll now</button> <button type=\"button\" class=\"btn btn-sm btn-default js-remove\" data-confirm=\"");
                Write($"Remove {s.Title} with its {s.PostCount} posts and {s.CommentCount} comments (and their moderation history)?");
                WriteLiteral("\" data-ajax=\"");
                Write(Url.To($"/sources/remove/{s.Id}"));
                WriteLiteral("\">Remove</button>");
            }

            WriteLiteral("</td></tr>");
        }

        WriteLiteral("</tbody></table></div></div></div>");
    }

    /// <summary>An instant in UTC with how long ago or ahead it is.</summary>
    internal static string Relative(DateTimeOffset at, DateTimeOffset now)
    {
        var stamp = at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        var delta = at - now;
        var span = delta.Duration();
        var text = span.TotalSeconds < 60 ? $"{span.TotalSeconds:0} s" : span.TotalMinutes < 120 ? $"{span.TotalMinutes:0} min" : span.TotalHours < 48 ? $"{span.TotalHours:0} h" : $"{span.TotalDays:0} d";
        return delta < TimeSpan.Zero ? $"{stamp} ({text} ago)" : $"{stamp} (in {text})";
    }
}
