using AgleaFeeds.Model;
using AgleaFeeds.Scoring;
using AgleaFeeds.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AgleaFeeds.Tests.Scoring;

/// <summary>Strong evidence before a comment is caught automatically; the blog's model; the model's versions.</summary>
public class TrustedVerdictTests
{
    private static readonly LabelledComment[] Small =
    [
        .. Enumerable.Range(0, 40).Select(i => new LabelledComment($"Great post number {i}, thanks for the careful reporting about our community meetup and the garden.", false)),
        .. Enumerable.Range(0, 40).Select(i => new LabelledComment($"CHEAP pills {i}!!! buy now at <a href=\"http://spam{i}.example.com\">best price</a> casino bonus win", true)),
    ];

    private static readonly Lazy<SpamModel> Shipped = new(() => SpamModel.Train(Small));

    [Theory]
    [InlineData("public static void Main(string[] args) { var x = new List<int>(); if (x.Count == 0) { return; } }", "code")]
    [InlineData("Спасибо за статью, очень полезно и интересно, жду продолжения", "script")]
    [InlineData("Kubernetes ingress nginx annotations misconfigured upstream timeout websocket proxies", "words")]
    public void Profile_CommentsUnlikeTheTrainingOnes_AreNamedUnfamiliar(string text, string why)
    {
        var reason = Shipped.Value.Profile!.Unfamiliar(text);

        Assert.NotNull(reason);
        Assert.Contains(why switch { "code" => "code", "script" => "script", _ => "words occur" }, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Profile_ACommentLikeTheTrainingOnes_IsFamiliar()
    {
        Assert.Null(Shipped.Value.Profile!.Unfamiliar("Thanks for the great post about the community garden"));
    }

    [Fact]
    public void Profile_TravelsInsideTheModelFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"agleafeeds-model-{Guid.NewGuid():N}.zip");
        Shipped.Value.Save(path);

        var loaded = SpamModel.Load(path);

        Assert.Equal(Shipped.Value.Profile!.Vocabulary, loaded.Profile!.Vocabulary);
        Assert.Equal(Shipped.Value.Profile.MaxLength, loaded.Profile.MaxLength);
    }

