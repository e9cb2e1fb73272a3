using System.Net;
using AgleaFeeds.Host.Tests.Fixtures;
using AgleaFeeds.Model;
using AgleaFeeds.Storage;
using AgleaFeeds.Testing;
using Microsoft.Extensions.Options;
using Npgsql;
using Xunit.Abstractions;

namespace AgleaFeeds.Host.Tests.Hosting;

/// <summary>
/// Two real host processes on one PostgreSQL, polling a farm of WordPress blogs on this machine: each round
/// polls every blog once, both hosts take a share, a host killed mid-round (SIGKILL) leaves its share to the
/// other once its leases run out, and a moderator's decision on one host is what both hosts serve.
/// </summary>
public sealed class MultiHostTests(ITestOutputHelper output)
{
    private const int Blogs = 24;
    private static readonly CancellationToken Ct = CancellationToken.None;

    [SkippableFact]
    public async Task TwoHostProcessesOnOneDatabase_ShareEachRound_AKilledHostsShareIsDoneOnce_ADecisionIsServedByBoth()
    {
        var (database, settings) = await TestPostgres.NewHostDatabaseAsync(new Dictionary<string, string?>
        {
            ["Polling:BatchSize"] = "2",
            ["Polling:MaxConcurrency"] = "2",
            ["Polling:Lease"] = "00:00:20",
            ["Polling:WorkLease"] = "00:00:03",
            ["Polling:DefaultInterval"] = "01:00:00",
            ["Polling:ReadPostCommentFeeds"] = "false",
            ["Polling:UseWordPressApi"] = "false",
            ["Scraping:Enabled"] = "false",
            // Behind one public address, as several hosts are: the feeds' self links are the same on both.
            ["Publishing:PublicBaseUrl"] = "http://feeds.agleafeeds.invalid/",
        });
        await using var site = await FixtureSite.StartAsync();
        var feeds = site.AddFarm(Blogs, heldWords: "Please sign up on the rota.");
        // Each blog answers slowly enough for a round to last a few seconds, so that both hosts take batches.
        site.FarmDelay = TimeSpan.FromMilliseconds(250);
        await using var store = new FeedStore(Options.Create(new StorageOptions { Provider = "PostgreSql", ConnectionString = database }));
        await using var a = await HostProcess.StartAsync(TestPaths.NewTempFolder(), settings, []);
        await using var b = await HostProcess.StartAsync(TestPaths.NewTempFolder(), settings, []);
        Assert.NotEqual(a.Name, b.Name);
        // Started on a fresh database: the schema was there before anything read it (Data Protection's key ring).
        Assert.DoesNotContain("fail:", await ReadLogAsync(a), StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", await ReadLogAsync(b), StringComparison.Ordinal);

        // Round 1: the blogs are added with both hosts up; one scheduler run enqueues the batches both hosts work on.
        foreach (var (feed, n) in feeds.Select((f, n) => (f, n)))
        {
            await store.AddSourceAsync(new SourceDefinition($"Farm blog {n}", feed), DateTimeOffset.UtcNow, Ct);
        }

        var round1 = DateTimeOffset.UtcNow;
        await TriggerSchedulerAsync(a);
        await WaitUntilAllPolledSinceAsync(store, database, round1, a, b);

        // The dashboard's Servers page of either host lists both.
        var servers = await a.Http.GetStringAsync("hangfire/servers");
        Assert.Contains(a.Name, servers, StringComparison.Ordinal);
        Assert.Contains(b.Name, servers, StringComparison.Ordinal);
        // The Sources page says which host polled each blog.
        var sourcesPage = await b.Http.GetStringAsync("hangfire/sources");
        Assert.Contains($"by {a.Name}", sourcesPage, StringComparison.Ordinal);
        Assert.Contains($"by {b.Name}", sourcesPage, StringComparison.Ordinal);

        var hits1 = FarmHits(site);
        Assert.All(hits1, h => Assert.Equal(1, h));
        var owners1 = await PolledByAsync(database);
        var shareA = owners1.Count(o => o.StartsWith(a.Name + "/", StringComparison.Ordinal));
        var shareB = owners1.Count(o => o.StartsWith(b.Name + "/", StringComparison.Ordinal));
        Assert.True(shareA > 0 && shareB > 0 && shareA + shareB == Blogs, $"each host polls a share: {a.Name} {shareA}, {b.Name} {shareB}");

        // A decision on A's dashboard is on B's pages and in both hosts' feeds; A's feed validators hold on B.
        var held = await WaitForCommentAsync(store, "reader 0.");
        held = (await store.GetCommentAsync(held.Id, Ct))!;
        Assert.Equal(CommentStatus.Pending, held.Status);
        using (var approve = await DashboardCommand.PostAsync(a.Http, $"hangfire/moderation/approve/{held.Id}/from/Pending"))
        {
            Assert.True(approve.IsSuccessStatusCode, $"approve answered {approve.StatusCode}");
        }

        Assert.Contains("reader 0.", await a.Http.GetStringAsync("feeds/comments.atom"), StringComparison.Ordinal);
        using var fromA = await a.Http.GetAsync("feeds/comments.atom");
        // B serves a change made by another host within a second (FeedRenderer.OtherWritersWithin).
        await RunningHost.WaitUntilAsync(
            async () => (await b.Http.GetStringAsync("feeds/comments.atom")).Contains("reader 0.", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "host B's feed to show the approval");
        using (var conditional = new HttpRequestMessage(HttpMethod.Get, "feeds/comments.atom"))
        {
            conditional.Headers.IfNoneMatch.Add(fromA.Headers.ETag!);
            using var again = await b.Http.SendAsync(conditional);
            Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        }

        Assert.Contains("<small class=\"status\">Approved</small>", await b.Http.GetStringAsync($"hangfire/moderation/comment/{held.Id}"), StringComparison.Ordinal);

        // Round 2: every blog due again; B is killed while it polls its share.
        foreach (var source in await store.ListSourcesAsync(Ct))
        {
            await store.MakeDueAsync(source.Id, DateTimeOffset.UtcNow, Ct);
        }

        var round2 = DateTimeOffset.UtcNow;
        await TriggerSchedulerAsync(a);
        await RunningHost.WaitUntilAsync(async () => (await LeasedByAsync(database, b.Name)).Count > 0, TimeSpan.FromSeconds(60), $"{b.Name} to be polling");
        b.Kill();
        var inFlight = await LeasedByAsync(database, b.Name);
        // Its working leases run out (3 s); A's scheduler (here run from A's dashboard) takes the sources again.
        await RunningHost.WaitUntilAsync(
            async () =>
            {
                if ((await store.ListSourcesAsync(Ct)).All(s => s.LastPolledAt >= round2))
                {
                    return true;
                }

                await TriggerSchedulerAsync(a);
                await Task.Delay(TimeSpan.FromSeconds(2));
                return false;
            },
            TimeSpan.FromSeconds(120),
            "every blog to be polled in round 2");

        var hits2 = FarmHits(site).Zip(hits1, (total, first) => total - first).ToList();
        var sources = await store.ListSourcesAsync(Ct);
        Assert.All(sources, s => Assert.Null(s.LastError));
        Assert.All(sources, s => Assert.Equal((2, 1), (s.PostCount, s.CommentCount)));
        // Polled once each; only a blog B was reading when it died may have been asked twice (B's answer was lost).
        Assert.All(hits2.Select((h, n) => (h, n)), x => Assert.InRange(x.h, 1, 1 + (inFlight.Contains(feeds[x.n]) ? 1 : 0)));
        Assert.True(hits2.Sum() <= Blogs + inFlight.Count, $"round 2: {hits2.Sum()} polls of {Blogs} blogs, {inFlight.Count} in flight at the kill");
        Assert.All(await PolledByAsync(database), o => Assert.StartsWith(a.Name + "/", o, StringComparison.Ordinal));
        output.WriteLine($"round 1: {a.Name} polled {shareA}, {b.Name} {shareB}; round 2: {b.Name} killed with {inFlight.Count} source(s) in flight, {hits2.Sum()} polls of {Blogs} blogs");
        await TestPostgres.DropDatabaseAsync(database);
    }

    private static async Task<string> ReadLogAsync(HostProcess host)
    {
        await using var file = new FileStream(host.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(file);
        return await reader.ReadToEndAsync();
    }

    private static async Task TriggerSchedulerAsync(HostProcess host)
    {
        using var response = await DashboardCommand.PostFormAsync(host.Http, "hangfire/recurring/trigger", [("jobs[]", "poll-scheduler")]);
        Assert.True(response.IsSuccessStatusCode, $"trigger answered {response.StatusCode}");
    }

    /// <summary>Waits for every blog to be polled since <paramref name="since"/>; on a timeout, says which were not and what both hosts logged.</summary>
    private static Task WaitUntilAllPolledSinceAsync(FeedStore store, string database, DateTimeOffset since, params HostProcess[] hosts) => RunningHost.WaitUntilAsync(
        async () => await store.ListSourcesAsync(Ct) is { Count: Blogs } all && all.All(s => s.LastPolledAt >= since),
        TimeSpan.FromSeconds(90),
        "every blog to be polled",
        async () =>
        {
            var unpolled = (await store.ListSourcesAsync(Ct)).Where(s => !(s.LastPolledAt >= since)).Select(s => $"{s.Id} (last polled {s.LastPolledAt:O}, error {s.LastError ?? "none"})");
            var leases = await QueryAsync(database, "SELECT id || ' ' || COALESCE(lease_owner, '-') || ' until ' || COALESCE(lease_until::text, '-') FROM sources ORDER BY id");
            var logs = new List<string>();
            foreach (var host in hosts)
            {
                logs.Add($"--- {host.Name}, last lines of its log:\n{string.Join('\n', (await ReadLogAsync(host)).Split('\n').TakeLast(40))}");
            }

            return $"Not polled since {since:O}: {string.Join("; ", unpolled)}\nleases: {string.Join("; ", leases)}\n{string.Join('\n', logs)}";
        });

    /// <summary>How often each blog's comments feed was asked for: once per poll.</summary>
    private static List<int> FarmHits(FixtureSite site) => Enumerable.Range(0, Blogs).Select(n => site.Hits($"/farm/{n}/comments/feed/")).ToList();

    /// <summary>Who polled each source last (the worker that held its lease).</summary>
    private static Task<List<string>> PolledByAsync(string database) => QueryAsync(database, "SELECT COALESCE(lease_owner, '') FROM sources");

    /// <summary>The feeds of the sources a host's workers hold a lease on now.</summary>
    private static Task<List<string>> LeasedByAsync(string database, string host) =>
        QueryAsync(database, "SELECT feed_url FROM sources WHERE lease_until IS NOT NULL AND lease_owner LIKE @host", ("host", host + "/%"));

    /// <summary>The first column of a query on the hosts' database, straight from PostgreSQL (not through a host).</summary>
    private static async Task<List<string>> QueryAsync(string database, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static async Task<Comment> WaitForCommentAsync(FeedStore store, string text)
    {
        Comment? found = null;
        await RunningHost.WaitUntilAsync(
            async () =>
            {
                foreach (var source in await store.ListSourcesAsync(Ct))
                {
                    foreach (var post in await store.ListPostsAsync(source.Id, Ct))
                    {
                        found ??= (await store.ListCommentsAsync(post.Id, Ct)).FirstOrDefault(c => c.ContentText?.Contains(text, StringComparison.Ordinal) == true);
                    }
                }

                return found is not null && (await store.ListUnscoredCommentsAsync(1, Ct)).Count == 0;
            },
            TimeSpan.FromSeconds(60),
            $"the comment \"{text}\" to be stored and scored");
        return found!;
    }
}
