using System.Globalization;
using AgleaFeeds.Model;
using AgleaFeeds.Publishing;
using AgleaFeeds.Storage;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>One comment's page: its content and its whole history (every verdict and decision: who, when, from, to, score, reasons).</summary>
internal sealed class CommentPage(long id) : RazorPage
{
    public const string Route = "/moderation/comment/(?<id>\\d+)";

    public override void Execute()
    {
        var services = Context.GetHttpContext().RequestServices;
        var store = services.GetRequiredService<IFeedStore>();
        var comment = store.GetCommentAsync(id, CancellationToken.None).GetAwaiter().GetResult();
        Layout = new LayoutPage(comment is null ? "Comment not found" : $"Comment by {comment.Author}");
        WriteLiteral("<div class=\"row\"><div class=\"col-md-12\">");
        if (comment is null)
        {
            WriteLiteral("<h1 class=\"page-header\">Comment not found</h1><div class=\"alert alert-warning\">No comment with id ");
            Write(id);
            WriteLiteral(".</div></div></div>");
            return;
        }

        var post = store.GetPostAsync(comment.PostId, CancellationToken.None).GetAwaiter().GetResult();
        WriteLiteral("<h1 class=\"page-header\">Comment by ");
        Write(comment.Author ?? "Anonymous");
        WriteLiteral(" <small class=\"status\">");
        Write(comment.Status);
        WriteLiteral("</small></h1><p>on <a href=\"");
        Write(AgleaFeeds.Safety.SafeUrl.Http(comment.Link) ?? AgleaFeeds.Safety.SafeUrl.Href(post?.Link));
        WriteLiteral("\" rel=\"noreferrer\">");
        Write(post?.PageTitle ?? post?.Title ?? post?.Link);
        WriteLiteral("</a></p><p class=\"author-record\">");
        Write(comment.Author ?? "Anonymous");
        WriteLiteral("'s record on this blog: ");
        var record = store.CountAuthorCommentsAsync(id, CancellationToken.None).GetAwaiter().GetResult();
        Write(string.Join(", ", Enum.GetValues<CommentStatus>().Select(s => $"{record.GetValueOrDefault(s)} {s.ToString().ToLowerInvariant()}")));
        WriteLiteral("</p>");
        if (!IsReadOnly)
        {
            // The same decisions as the queue's (hangfire.js posts them with the antiforgery header and reloads).
            WriteLiteral("<p class=\"decide\">");
            foreach (var (action, label, css) in ModerationPage.Actions(comment.Status))
            {
                WriteLiteral($"<button type=\"button\" class=\"btn btn-sm {css} js-{action}\" data-ajax=\"");
                Write(Url.To($"{ModerationPage.Path}/{action}/{comment.Id}/from/{comment.Status}"));
                WriteLiteral("\">");
                Write(label);
                WriteLiteral("</button> ");
            }

            WriteLiteral("</p>");
        }

        WriteListButtons(comment);
        WriteLiteral("<div class=\"well content\">");
        WriteLiteral(ModerationHtml.Render(services.GetRequiredService<ContentSanitizer>(), comment.ContentHtml ?? comment.ContentText, post?.Link));
        WriteLiteral("</div><h3>History</h3><table class=\"table table-striped\" id=\"history\"><thead><tr><th>When</th><th>Who</th><th>From</th><th>To</th><th>Score</th><th>Reasons</th></tr></thead><tbody>");
        foreach (var e in store.ListEventsAsync(id, CancellationToken.None).GetAwaiter().GetResult())
        {
            WriteLiteral("<tr><td>");
            Write(e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
            WriteLiteral("</td><td class=\"actor\">");
            Write(e.Actor);
            WriteLiteral("</td><td>");
            Write(e.From?.ToString() ?? "—");
            WriteLiteral("</td><td>");
            Write(e.To);
            WriteLiteral("</td><td>");
            Write(e.Score?.ToString("0.000", CultureInfo.InvariantCulture) ?? "");
            WriteLiteral("</td><td><small>");
            Write(e.Reasons ?? "");
            WriteLiteral("</small></td></tr>");
        }

        WriteLiteral("</tbody></table></div></div>");
    }

    /// <summary>Trust or block the author, or the website's domain; the lists feed the scoring rules.</summary>
    private void WriteListButtons(Comment comment)
    {
        if (IsReadOnly)
        {
            return;
        }

        WriteLiteral("<p class=\"author-lists\">");
        foreach (var (kind, value) in new[] { (AuthorRuleKind.Author, AuthorRule.Normalize(AuthorRuleKind.Author, comment.Author)), (AuthorRuleKind.UrlDomain, AuthorRule.Normalize(AuthorRuleKind.UrlDomain, comment.AuthorUrl)) })
        {
            if (value is null)
            {
                continue;
            }

            foreach (var (action, css) in new[] { (AuthorRuleAction.Trust, "btn-success"), (AuthorRuleAction.Block, "btn-danger") })
            {
                WriteLiteral($"<button type=\"button\" class=\"btn btn-sm {css} js-{action.ToString().ToLowerInvariant()}-{kind.ToString().ToLowerInvariant()}\" data-ajax=\"");
                Write(Url.To($"{AuthorListsPage.Path}/{action}/{kind}/comment/{comment.Id}"));
                WriteLiteral("\">");
                Write($"{action} {(kind == AuthorRuleKind.Author ? "author" : "website")} {value}");
                WriteLiteral("</button> ");
            }
        }

        WriteLiteral("<a href=\"");
        Write(Url.To(AuthorListsPage.Path));
        WriteLiteral("\">trust and block lists</a></p>");
    }
}
