using System.Net;
using System.Text.RegularExpressions;
using AgleaFeeds.Host.Tests.Fixtures;
using AgleaFeeds.Model;

namespace AgleaFeeds.Host.Tests.Dashboard;

public sealed partial class ModerationTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private FixtureSite _site = null!;
    private RunningHost _host = null!;

    public async Task InitializeAsync()
    {
        _site = await FixtureSite.StartAsync();
        _host = await RunningHost.StartAsync(TestPaths.NewTempFolder(), _site.PostsFeed);
        await _host.WaitUntilSampleJudgedAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _site.DisposeAsync();
    }

    [Fact]
    public async Task CheckTheQueueAgain_ScoresEveryUndecidedWaitingCommentOnceMore()
    {
        var pending = (await _host.CommentsAsync()).Where(c => c.Status == CommentStatus.Pending).ToList();
        var decided = pending[0];
        Assert.True(await _host.Store.RecordDecisionAsync(decided.Id, CommentStatus.Pending, "moderator-ann", "looking into it", DateTimeOffset.UtcNow, Ct));
        var page = await _host.Http.GetStringAsync("hangfire/moderation");

        var recheck = await DashboardCommand.PostAsync(_host.Http, "hangfire/moderation/recheck");
        // The job is enqueued; running the scorer here as well changes nothing twice (each comment is re-judged once).
        await _host.App.Services.GetRequiredService<AgleaFeeds.Scoring.CommentScorer>().ScorePendingAsync(100, Ct);

        Assert.Contains("Check the queue again", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, recheck.StatusCode);
        foreach (var comment in pending)
        {
            var verdicts = (await _host.Store.ListEventsAsync(comment.Id, Ct)).Count(e => e.Actor.StartsWith("scoring:", StringComparison.Ordinal));
            // A comment a moderator has taken up is theirs: it is not re-judged.
            Assert.Equal(comment.Id == decided.Id ? 1 : 2, verdicts);
        }
    }

    [Fact]
    public async Task Queue_ShowsPendingCommentsWithScoreReasonsAndParentAndABadge()
    {
        var page = await _host.Http.GetStringAsync("hangfire/moderation");

        Assert.Contains("Daniel Park", page, StringComparison.Ordinal);
        Assert.Contains("between the thresholds", page, StringComparison.Ordinal);
        Assert.Contains("label label-warning score", page, StringComparison.Ordinal);
        Assert.Contains("in reply to", page, StringComparison.Ordinal);
        Assert.Contains(">Moderation", page, StringComparison.Ordinal);
        Assert.Matches(@"Moderation\s*<span data-metric=""agleafeeds:pending"" class=""metric metric-warning "">4</span>", page);
        var spamTab = await _host.Http.GetStringAsync("hangfire/moderation?status=Spam");
        Assert.Contains("Best Cheap SEO Services", spamTab, StringComparison.Ordinal);
        Assert.Contains("[http://cheap-seo-backlinks.example.net/buy]", spamTab, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queue_TabsCountEachStatusAndPagingSaysWhereYouAre()
    {
        var counts = await _host.Store.CountCommentsByStatusAsync(Ct);

        var page = await _host.Http.GetStringAsync("hangfire/moderation?status=Approved");

        foreach (var status in Enum.GetValues<CommentStatus>())
        {
            Assert.Contains($"<span class=\"badge tab-count\" data-status=\"{status}\">{counts.GetValueOrDefault(status)}</span>", page, StringComparison.Ordinal);
        }

        Assert.Contains("waiting for a person", page, StringComparison.Ordinal);
        Assert.Contains("caught as spam today", page, StringComparison.Ordinal);
        // The sample's approved comments fit on one page: no pager, and the empty-state note stays hidden.
        Assert.DoesNotContain("class=\"pager\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"moderation-empty\" hidden", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostsPage_HidesAndShowsAPost_RescrapesIt_LinksToItsComments()
    {
        var daniel = await _host.CommentAsync(101);
        var post = (await _host.Store.GetPostAsync(daniel.PostId, Ct))!;
        var page = await _host.Http.GetStringAsync("hangfire/posts");
        Assert.Contains($"href=\"/hangfire/moderation?status=Pending&amp;post={post.Id}\"", page, StringComparison.Ordinal);
        Assert.Contains($"data-ajax=\"/hangfire/posts/hide/{post.Id}\"", page, StringComparison.Ordinal);
        await DashboardCommand.PostAsync(_host.Http, $"hangfire/moderation/approve/{daniel.Id}/from/Pending");
        await RunningHost.WaitUntilAsync(async () => (await _host.Http.GetStringAsync("feeds/all.atom")).Contains("#comment-101", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the approved comment to be published");

        var hide = await DashboardCommand.PostAsync(_host.Http, $"hangfire/posts/hide/{post.Id}");
        await RunningHost.WaitUntilAsync(async () => !(await _host.Http.GetStringAsync("feeds/all.atom")).Contains(post.Link!, StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the hidden post to leave the feeds");
        var hiddenPage = await _host.Http.GetStringAsync("hangfire/posts");
        var comments = await _host.Http.GetStringAsync("feeds/comments.atom");
        var show = await DashboardCommand.PostAsync(_host.Http, $"hangfire/posts/show/{post.Id}");
        await RunningHost.WaitUntilAsync(async () => (await _host.Http.GetStringAsync("feeds/all.atom")).Contains("#comment-101", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the shown post and its comments to return");
        var scrapedBefore = post.ScrapedAt;
        var rescrape = await DashboardCommand.PostAsync(_host.Http, $"hangfire/posts/rescrape/{post.Id}");
        await RunningHost.WaitUntilAsync(async () => (await _host.Store.GetPostAsync(post.Id, Ct))!.ScrapedAt > scrapedBefore, TimeSpan.FromSeconds(30), "the rescrape");
        var unknown = await DashboardCommand.PostAsync(_host.Http, "hangfire/posts/hide/999999");

        Assert.Equal(HttpStatusCode.NoContent, hide.StatusCode);
        Assert.Contains("hidden-label", hiddenPage, StringComparison.Ordinal);
        Assert.Contains($"data-ajax=\"/hangfire/posts/show/{post.Id}\"", hiddenPage, StringComparison.Ordinal);
        Assert.DoesNotContain("#comment-101", comments, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, show.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, rescrape.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
    }

    [Fact]
    public async Task Queue_SearchReasonFilterAndScoreOrder_NarrowAndSort()
    {
        var byText1 = await _host.Http.GetStringAsync("hangfire/moderation?status=Pending&q=careful%20reporting");
        var byText = await _host.Http.GetStringAsync("hangfire/moderation?status=Spam&q=backlinks");
        var byReason = await _host.Http.GetStringAsync("hangfire/moderation?status=Spam&reason=bbcode");
        var byScore = await _host.Http.GetStringAsync("hangfire/moderation?status=Approved&order=score");
        var scores = ScoreLabel().Matches(byScore).Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.Single(Row().Matches(byText1));
        Assert.Contains("Daniel Park", byText1, StringComparison.Ordinal);
        Assert.Contains("Best Cheap SEO Services", byText, StringComparison.Ordinal);
        Assert.DoesNotContain("replica", byText, StringComparison.Ordinal);
        Assert.Contains("cheap replica watches", byReason, StringComparison.Ordinal);
        Assert.DoesNotContain("Best Cheap SEO Services", byReason, StringComparison.Ordinal);
        Assert.True(scores.Count >= 10);
        Assert.Equal(scores.OrderByDescending(x => x), scores);
    }

    [Fact]
    public async Task Approve_WithTheAntiforgeryToken_AppliesAndRecordsTheModerator()
    {
        var daniel = await _host.CommentAsync(101);

        var response = await DashboardCommand.PostAsync(_host.Http, $"hangfire/moderation/approve/{daniel.Id}/from/Pending");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(CommentStatus.Approved, (await _host.CommentAsync(101)).Status);
        var decision = (await _host.Store.ListEventsAsync(daniel.Id, Ct)).Last();
        Assert.Equal(("local", CommentStatus.Pending, CommentStatus.Approved), (decision.Actor, decision.From!.Value, decision.To));
        Assert.Contains("#comment-101", await _host.Http.GetStringAsync("feeds/comments.atom"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithoutTheAntiforgeryToken_Is403AndChangesNothing()
    {
        var daniel = await _host.CommentAsync(101);

        var response = await DashboardCommand.PostAsync(_host.Http, $"hangfire/moderation/spam/{daniel.Id}/from/Pending", withToken: false);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(CommentStatus.Pending, (await _host.CommentAsync(101)).Status);
    }

    [Fact]
    public async Task DecisionSomeoneElseTookFirst_OrUnknownComment_Is422AndNothingIsOverwritten()
    {
        var daniel = await _host.CommentAsync(101);
        await _host.Store.RecordDecisionAsync(daniel.Id, CommentStatus.Spam, "moderator-bob", null, DateTimeOffset.UtcNow, Ct);

        var stale = await DashboardCommand.PostAsync(_host.Http, $"hangfire/moderation/approve/{daniel.Id}/from/Pending");
        var unknown = await DashboardCommand.PostAsync(_host.Http, "hangfire/moderation/approve/999999/from/Pending");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, stale.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Equal(CommentStatus.Spam, (await _host.CommentAsync(101)).Status);
    }

    [Fact]
    public async Task BulkDecision_SaysPerCommentWhatHappened_AndOverwritesNothing()
    {
        var daniel = await _host.CommentAsync(101);
        var anna = await _host.CommentAsync(102);
        await _host.Store.RecordDecisionAsync(anna.Id, CommentStatus.Spam, "moderator-bob", null, DateTimeOffset.UtcNow, Ct);

        var response = await DashboardCommand.PostFormAsync(_host.Http, "hangfire/moderation/decide",
            [("action", "approve"), ("from", "Pending"), ("ids[]", $"{daniel.Id}"), ("ids[]", $"{anna.Id}"), ("ids[]", "999999")]);
        var results = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("results")
            .EnumerateArray().Select(r => (r.GetProperty("id").GetInt64(), r.GetProperty("outcome").GetString(), r.GetProperty("status").GetString())).ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([(daniel.Id, "Applied", "Approved"), (anna.Id, "Conflict", "Spam"), (999999L, "UnknownComment", null)], results);
        Assert.Equal(CommentStatus.Approved, (await _host.CommentAsync(101)).Status);
        Assert.Equal(CommentStatus.Spam, (await _host.CommentAsync(102)).Status);
        Assert.Equal("moderator-bob", (await _host.Store.ListEventsAsync(anna.Id, Ct)).Last().Actor);
    }

    [Fact]
    public async Task OversizedBulkRequest_Is413WithAClearMessage_AndChangesNothing()
    {
        var pending = (await _host.CommentsAsync()).Where(c => c.Status == CommentStatus.Pending).ToList();
        var ids = pending.Select(c => c.Id).Concat(Enumerable.Range(1_000_000, 101 - pending.Count).Select(i => (long)i));

        var response = await DashboardCommand.PostFormAsync(_host.Http, "hangfire/moderation/decide",
            [("action", "spam"), ("from", "Pending"), .. ids.Select(id => ("ids[]", $"{id}"))]);
        var error = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("At most 100 comments can be decided at once; 101 were sent. Nothing was changed.", error);
        Assert.All(pending, c => Assert.Equal(CommentStatus.Pending, _host.Store.GetCommentAsync(c.Id, Ct).Result!.Status));
    }

    [Fact]
    public async Task Decide_WithoutTheAntiforgeryToken_Is403()
    {
        var daniel = await _host.CommentAsync(101);

        var response = await DashboardCommand.PostFormAsync(_host.Http, "hangfire/moderation/decide", [("action", "spam"), ("from", "Pending"), ("ids[]", $"{daniel.Id}")], withToken: false);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(CommentStatus.Pending, (await _host.CommentAsync(101)).Status);
    }

    [Fact]
    public async Task Queue_FiltersBySourceAndPost()
    {
        var daniel = await _host.CommentAsync(101);
        var source = (await _host.Store.ListSourcesAsync(Ct)).Single();

        var onePost = await _host.Http.GetStringAsync($"hangfire/moderation?status=Pending&post={daniel.PostId}");
        var oneSource = await _host.Http.GetStringAsync($"hangfire/moderation?status=Pending&source={source.Id}");
        var otherSource = await _host.Http.GetStringAsync($"hangfire/moderation?status=Pending&source={source.Id + 1}");

        Assert.Equal(2, Row().Matches(onePost).Count);
        Assert.Contains("one post ×", onePost, StringComparison.Ordinal);
        Assert.DoesNotContain("Grace Cho", onePost, StringComparison.Ordinal);
        Assert.Equal(4, Row().Matches(oneSource).Count);
        Assert.Contains("Nothing here.", otherSource, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lists_BlockFromACommentPage_AddFromTheForm_Remove()
    {
        Assert.Contains("No one is trusted or blocked yet.", await _host.Http.GetStringAsync("hangfire/moderation/lists"), StringComparison.Ordinal);
        var daniel = await _host.CommentAsync(101);
        Assert.Contains("Block website danielpark.example.com", await _host.Http.GetStringAsync($"hangfire/moderation/comment/{daniel.Id}"), StringComparison.Ordinal);

        var block = await DashboardCommand.PostAsync(_host.Http, $"hangfire/moderation/lists/Block/UrlDomain/comment/{daniel.Id}");
        Task<string> AddAsync(string kind, string value) =>
            DashboardCommand.SubmitAsync(_host.Http, "hangfire/moderation/lists", "hangfire/moderation/lists/add", [("action", "Trust"), ("kind", kind), ("value", value)]);
        var added = await AddAsync("EmailDomain", "someone@Example.ORG");
        var refused = await AddAsync("EmailDomain", "no domain here");
        var entries = await _host.Store.ListAuthorRulesAsync(Ct);

        Assert.Equal(HttpStatusCode.NoContent, block.StatusCode);
        Assert.Contains("example.org", added, StringComparison.Ordinal);
        Assert.Contains("&quot;no domain here&quot; is not a valid e-mail domain. Nothing was added.", refused, StringComparison.Ordinal);
        Assert.Equal([(AuthorRuleKind.EmailDomain, "example.org", AuthorRuleAction.Trust), (AuthorRuleKind.UrlDomain, "danielpark.example.com", AuthorRuleAction.Block)], entries.Select(e => (e.Kind, e.Value, e.Action)));
        Assert.Equal(HttpStatusCode.NoContent, (await DashboardCommand.PostAsync(_host.Http, $"hangfire/moderation/lists/remove/{entries[0].Id}")).StatusCode);
        Assert.Single(await _host.Store.ListAuthorRulesAsync(Ct));
    }

    [Fact]
    public async Task ModelPage_ShowsTheModelInUseWithItsFigures_RollsBackAndForth_RetrainsOnDemand()
    {
        var models = _host.App.Services.GetRequiredService<AgleaFeeds.Scoring.SpamModelProvider>();
        const string Note = "used: 12 moderator label(s)\nheld-out local labels: F1 0.900 ham FPR 0.000";
        if (_host.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AgleaFeeds.Storage.StorageOptions>>().Value.IsPostgreSql)
        {
            // Several hosts: saved versions are in the store.
            await _host.App.Services.GetRequiredService<AgleaFeeds.Storage.ISharedStateStore>().SaveModelVersionAsync(
                new AgleaFeeds.Storage.StoredModelVersion("20260101T000000Z", await File.ReadAllBytesAsync(TestPaths.Model), Note, DateTimeOffset.UtcNow), Ct);
        }
        else
        {
            Directory.CreateDirectory(models.VersionsFolder);
            File.Copy(TestPaths.Model, Path.Combine(models.VersionsFolder, "20260101T000000Z.zip"));
            await File.WriteAllTextAsync(Path.Combine(models.VersionsFolder, "20260101T000000Z.txt"), Note);
        }

        var page = await _host.Http.GetStringAsync("hangfire/model");
        var activate = await DashboardCommand.PostAsync(_host.Http, "hangfire/model/activate/20260101T000000Z");
        var after = await _host.Http.GetStringAsync("hangfire/model");
        var missing = await DashboardCommand.PostAsync(_host.Http, "hangfire/model/activate/20990101T000000Z");
        var back = await DashboardCommand.PostAsync(_host.Http, "hangfire/model/activate/shipped");
        var retrain = await DashboardCommand.PostAsync(_host.Http, "hangfire/model/retrain");

        Assert.Matches(@"<dd class=""model-version""><strong>shipped model ([0-9a-f]{12})</strong> <code class=""text-muted"">shipped-\1</code>", page);
        Assert.All(File.ReadAllLines(Path.ChangeExtension(TestPaths.Model, ".txt")), line => Assert.Contains(WebUtility.HtmlEncode(line), page, StringComparison.Ordinal));
        Assert.Contains("held-out video (Youtube03-LMFAO.csv): F1 0.", page, StringComparison.Ordinal);
        Assert.Contains("Retrain now", page, StringComparison.Ordinal);
        Assert.Contains("Use this version", page, StringComparison.Ordinal);
        // No decision yet on this blog: its own model waits for them, and says how many it needs.
        Assert.Contains("<dd class=\"model-blog\">Not yet: it needs 10 decisions with at least 3 spam and 3 approved (now 0 spam, 0 approved).</dd>", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, activate.StatusCode);
        Assert.Contains("<dd class=\"model-version\"><strong>model trained 2026-01-01 00:00 UTC</strong> <code class=\"text-muted\">20260101T000000Z</code>", after, StringComparison.Ordinal);
        Assert.Contains("held-out local labels: F1 0.900", after, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, back.StatusCode);
        Assert.StartsWith("shipped-", models.Version, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, retrain.StatusCode);
        var storage = _host.App.Services.GetRequiredService<Hangfire.JobStorage>();
        using var connection = storage.GetConnection();
        var jobId = Assert.Single(Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection), j => j.Id == Jobs.RetrainJob.RecurringJobId).LastJobId;
        string? result = null;
        await RunningHost.WaitUntilAsync(
            () => Task.FromResult((result = storage.GetMonitoringApi().JobDetails(jobId)?.History.FirstOrDefault(h => h.StateName == "Succeeded")?.Data is { } data && data.TryGetValue("Result", out var r) ? r : null) is not null),
            TimeSpan.FromSeconds(30),
            "the retrain the button started");
        Assert.Contains("retrain refused", result, StringComparison.Ordinal);
        Assert.Contains("no corpus at", result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Menu_ShowsSpamCaughtToday()
    {
        var page = await _host.Http.GetStringAsync("hangfire/moderation");

        Assert.Matches(@"<span data-metric=""agleafeeds:spam-today"" class=""metric metric-danger "">2</span>", page);
    }

    [Fact]
    public async Task Restore_PutsADecidedCommentBackInTheQueue()
    {
        var spam = await _host.CommentAsync(103);

        var response = await DashboardCommand.PostAsync(_host.Http, $"hangfire/moderation/restore/{spam.Id}/from/Spam");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("Best Cheap SEO Services", await _host.Http.GetStringAsync("hangfire/moderation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommentPage_ShowsEveryVerdictAndDecisionWithWhoAndWhy()
    {
        var spam = await _host.CommentAsync(103);
        await DashboardCommand.PostAsync(_host.Http, $"hangfire/moderation/restore/{spam.Id}/from/Spam");

        var page = await _host.Http.GetStringAsync($"hangfire/moderation/comment/{spam.Id}");

        Assert.Contains("Comment by Best Cheap SEO Services", page, StringComparison.Ordinal);
        Assert.Contains($"data-ajax=\"/hangfire/moderation/spam/{spam.Id}/from/Pending\"", page, StringComparison.Ordinal);
        // Who decided, as a person reads it; the raw actor in the title.
        Assert.Contains("title=\"system\">AgleaFeeds<", page, StringComparison.Ordinal);
        Assert.Matches("title=\"scoring:shipped-[0-9a-f]{12}\">automatic \\(shipped model [0-9a-f]{12}\\)<", page);
        Assert.Contains("max-links:2", page, StringComparison.Ordinal);
        Assert.Contains(">local<", page, StringComparison.Ordinal);
        Assert.Contains("Comment not found", await _host.Http.GetStringAsync("hangfire/moderation/comment/999999"), StringComparison.Ordinal);
        var daniel = await _host.Http.GetStringAsync($"hangfire/moderation/comment/{(await _host.CommentAsync(101)).Id}");
        Assert.Contains("Daniel Park's record on this blog: 1 pending, 1 approved, 0 spam, 0 rejected", WebUtility.HtmlDecode(daniel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SourcesPage_PollNowPollsAtOnceAndOpmlExportListsTheSource()
    {
        var source = (await _host.Store.ListSourcesAsync(Ct)).Single();

        var response = await DashboardCommand.PostAsync(_host.Http, $"hangfire/sources/poll/{source.Id}");
        await RunningHost.WaitUntilAsync(async () => (await _host.Store.GetSourceAsync(source.Id, Ct))!.LastPolledAt > source.LastPolledAt, TimeSpan.FromSeconds(30), "the poll now");
        var opml = await _host.Http.GetStreamAsync("hangfire/sources/opml");
        var exported = AgleaFeeds.Sources.OpmlDocument.Read(opml);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await DashboardCommand.PostAsync(_host.Http, "hangfire/sources/poll/999999")).StatusCode);
        Assert.Equal(source.FeedUrl, Assert.Single(exported).FeedUrl);
        Assert.Contains("Poll now", await _host.Http.GetStringAsync("hangfire/sources"), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"class=""comment-row""")]
    private static partial Regex Row();

    [GeneratedRegex(@"score"">([0-9.]+)</span>")]
    private static partial Regex ScoreLabel();

}
