using System.Globalization;
using AgleaFeeds.Model;
using AgleaFeeds.Storage;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>
/// The moderators' trust and block lists: authors, e-mail domains and URL domains. The scoring rules
/// read them for every comment judged from then on (entries in Scoring:Rules apply too, and are listed
/// here as configured).
/// </summary>
internal sealed class AuthorListsPage : RazorPage
{
    public const string Path = "/moderation/lists";

    public override void Execute()
    {
        Layout = new LayoutPage("Trust and block lists");
        var http = Context.GetHttpContext();
        var entries = http.RequestServices.GetRequiredService<IFeedStore>().ListAuthorRulesAsync(CancellationToken.None).GetAwaiter().GetResult();
        var configured = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Scoring.ScoringOptions>>().Value.Rules;
        WriteLiteral("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Trust and block lists</h1>");
        WriteLiteral("<p class=\"text-muted\">A trusted author or domain is approved unless another rule holds or catches the comment; a blocked one is spam. They apply to every comment judged from now on.</p>");
        WriteLiteral(DashboardForms.Message(this));
        if (!IsReadOnly)
        {
            WriteLiteral("<form class=\"form-inline\" method=\"post\" style=\"margin-bottom:15px\" action=\"");
            Write(Url.To(AuthorRuleCommands.AddRoute));
            WriteLiteral("\">");
            WriteLiteral(DashboardForms.TokenField(http));
            WriteLiteral("<select class=\"form-control input-sm\" name=\"action\"><option value=\"Trust\">Trust</option><option value=\"Block\">Block</option></select> ");
            WriteLiteral("<select class=\"form-control input-sm\" name=\"kind\"><option value=\"Author\">author name</option><option value=\"EmailDomain\">e-mail domain</option><option value=\"UrlDomain\">website domain</option></select> ");
            WriteLiteral("<input class=\"form-control input-sm\" name=\"value\" required maxlength=\"200\" placeholder=\"name or domain\"> <button class=\"btn btn-sm btn-primary\" type=\"submit\">Add</button></form>");
        }

        if (entries.Count == 0 && !configured.ConfiguredEntries().Any())
        {
            WriteLiteral("<div class=\"alert alert-info\">No one is trusted or blocked yet. Add an entry above, or use the buttons on a comment's page.</div></div></div>");
            return;
        }

        WriteLiteral("<table class=\"table table-striped\" id=\"author-rules\"><thead><tr><th>List</th><th>What</th><th>Value</th><th>Added by</th><th>When</th><th></th></tr></thead><tbody>");
        foreach (var e in entries)
        {
            WriteLiteral(e.Action == AuthorRuleAction.Block ? "<tr class=\"rule-row\"><td><span class=\"label label-danger\">blocked</span>" : "<tr class=\"rule-row\"><td><span class=\"label label-success\">trusted</span>");
            WriteLiteral("</td><td>");
            Write(Describe(e.Kind));
            WriteLiteral("</td><td class=\"value\">");
            Write(e.Value);
            WriteLiteral("</td><td>");
            Write(e.CreatedBy);
            WriteLiteral("</td><td>");
            Write(e.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
            WriteLiteral("</td><td style=\"text-align:right\">");
            if (!IsReadOnly)
            {
                WriteLiteral("<button type=\"button\" class=\"btn btn-xs btn-default js-remove\" data-ajax=\"");
                Write(Url.To($"{Path}/remove/{e.Id}"));
                WriteLiteral("\">Remove</button>");
            }

            WriteLiteral("</td></tr>");
        }

        foreach (var (action, kind, value) in configured.ConfiguredEntries())
        {
            WriteLiteral(action == AuthorRuleAction.Block ? "<tr class=\"text-muted\"><td><span class=\"label label-danger\">blocked</span>" : "<tr class=\"text-muted\"><td><span class=\"label label-success\">trusted</span>");
            WriteLiteral("</td><td>");
            Write(Describe(kind));
            WriteLiteral("</td><td>");
            Write(value);
            WriteLiteral("</td><td colspan=\"3\">configuration (Scoring:Rules)</td></tr>");
        }

        WriteLiteral("</tbody></table></div></div>");
    }

    internal static string Describe(AuthorRuleKind kind) => kind switch
    {
        AuthorRuleKind.Author => "author name",
        AuthorRuleKind.EmailDomain => "e-mail domain",
        _ => "website domain",
    };

}
