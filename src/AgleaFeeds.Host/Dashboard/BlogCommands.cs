using System.Globalization;
using AgleaFeeds.Host.Jobs;
using AgleaFeeds.Moderation;
using AgleaFeeds.Storage;
using Hangfire;
using Hangfire.Dashboard;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>Two-way moderation's actions: connect a source to its WordPress, disconnect, push automatic verdicts or not, push a failed decision again.</summary>
internal static class BlogCommands
{
    public const string ConnectRoute = "/sources/connect/(?<id>\\d+)";
    public const string DisconnectRoute = "/sources/disconnect/(?<id>\\d+)";
    public const string PushVerdictsRoute = "/sources/push-verdicts/(?<id>\\d+)/(?<on>on|off)";
    public const string PushAgainRoute = "/moderation/push-again/(?<id>\\d+)";

    /// <summary>The Connect form: the credentials are checked at once; the answer says plainly what is wrong.</summary>
    internal sealed class Connect : IDashboardDispatcher
    {
        public async Task Dispatch(DashboardContext context)
        {
            if (await DashboardForms.ReadAsync(context).ConfigureAwait(false) is not { } form)
            {
                return;
            }

            var http = context.GetHttpContext();
            var id = long.Parse(context.UriMatch.Groups["id"].Value, CultureInfo.InvariantCulture);
            var source = await http.RequestServices.GetRequiredService<IFeedStore>().GetSourceAsync(id, http.RequestAborted).ConfigureAwait(false);
            if (source is null)
            {
                DashboardForms.Back(context, SourcesPage.Path, error: "There is no such source.");
                return;
            }

            var check = await http.RequestServices.GetRequiredService<BlogModeration>().ConnectAsync(
                id, form["site"], form["user"].ToString(), form["password"].ToString(), form["push"] == "on", "dashboard",
                Security.DashboardAccess.Who(http), http.RequestAborted).ConfigureAwait(false);
            if (!check.Ok)
            {
                DashboardForms.Back(context, SourcesPage.Path, error: $"{source.Title} was not connected. {check.Error}");
                return;
            }

            http.RequestServices.GetRequiredService<IRecurringJobManagerV2>().TriggerJob(BlogReadJob.RecurringJobId);
            DashboardForms.Back(context, SourcesPage.Path, done: $"Connected {source.Title} to its WordPress as {check.DisplayName} ({string.Join(", ", check.Roles ?? [])}): its held comments join the queue and its history is imported as labels now; decisions made here are pushed to the blog.");
        }
    }

    public static bool Disconnect(DashboardContext context)
    {
        var http = context.GetHttpContext();
        return http.RequestServices.GetRequiredService<IBlogSyncStore>()
            .RemoveConnectionAsync(long.Parse(context.UriMatch.Groups["id"].Value, CultureInfo.InvariantCulture), http.RequestAborted).GetAwaiter().GetResult();
    }

    public static bool PushVerdicts(DashboardContext context)
    {
        var http = context.GetHttpContext();
        return http.RequestServices.GetRequiredService<IBlogSyncStore>()
            .SetPushVerdictsAsync(long.Parse(context.UriMatch.Groups["id"].Value, CultureInfo.InvariantCulture), context.UriMatch.Groups["on"].Value == "on", http.RequestAborted).GetAwaiter().GetResult();
    }

    public static bool PushAgain(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var queued = http.RequestServices.GetRequiredService<IBlogSyncStore>().RetryPushAsync(
            long.Parse(context.UriMatch.Groups["id"].Value, CultureInfo.InvariantCulture), Security.DashboardAccess.Who(http),
            http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), http.RequestAborted).GetAwaiter().GetResult();
        if (queued)
        {
            BlogPushJob.EnqueueNow(http.RequestServices.GetRequiredService<IBackgroundJobClient>());
        }

        return queued;
    }
}
