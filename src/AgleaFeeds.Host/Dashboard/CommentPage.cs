using AgleaFeeds.Model;
using AgleaFeeds.Publishing;
using AgleaFeeds.Storage;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>A trust or block button on a comment's page.</summary>
public sealed record ListButton(string Label, string Css, string JsClass, string Path);

public sealed record CommentModel(
    Views.PageLinks Links,
    long Id,
    Comment? Comment,
    string? PostHref,
    string? PostTitle,
    string Record,
    IReadOnlyList<ListButton> ListButtons,
    string ContentHtml,
    IReadOnlyList<ModerationEvent> Events)
{
    /// <summary>Every push of a decision to the blog: when, whose decision, what was wanted, the blog's answer.</summary>
    public IReadOnlyList<BlogPushRecord> Pushes { get; init; } = [];
}

/// <summary>One comment's page: its content and its whole history (every verdict and decision: who, when, from, to, score, reasons).</summary>
internal sealed class CommentPage(long id) : DashboardPage
{
    public const string Route = "/moderation/comment/(?<id>\\d+)";

    public override void Execute()
    {
        var store = Get<IFeedStore>();
        var comment = store.GetCommentAsync(id, CancellationToken.None).GetAwaiter().GetResult();
        if (comment is null)
        {
            Show<Views.CommentView>("Comment not found", new CommentModel(Links(), id, null, null, null, string.Empty, [], string.Empty, []));
            return;
        }

        var post = store.GetPostAsync(comment.PostId, CancellationToken.None).GetAwaiter().GetResult();
        var record = store.CountAuthorCommentsAsync(id, CancellationToken.None).GetAwaiter().GetResult();
        var model = new CommentModel(
            Links(),
            id,
            comment,
            AgleaFeeds.Safety.SafeUrl.Http(comment.Link) ?? AgleaFeeds.Safety.SafeUrl.Href(post?.Link),
            post?.PageTitle ?? post?.Title ?? post?.Link,
            string.Join(", ", Enum.GetValues<CommentStatus>().Select(s => $"{record.GetValueOrDefault(s)} {s.ToString().ToLowerInvariant()}")),
            ListButtons(comment),
            ModerationHtml.Render(Get<ContentSanitizer>(), comment.ContentHtml ?? comment.ContentText, post?.Link),
            store.ListEventsAsync(id, CancellationToken.None).GetAwaiter().GetResult())
        {
            Pushes = Get<IBlogSyncStore>().ListPushesAsync(id, CancellationToken.None).GetAwaiter().GetResult(),
        };
        Show<Views.CommentView>($"Comment by {comment.Author}", model);
    }

    /// <summary>Trust or block the author, or the website's domain; the lists feed the scoring rules.</summary>
    private static List<ListButton> ListButtons(Comment comment)
    {
        var buttons = new List<ListButton>();
        foreach (var (kind, value) in new[] { (AuthorRuleKind.Author, AuthorRule.Normalize(AuthorRuleKind.Author, comment.Author)), (AuthorRuleKind.UrlDomain, AuthorRule.Normalize(AuthorRuleKind.UrlDomain, comment.AuthorUrl)) })
        {
            if (value is null)
            {
                continue;
            }

            foreach (var (action, css) in new[] { (AuthorRuleAction.Trust, "btn-success"), (AuthorRuleAction.Block, "btn-danger") })
            {
                buttons.Add(new ListButton(
                    $"{action} {(kind == AuthorRuleKind.Author ? "author" : "website")} {value}",
                    css,
                    $"js-{action.ToString().ToLowerInvariant()}-{kind.ToString().ToLowerInvariant()}",
                    $"{AuthorListsPage.Path}/{action}/{kind}/comment/{comment.Id}"));
            }
        }

        return buttons;
    }
}
