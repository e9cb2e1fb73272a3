using System.Globalization;
using AgleaFeeds.Model;
using AgleaFeeds.Publishing;
using AgleaFeeds.Scoring;
using AgleaFeeds.Storage;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using HtmlAgilityPack;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>
/// The moderation queue on the dashboard: Pending (and tabs for Spam, Approved, Rejected), newest
/// first, each comment with its post, author, score, reasons, parent and safely rendered content, and
/// the actions. Actions post through hangfire.js (data-ajax), which sends the antiforgery token.
/// </summary>
internal sealed class ModerationPage : RazorPage
{
    public const string Path = "/moderation";
    private const int PageSize = 50;

    public override void Execute()
    {
        var status = Enum.TryParse<CommentStatus>(Query("status"), ignoreCase: true, out var s) ? s : CommentStatus.Pending;
        var page = int.TryParse(Query("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        Layout = new LayoutPage($"Moderation: {status}");
        var services = Context.GetHttpContext().RequestServices;
        var byScore = Query("order") == "score";
        var search = Query("q");
        var reason = Query("reason");
        var query = new ModerationQuery(status, byScore, search, reason);
        var items = services.GetRequiredService<IFeedStore>().ListForModerationAsync(query, (page - 1) * PageSize, PageSize + 1, CancellationToken.None).GetAwaiter().GetResult();
        var sanitizer = services.GetRequiredService<ContentSanitizer>();

        WriteLiteral("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Moderation</h1><ul class=\"nav nav-tabs\" style=\"margin-bottom:15px\">");
        foreach (var tab in Enum.GetValues<CommentStatus>())
        {
            WriteLiteral(tab == status ? "<li class=\"active\"><a href=\"" : "<li><a href=\"");
            Write(Url.To($"{Path}?status={tab}"));
            WriteLiteral("\">");
            Write(tab);
            WriteLiteral("</a></li>");
        }

        WriteLiteral("</ul><form class=\"form-inline\" method=\"get\" style=\"margin-bottom:15px\"><input type=\"hidden\" name=\"status\" value=\"");
        Write(status);
        WriteLiteral("\"><input class=\"form-control input-sm\" name=\"q\" placeholder=\"author or text\" value=\"");
        Write(search ?? string.Empty);
        WriteLiteral("\"> <input class=\"form-control input-sm\" name=\"reason\" placeholder=\"reason, e.g. max-links\" value=\"");
        Write(reason ?? string.Empty);
        WriteLiteral("\"> <select class=\"form-control input-sm\" name=\"order\"><option value=\"newest\">newest first</option><option value=\"score\"");
        WriteLiteral(byScore ? " selected" : string.Empty);
        WriteLiteral(">highest score first</option></select> <button class=\"btn btn-sm btn-default\" type=\"submit\">Filter</button></form>");
        if (items.Count == 0)
        {
            WriteLiteral("<div class=\"alert alert-success\">Nothing here.</div></div></div>");
            return;
        }

        WriteLiteral("<table class=\"table\" id=\"moderation\"><tbody>");
        foreach (var item in items.Take(PageSize))
        {
            var c = item.Comment;
            WriteLiteral("<tr class=\"comment-row\" data-comment-id=\"");
            Write(c.Id);
            WriteLiteral("\"><td style=\"width:22%\"><a class=\"author\" href=\"");
            Write(Url.To($"{Path}/comment/{c.Id}"));
            WriteLiteral("\" title=\"History\"><strong>");
            Write(c.Author ?? "Anonymous");
            WriteLiteral("</strong></a>");
            if (c.AuthorUrl is not null)
            {
                WriteLiteral("<br><small class=\"author-url\">");
                Write(c.AuthorUrl);
                WriteLiteral("</small>");
            }

            WriteLiteral("<br><small>");
            Write(c.PublishedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "");
            WriteLiteral("</small><br>");
            if (item.Score is { } score)
            {
                WriteLiteral(score >= 0.9 ? "<span class=\"label label-danger score\">" : score <= 0.1 ? "<span class=\"label label-success score\">" : "<span class=\"label label-warning score\">");
                Write(score.ToString("0.000", CultureInfo.InvariantCulture));
                WriteLiteral("</span>");
            }

            WriteLiteral("</td><td><div><small>on <a href=\"");
            Write(item.PostLink ?? "#");
            WriteLiteral("\" rel=\"noreferrer\">");
            Write(item.PostTitle ?? item.PostLink);
            WriteLiteral("</a></small></div>");
            if (item.ParentAuthor is not null || item.ParentText is not null)
            {
                WriteLiteral("<blockquote class=\"parent\" style=\"font-size:12px;margin:4px 0\">in reply to ");
                Write(item.ParentAuthor);
                WriteLiteral(": ");
                Write(Excerpt(item.ParentText));
                WriteLiteral("</blockquote>");
            }

            // Rendered sanitized, and every link shows where it really goes.
            WriteLiteral("<div class=\"content\">");
            WriteLiteral(ShowTargets(sanitizer.Sanitize(c.ContentHtml ?? c.ContentText, item.PostLink)));
            WriteLiteral("</div><div><small class=\"reasons text-muted\">");
            Write(item.Reasons ?? "");
            WriteLiteral("</small></div></td><td style=\"width:230px;text-align:right\">");
            foreach (var (action, label, css) in IsReadOnly ? [] : Actions(c.Status))
            {
                WriteLiteral($"<button type=\"button\" class=\"btn btn-sm {css} js-{action}\" data-ajax=\"");
                Write(Url.To($"{Path}/{action}/{c.Id}/from/{c.Status}"));
                WriteLiteral("\">");
                Write(label);
                WriteLiteral("</button> ");
            }

            WriteLiteral("</td></tr>");
        }

        WriteLiteral("</tbody></table>");
        if (page > 1 || items.Count > PageSize)
        {
            WriteLiteral("<ul class=\"pager\">");
            if (page > 1)
            {
                WriteLiteral($"<li class=\"previous\"><a href=\"{Url.To($"{Path}?status={status}&page={page - 1}")}\">Newer</a></li>");
            }

            if (items.Count > PageSize)
            {
                WriteLiteral($"<li class=\"next\"><a href=\"{Url.To($"{Path}?status={status}&page={page + 1}")}\">Older</a></li>");
            }

            WriteLiteral("</ul>");
        }

        WriteLiteral("</div></div>");
    }

    /// <summary>The actions a status offers: decide, or restore a decided comment to the queue.</summary>
    private static IEnumerable<(string Action, string Label, string Css)> Actions(CommentStatus status)
    {
        if (status != CommentStatus.Approved)
        {
            yield return ("approve", "Approve", "btn-success");
        }

        if (status != CommentStatus.Spam)
        {
            yield return ("spam", "Spam", "btn-danger");
        }

        if (status != CommentStatus.Rejected)
        {
            yield return ("reject", "Reject", "btn-default");
        }

        if (status != CommentStatus.Pending)
        {
            yield return ("restore", "Restore", "btn-warning");
        }
    }

    private static string Excerpt(string? text)
    {
        var plain = text is null ? string.Empty : CommentFeatures.TextAndLinks(text).Text;
        return plain.Length > 160 ? plain[..160] + "…" : plain;
    }

    /// <summary>Appends each link's real target after its text, so "click here" cannot hide where it goes.</summary>
    private static string ShowTargets(string safeHtml)
    {
        var doc = new HtmlDocument();
        doc.LoadHtml(safeHtml);
        foreach (var a in doc.DocumentNode.Descendants("a").ToList())
        {
            var href = a.GetAttributeValue("href", string.Empty);
            a.SetAttributeValue("rel", "nofollow noreferrer");
            a.ParentNode?.InsertAfter(HtmlNode.CreateNode($"<small class=\"link-target\"> [{HtmlEntity.Entitize(href)}]</small>"), a);
        }

        return doc.DocumentNode.OuterHtml;
    }
}
