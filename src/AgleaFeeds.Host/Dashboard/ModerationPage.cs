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
/// the actions: per row, on a selection, and from the keyboard, posted with the page's antiforgery token
/// to <see cref="ModerationDecide"/>; each decision can be undone.
/// </summary>
internal sealed class ModerationPage : RazorPage
{
    public const string Path = "/moderation";
    private const int PageSize = 50;

    /// <summary>The queue's script (selection, keyboard, undo), embedded beside this file.</summary>
    private static readonly string Script = ReadScript();

    /// <summary>Gets the Content-Security-Policy source that allows the page's one inline script, and no other.</summary>
    internal static string ScriptHashSource { get; } = "'sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Script))) + "'";

    public override void Execute()
    {
        var status = Enum.TryParse<CommentStatus>(Query("status"), ignoreCase: true, out var s) ? s : CommentStatus.Pending;
        var page = int.TryParse(Query("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        Layout = new LayoutPage($"Moderation: {status}");
        var services = Context.GetHttpContext().RequestServices;
        var store = services.GetRequiredService<IFeedStore>();
        var query = new ModerationQuery(status, Query("order") == "score", Blank(Query("q")), Blank(Query("reason")), Id(Query("source")), Id(Query("post")));
        var items = store.ListForModerationAsync(query, (page - 1) * PageSize, PageSize + 1, CancellationToken.None).GetAwaiter().GetResult();
        var sources = store.ListSourcesAsync(CancellationToken.None).GetAwaiter().GetResult();
        var sanitizer = services.GetRequiredService<ContentSanitizer>();

        WriteLiteral("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Moderation <small><a href=\"");
        Write(Url.To(AuthorListsPage.Path));
        WriteLiteral("\">trust and block lists</a></small></h1><ul class=\"nav nav-tabs\" style=\"margin-bottom:15px\">");
        foreach (var tab in Enum.GetValues<CommentStatus>())
        {
            WriteLiteral(tab == status ? "<li class=\"active\"><a href=\"" : "<li><a href=\"");
            Write(Link(query with { Status = tab }, 1));
            WriteLiteral("\">");
            Write(tab);
            WriteLiteral("</a></li>");
        }

        WriteLiteral("</ul>");
        WriteFilters(query, sources);
        WriteLiteral("<div id=\"moderation-notice\" role=\"status\" aria-live=\"polite\"></div>");
        if (items.Count == 0)
        {
            WriteLiteral("<div class=\"alert alert-success\">Nothing here.</div></div></div>");
            return;
        }

        if (!IsReadOnly)
        {
            WriteLiteral("<div class=\"btn-toolbar btn-toolbar-top\" style=\"margin-bottom:10px\"><label class=\"checkbox-inline\" style=\"float:left;margin:5px 10px 0 8px\"><input type=\"checkbox\" id=\"select-all\"> all on this page</label>");
            foreach (var (action, label, css) in Actions(status))
            {
                WriteLiteral($"<button type=\"button\" class=\"btn btn-sm {css} js-bulk\" data-action=\"{action}\" disabled>");
                Write(label);
                WriteLiteral(" selected</button> ");
            }

            WriteLiteral("<button type=\"button\" class=\"btn btn-sm btn-default js-undo\" disabled>Undo</button>");
            WriteLiteral("<span class=\"text-muted small\" style=\"margin-left:10px\">Keys: j/k move, x select, a approve, s spam, r reject, u undo</span></div>");
        }

        WriteLiteral("<div class=\"table-responsive\"><table class=\"table\" id=\"moderation\" data-status=\"");
        Write(status);
        WriteLiteral("\" data-decide=\"");
        Write(Url.To(ModerationDecide.Route));
        WriteLiteral("\"><tbody>");
        foreach (var item in items.Take(PageSize))
        {
            var c = item.Comment;
            WriteLiteral("<tr class=\"comment-row\" data-comment-id=\"");
            Write(c.Id);
            WriteLiteral("\" data-author=\"");
            Write(c.Author ?? "Anonymous");
            WriteLiteral("\">");
            if (!IsReadOnly)
            {
                WriteLiteral("<td style=\"width:20px\"><input type=\"checkbox\" class=\"select-comment\" aria-label=\"select\"></td>");
            }

            WriteLiteral("<td style=\"width:22%\"><a class=\"author\" href=\"");
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
            Write(AgleaFeeds.Safety.SafeUrl.Href(item.PostLink));
            WriteLiteral("\" rel=\"noreferrer\">");
            Write(item.PostTitle ?? item.PostLink);
            WriteLiteral("</a> <a class=\"text-muted post-filter\" href=\"");
            Write(Link(query with { PostId = c.PostId }, 1));
            WriteLiteral("\" title=\"Only this post\">(only this post)</a></small></div>");
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
            WriteLiteral(ModerationHtml.Render(sanitizer, c.ContentHtml ?? c.ContentText, item.PostLink));
            WriteLiteral("</div><div><small class=\"reasons text-muted\">");
            Write(item.Reasons ?? "");
            WriteLiteral("</small></div></td><td class=\"actions\" style=\"width:230px;text-align:right\">");
            foreach (var (action, label, css) in IsReadOnly ? [] : Actions(c.Status))
            {
                WriteLiteral($"<button type=\"button\" class=\"btn btn-sm {css} js-decide\" data-action=\"{action}\">");
                Write(label);
                WriteLiteral("</button> ");
            }

            WriteLiteral("</td></tr>");
        }

        WriteLiteral("</tbody></table></div>");
        if (page > 1 || items.Count > PageSize)
        {
            WriteLiteral("<ul class=\"pager\">");
            if (page > 1)
            {
                WriteLiteral($"<li class=\"previous\"><a href=\"{Link(query, page - 1)}\">Newer</a></li>");
            }

            if (items.Count > PageSize)
            {
                WriteLiteral($"<li class=\"next\"><a href=\"{Link(query, page + 1)}\">Older</a></li>");
            }

            WriteLiteral("</ul>");
        }

        WriteLiteral("</div></div>");
        if (!IsReadOnly)
        {
            WriteLiteral("<script>");
            WriteLiteral(Script);
            WriteLiteral("</script>");
        }
    }

    private void WriteFilters(ModerationQuery query, IReadOnlyList<Source> sources)
    {
        WriteLiteral("<form class=\"form-inline\" method=\"get\" style=\"margin-bottom:15px\"><input type=\"hidden\" name=\"status\" value=\"");
        Write(query.Status);
        WriteLiteral("\">");
        if (query.PostId is { } post)
        {
            WriteLiteral($"<input type=\"hidden\" name=\"post\" value=\"{post}\"><a class=\"btn btn-sm btn-info\" href=\"");
            Write(Link(query with { PostId = null }, 1));
            WriteLiteral("\" title=\"Show every post\">one post &times;</a> ");
        }

        WriteLiteral("<select class=\"form-control input-sm\" name=\"source\"><option value=\"\">every source</option>");
        foreach (var source in sources)
        {
            WriteLiteral($"<option value=\"{source.Id}\"{(source.Id == query.SourceId ? " selected" : string.Empty)}>");
            Write(source.Title);
            WriteLiteral("</option>");
        }

        WriteLiteral("</select> <input class=\"form-control input-sm\" name=\"q\" placeholder=\"author or text\" value=\"");
        Write(query.Search ?? string.Empty);
        WriteLiteral("\"> <input class=\"form-control input-sm\" name=\"reason\" placeholder=\"reason, e.g. max-links\" value=\"");
        Write(query.Reason ?? string.Empty);
        WriteLiteral("\"> <select class=\"form-control input-sm\" name=\"order\"><option value=\"newest\">newest first</option><option value=\"score\"");
        WriteLiteral(query.HighestScoreFirst ? " selected" : string.Empty);
        WriteLiteral(">highest score first</option></select> <button class=\"btn btn-sm btn-default\" type=\"submit\">Filter</button></form>");
    }

    /// <summary>The queue's address for a query and page, so tabs and paging keep the filters.</summary>
    private string Link(ModerationQuery query, int page)
    {
        var parts = new List<string> { $"status={query.Status}" };
        if (query.SourceId is { } source)
        {
            parts.Add($"source={source}");
        }

        if (query.PostId is { } post)
        {
            parts.Add($"post={post}");
        }

        if (query.Search is { } q)
        {
            parts.Add("q=" + Uri.EscapeDataString(q));
        }

        if (query.Reason is { } reason)
        {
            parts.Add("reason=" + Uri.EscapeDataString(reason));
        }

        if (query.HighestScoreFirst)
        {
            parts.Add("order=score");
        }

        if (page > 1)
        {
            parts.Add($"page={page}");
        }

        return Url.To($"{Path}?{string.Join('&', parts)}");
    }

    private static string ReadScript()
    {
        using var stream = typeof(ModerationPage).Assembly.GetManifestResourceStream("AgleaFeeds.Host.Dashboard.moderation.js")
            ?? throw new InvalidOperationException("The moderation script is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static long? Id(string? value) => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>The actions a status offers: decide, or restore a decided comment to the queue.</summary>
    internal static IEnumerable<(string Action, string Label, string Css)> Actions(CommentStatus status)
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
}