    [Fact]
    public void Decide_HighScoreOnAnUnfamiliarComment_WaitsForAPerson()
    {
        var assessment = new SpamAssessment(0.97f, null, "looks like code or a log", ContactFinder.Find(string.Empty));

        var verdict = Verdict.Decide(0.97, [], 0.1, 0.9, assessment: assessment);

        Assert.Equal(CommentStatus.Pending, verdict.Status);
        Assert.Contains("unlike the training comments (looks like code or a log)", string.Join("; ", verdict.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_HighScoreOnlyBecauseOfALink_WaitsForAPerson_ButASpamRuleStillCatches()
    {
        var assessment = new SpamAssessment(0.95f, 0.02f, null, ContactFinder.Find("see https://github.com/x/y"));

        Assert.Equal(CommentStatus.Pending, Verdict.Decide(0.95, [], 0.1, 0.9, assessment: assessment).Status);
        Assert.Equal(CommentStatus.Spam, Verdict.Decide(0.95, [new RuleHit("blocked-by-moderator", RuleAction.Spam)], 0.1, 0.9, assessment: assessment).Status);
        Assert.Equal(CommentStatus.Spam, Verdict.Decide(0.95, [], 0.1, 0.9, assessment: assessment with { WithoutContacts = 0.93f }).Status);
    }

    [Fact]
    public void Assess_AHelpfulLinkInAnOrdinaryComment_IsNotCaughtAutomatically()
    {
        var model = Shipped.Value;
        var options = new ScoringOptions();
        RuleInput[] comments = [new() { Content = "Great post, thanks for the careful reporting; the <a href=\"https://spam7.example.com/x\">minutes</a> are here" }];

        var verdict = Judge.Decide(model, comments, options, new RulesOptions { MaxLinks = 0 })[0];

        Assert.NotEqual(CommentStatus.Spam, verdict.Status);
    }

    [Fact]
    public void Assess_LinksToTheBlogItself_AreNotEvidence()
    {
        var model = Shipped.Value;
        const string Content = "Great post, thanks <a href=\"http://spam3.example.com/meetup\">see the meetup</a> casino bonus win";

        var elsewhere = model.Assess([new ScoringInput(Content, null)])[0];
        var own = model.Assess([new ScoringInput(Content, null, ["blog.spam3.example.com"])])[0];

        Assert.Equal(1, elsewhere.Contacts.Links);
        Assert.Equal((0, 1), (own.Contacts.Links, own.Contacts.OwnLinks));
        Assert.Contains("xlink", elsewhere.Contacts.Masked, StringComparison.Ordinal);
        Assert.DoesNotContain("xlink", own.Contacts.Masked, StringComparison.Ordinal);
        Assert.Null(own.WithoutContacts);
    }

    [Fact]
    public void BlogModel_TooFewDecisions_IsNotUsed()
    {
        Assert.Null(BlogModel.Train(Shipped.Value, [.. Small.Take(3), .. Small.TakeLast(3)]));
    }

    [Fact]
    public void BlogModel_LearnsTheBlogsOwnSpamAndKeepsTheRecordOfItsSites()
    {
        // Spam the shipped model has never seen: a "support number" without a link, and a site the moderators caught twice.
        LabelledComment[] labels =
        [
            .. Enumerable.Range(0, 15).Select(i => new LabelledComment($"Printer support number helpline, dial the toll free technician team {i} for help", true)),
            .. Enumerable.Range(0, 2).Select(i => new LabelledComment($"nice article <a href=\"https://seo-boost.example.net/{i}\">here</a>", true)),
            .. Enumerable.Range(0, 15).Select(i => new LabelledComment($"I tried the garden plan at our meetup {i} and it worked well", false)),
        ];
        var shipped = Shipped.Value;
        var blog = BlogModel.Train(shipped, labels)!;
        var probe = new[] { new ScoringInput("Call the printer support number helpline, toll free technician", null), new ScoringInput("good read <a href=\"https://seo-boost.example.net/new\">x</a>", null) };

        var before = shipped.Assess(probe);
        var after = blog.Assess(before, [(null, null), (null, null)]);

        Assert.Equal(labels.Length, blog.Labels);
        Assert.True(after[0].Score > before[0].Score && after[0].Score > 0.5, $"before {before[0].Score}, after {after[0].Score}");
        Assert.Equal("site example.net: 2 spam, 0 approved", after[1].Reputation);
        // A site moderators caught again and again is evidence on its own: the link-only gate no longer applies.
        Assert.Null(after[1].WithoutContacts);
    }

    [Fact]
    public void Provider_NeverSavesAModelIdenticalToTheOneInUse_AndPrunesOldVersions()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"agleafeeds-versions-{Guid.NewGuid():N}");
        var shippedPath = Path.Combine(folder, "shipped.zip");
        Directory.CreateDirectory(folder);
        Shipped.Value.Save(shippedPath);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero));
        var provider = new SpamModelProvider(Options.Create(new ScoringOptions { ModelPath = shippedPath }), Options.Create(new StorageOptions { DataDirectory = folder }), time);

        Assert.Null(provider.Save(SpamModel.Train(Small), "same data", time.GetUtcNow()));

        var other = SpamModel.Train(Small.Skip(1));
        var first = provider.Save(other, "first", time.GetUtcNow())!;
        provider.Activate(first);
        for (var i = 0; i < SpamModelProvider.KeepVersions + 2; i++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            Assert.NotNull(provider.Save(SpamModel.Train(Small.Skip(2 + i)), $"v{i}", time.GetUtcNow()));
        }

        var versions = provider.Versions();
        Assert.Equal(SpamModelProvider.KeepVersions + 1, versions.Count);
        Assert.Contains(first, versions);
    }

    [Fact]
    public void Provider_PicksUpAVersionPromotedByAnotherProcess()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"agleafeeds-versions-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var shippedPath = Path.Combine(folder, "shipped.zip");
        Shipped.Value.Save(shippedPath);
        var time = new FakeTimeProvider();
        SpamModelProvider Create() => new(Options.Create(new ScoringOptions { ModelPath = shippedPath }), Options.Create(new StorageOptions { DataDirectory = folder }), time);
        var service = Create();
        var cli = Create();
        Assert.StartsWith("shipped-", service.Version, StringComparison.Ordinal);

        var version = cli.Save(SpamModel.Train(Small.Skip(1)), "from the command line", time.GetUtcNow())!;
        cli.Activate(version);
        Assert.StartsWith("shipped-", service.Version, StringComparison.Ordinal);
        time.Advance(SpamModelProvider.RecheckEvery);

        Assert.Equal(version, service.Version);
    }
}
