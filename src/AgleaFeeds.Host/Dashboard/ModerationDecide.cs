using System.Globalization;
using System.Text.Json;
using AgleaFeeds.Model;
using AgleaFeeds.Moderation;
using Hangfire;
using Hangfire.Dashboard;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>
/// POST /moderation/decide: one decision on one or more comments (form fields <c>action</c>,
/// <c>from</c>, <c>ids[]</c>), answered in JSON with each comment's outcome and current status, so the
/// queue can say which were applied, which someone else decided first, and which are gone. The
/// antiforgery token is checked by the dashboard middleware before this runs.
/// </summary>
internal sealed class ModerationDecide : IDashboardDispatcher
{
    public const string Route = "/moderation/decide";

    /// <summary>The most comments one request may decide; a larger selection is refused whole.</summary>
    public const int MaxBatch = 100;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task Dispatch(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            await Reply(http, StatusCodes.Status405MethodNotAllowed, "Decisions are POSTed.").ConfigureAwait(false);
            return;
        }

        if (context.IsReadOnly)
        {
            await Reply(http, StatusCodes.Status403Forbidden, "Your account can view the dashboard but not moderate.").ConfigureAwait(false);
            return;
        }

        var action = (await context.Request.GetFormValuesAsync("action").ConfigureAwait(false)).FirstOrDefault();
        var from = (await context.Request.GetFormValuesAsync("from").ConfigureAwait(false)).FirstOrDefault();
        var rawIds = await context.Request.GetFormValuesAsync("ids[]").ConfigureAwait(false);
        if (To(action) is not { } to || !Enum.TryParse<CommentStatus>(from, ignoreCase: false, out var seen) || !Enum.IsDefined(seen))
        {
            await Reply(http, StatusCodes.Status400BadRequest, "Say what to do (approve, spam, reject or restore) and which status the comments were in.").ConfigureAwait(false);
            return;
        }

        if (rawIds.Count == 0)
        {
            await Reply(http, StatusCodes.Status400BadRequest, "No comment was selected.").ConfigureAwait(false);
            return;
        }

        if (rawIds.Count > MaxBatch)
        {
            await Reply(http, StatusCodes.Status413PayloadTooLarge, $"At most {MaxBatch} comments can be decided at once; {rawIds.Count} were sent. Nothing was changed.").ConfigureAwait(false);
            return;
        }

        var ids = new List<long>(rawIds.Count);
        foreach (var raw in rawIds)
        {
            if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                await Reply(http, StatusCodes.Status400BadRequest, $"\"{raw}\" is not a comment id. Nothing was changed.").ConfigureAwait(false);
                return;
            }

            ids.Add(id);
        }

        var service = http.RequestServices.GetRequiredService<ModerationService>();
        var moderator = Security.DashboardAccess.Who(http);
        var results = new List<Result>(ids.Count);
        foreach (var id in ids.Distinct())
        {
            var (outcome, current) = await service.DecideAsync(id, seen, to, moderator, http.RequestAborted).ConfigureAwait(false);
            results.Add(new Result(id, outcome.ToString(), current?.ToString()));
        }

        if (results.Any(r => r.Outcome == nameof(DecisionOutcome.Applied)))
        {
            Jobs.BlogPushJob.AfterDecision(http.RequestServices.GetRequiredService<IBackgroundJobClient>());
        }

        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(JsonSerializer.Serialize(new { results }, Json), http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The status an action moves a comment to.</summary>
    internal static CommentStatus? To(string? action) => action switch
    {
        "approve" => CommentStatus.Approved,
        "spam" => CommentStatus.Spam,
        "reject" => CommentStatus.Rejected,
        "restore" => CommentStatus.Pending,
        _ => null,
    };

    private static Task Reply(HttpContext http, int status, string error)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new { error }, Json), http.RequestAborted);
    }

    /// <summary>One comment's outcome: Applied, Conflict (someone decided first; Status is what it is now) or UnknownComment.</summary>
    internal sealed record Result(long Id, string Outcome, string? Status);
}
