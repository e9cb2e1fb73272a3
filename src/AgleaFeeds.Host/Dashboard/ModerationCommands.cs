using AgleaFeeds.Model;
using AgleaFeeds.Moderation;
using Hangfire;
using Hangfire.Dashboard;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>The moderation actions as dashboard commands (POST only; validated by antiforgery when registered).</summary>
internal static class ModerationCommands
{
    public const string Route = "/moderation/(?<action>approve|spam|reject|restore)/(?<id>\\d+)/from/(?<from>Pending|Approved|Spam|Rejected)";

    /// <summary>Applies one decision; false (422) for an unknown comment or a decision someone else took first.</summary>
    public static bool Execute(DashboardContext context)
    {
        var match = context.UriMatch;
        var to = ModerationDecide.To(match.Groups["action"].Value) ?? CommentStatus.Pending;
        var http = context.GetHttpContext();
        var moderator = Security.DashboardAccess.Who(http);
        var (outcome, _) = http.RequestServices.GetRequiredService<ModerationService>()
            .DecideAsync(long.Parse(match.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture), Enum.Parse<CommentStatus>(match.Groups["from"].Value), to, moderator, http.RequestAborted)
            .GetAwaiter().GetResult();
        if (outcome == DecisionOutcome.Applied)
        {
            Jobs.BlogPushJob.AfterDecision(http.RequestServices.GetRequiredService<IBackgroundJobClient>());
        }

        return outcome == DecisionOutcome.Applied;
    }
}
