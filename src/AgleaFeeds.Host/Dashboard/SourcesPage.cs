using AgleaFeeds.Model;
using AgleaFeeds.Polling;
using AgleaFeeds.Storage;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>A source as the Sources page shows it: the source, its effective interval, why the next poll is then, where its lists come from, its WordPress connection.</summary>
public sealed record SourceRow(Source Source, string Interval, string Why, string Api)
{
    /// <summary>The connection to the blog's WordPress (never its password), or null.</summary>
    public BlogConnection? Connection { get; init; }

    /// <summary>Why configuration could not connect the source, or why its connection last failed.</summary>
    public string? ConnectionProblem { get; init; }
}

public sealed record SourcesModel(Views.PageLinks Links, DateTimeOffset Now, IReadOnlyList<SourceRow> Sources)
{
    /// <summary>Configured blogs that match no source.</summary>
    public IReadOnlyList<string> Unmatched { get; init; } = [];
}

/// <summary>The Sources page of the dashboard: every source's polling state, as the operator needs it.</summary>
internal sealed class SourcesPage : DashboardPage
{
    public const string Path = "/sources";

    public override void Execute()
    {
        var sources = Get<IFeedStore>().ListSourcesAsync(CancellationToken.None).GetAwaiter().GetResult();
        var now = Get<TimeProvider>().GetUtcNow();
        var options = Get<IOptions<PollingOptions>>().Value;
        var connections = Get<IBlogSyncStore>().ListConnectionsAsync(CancellationToken.None).GetAwaiter().GetResult().ToDictionary(c => c.SourceId);
        var problems = WordPress.ConfiguredBlogs.Problems;
        var rows = sources.Select(s => new SourceRow(s, Interval(s, options), Why(s), Api(s, now))
        {
            Connection = connections.GetValueOrDefault(s.Id),
            ConnectionProblem = connections.GetValueOrDefault(s.Id)?.CheckError ?? problems.GetValueOrDefault(s.Id),
        }).ToList();
        Show<Views.SourcesView>("Sources", new SourcesModel(Links(), now, rows) { Unmatched = problems.Where(p => p.Key < 0).Select(p => p.Value).ToList() });
    }

    /// <summary>How often the source is polled when all is well, and what sets it: the schedule's own answer without server hints.</summary>
    internal static string Interval(Source s, PollingOptions options)
    {
        var own = s.PollInterval > TimeSpan.Zero;
        var interval = options.IntervalOf(s.PollInterval);
        var wait = PollSchedule.AfterSuccess(DateTimeOffset.UnixEpoch, interval, null, s.FeedInterval, options, own).At - DateTimeOffset.UnixEpoch;
        return wait > interval && s.FeedInterval is { } asked
            ? $"polled every {PollSchedule.Describe(wait)}: the feed asks for {PollSchedule.Describe(asked)} (the {(own ? "source's" : "default")} {PollSchedule.Describe(interval)} is shorter)"
            : $"polled every {PollSchedule.Describe(interval)} ({(own ? "the source's own interval" : "default")})";
    }

    private static string Why(Source s) =>
        s.ScheduleReason ?? (s.LastPolledAt is null ? "not polled yet: due now" : string.Empty);

    /// <summary>Where the blog's posts and comments come from: its REST API (the complete lists), or feeds and pages only.</summary>
    private static string Api(Source s, DateTimeOffset now) =>
        s.ApiRoot is { } api ? $"WordPress REST API: {api}" + (s.ApiSyncedAt is { } synced ? $" (read {Views.Show.Relative(synced, now)})" : " (not read yet)") : "no REST API: feeds and pages";
}
