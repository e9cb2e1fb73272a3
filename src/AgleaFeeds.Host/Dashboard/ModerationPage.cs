using System.Globalization;
using AgleaFeeds.Model;
using AgleaFeeds.Publishing;
using AgleaFeeds.Scoring;
using AgleaFeeds.Storage;
using Hangfire;
using Hangfire.Dashboard;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>A comment in the queue with what the page shows beside it: its content made safe, its parent's excerpt, the post filter.</summary>
public sealed record ModerationRow(ModerationItem Item, string ContentHtml, string ParentExcerpt, string OnlyThisPost);

public sealed record ModerationModel(
    Views.PageLinks Links,
    ModerationQuery Query,
    IReadOnlyDictionary<CommentStatus, int> Counts,
    int SpamToday,
    IReadOnlyList<Source> Sources,
    IReadOnlyDictionary<CommentStatus, string> TabLinks,
    string AllPostsLink,
    IReadOnlyList<ModerationRow> Rows,
    string Position,
    string? Newer,
    string? Older);

/// <summary>
/// The moderation queue on the dashboard: Pending (and tabs for Spam, Approved, Rejected, each with its
/// count), newest first, each comment with its post, author, score, reasons, parent and safely rendered
/// content, and the actions: per row, on a selection, and from the keyboard (moderation.js), posted with
/// the page's antiforgery token to <see cref="ModerationDecide"/>; each decision can be undone.
/// </summary>
internal sealed class ModerationPage : DashboardPage
{
    public const string Path = "/moderation";
    public const string RecheckRoute = "/moderation/recheck";

    /// <summary>Scores the queue again (Akismet's "Check for Spam"): what moderators decided since counts for what still waits.</summary>
    public static bool Recheck(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var services = http.RequestServices;
        services.GetRequiredService<IFeedStore>().MarkQueueForRecheckAsync(services.GetRequiredService<TimeProvider>().GetUtcNow(), http.RequestAborted).GetAwaiter().GetResult();
        services.GetRequiredService<IBackgroundJobClient>().Enqueue<Jobs.ScoreJob>(job => job.RunAsync(CancellationToken.None));
        return true;
    }
    private const int PageSize = 50;

    public override void Execute()
    {
        var status = Enum.TryParse<CommentStatus>(Query("status"), ignoreCase: true, out var s) ? s : CommentStatus.Pending;
        var page = int.TryParse(Query("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var store = Get<IFeedStore>();
        var query = new ModerationQuery(status, Query("order") == "score", Blank(Query("q")), Blank(Query("reason")), Id(Query("source")), Id(Query("post")));
        var items = store.ListForModerationAsync(query, (page - 1) * PageSize, PageSize + 1, CancellationToken.None).GetAwaiter().GetResult();
        var counts = store.CountCommentsByStatusAsync(CancellationToken.None).GetAwaiter().GetResult();
        var sanitizer = Get<ContentSanitizer>();
        var rows = items.Take(PageSize).Select(i => new ModerationRow(
            i,
            ModerationHtml.Render(sanitizer, i.Comment.ContentHtml ?? i.Comment.ContentText, i.PostLink),
            Excerpt(i.ParentText),
            Link(query with { PostId = i.Comment.PostId }, 1))).ToList();
        var filtered = query.SourceId is not null || query.PostId is not null || query.Search is not null || query.Reason is not null;
        var pages = Math.Max(1, (counts.GetValueOrDefault(status) + PageSize - 1) / PageSize);
        var model = new ModerationModel(
            Links(),
            query,
            counts,
            DashboardSetup.SpamCaughtToday(Services),
            store.ListSourcesAsync(CancellationToken.None).GetAwaiter().GetResult(),
            Enum.GetValues<CommentStatus>().ToDictionary(tab => tab, tab => Link(query with { Status = tab }, 1)),
            Link(query with { PostId = null }, 1),
            rows,
            filtered ? $"page {page}" : $"page {page} of {pages}",
            page > 1 ? Link(query, page - 1) : null,
            items.Count > PageSize ? Link(query, page + 1) : null);
        Show<Views.ModerationView>($"Moderation: {status}", model);
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
