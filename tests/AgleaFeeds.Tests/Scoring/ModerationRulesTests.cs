using AgleaFeeds.Model;
using AgleaFeeds.Scoring;

namespace AgleaFeeds.Tests.Scoring;

public class ModerationRulesTests
{
    private static IReadOnlyList<string> Reasons(RuleInput input, RulesOptions? options = null) =>
        ModerationRules.Evaluate(input, options ?? new RulesOptions()).Select(h => h.Reason).ToList();

    private static RuleInput Comment(string content, string? author = "Ann", string? url = null, string? email = null) =>
        new() { Content = content, Author = author, AuthorUrl = url, AuthorEmail = email };

    [Theory]
    [InlineData("<p>one <a href=\"http://a.example\">link</a></p>", false)]
    [InlineData("<p><a href=\"http://a.example\">a</a> and <a href=\"http://b.example\">b</a></p>", true)]
    [InlineData("see http://a.example and http://b.example and http://c.example", true)]
    public void Evaluate_WordPressMaxLinksDefault_HoldsAtTwoLinks(string content, bool held)
    {
        Assert.Equal(held, Reasons(Comment(content)).Any(r => r.StartsWith("max-links", StringComparison.Ordinal)));
    }

    /// <summary>What only the blog's moderators see (read with its application password) is matched like WordPress does.</summary>
    [Fact]
    public void Evaluate_KeysAlsoMatchTheIpAndUserAgent_WhereTheBlogsCredentialsReadThem()
    {
        var comment = Comment("Nice post.") with { AuthorIp = "203.0.113.45", UserAgent = "EvilBot/2.0 (+spam)" };

        Assert.Contains("disallowed-key:203.0.113.", Reasons(comment, new RulesOptions { DisallowedKeys = "203.0.113." }));
        Assert.Contains("moderation-key:evilbot", Reasons(comment, new RulesOptions { ModerationKeys = "evilbot" }));
        Assert.DoesNotContain(Reasons(Comment("Nice post."), new RulesOptions { DisallowedKeys = "203.0.113.\nevilbot" }), r => r.StartsWith("disallowed", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_MaxLinksZero_TurnsTheCheckOff()
    {
        Assert.Empty(Reasons(Comment("http://a.example http://b.example"), new RulesOptions { MaxLinks = 0 }));
    }

    [Theory]
    [InlineData("Ann", "https://shop.example/CASINO-deals", null, "nice post")]
    [InlineData("Casino Bob", null, null, "nice post")]
    [InlineData("Ann", null, "bob@casino.example", "nice post")]
    [InlineData("Ann", null, null, "Best CaSiNo here")]
    public void Evaluate_DisallowedKeyInAuthorUrlEmailOrContent_IsSpamCaseInsensitively(string author, string? url, string? email, string content)
    {
        var hits = ModerationRules.Evaluate(Comment(content, author, url, email), new RulesOptions { DisallowedKeys = "viagra\n casino \n" });

        Assert.Contains(hits, h => h is { Reason: "disallowed-key:casino", Action: RuleAction.Spam });
    }

    [Fact]
    public void Evaluate_ModerationKey_Holds()
    {
        var hits = ModerationRules.Evaluate(Comment("call me on whatsapp"), new RulesOptions { ModerationKeys = "WhatsApp" });

        Assert.Contains(hits, h => h is { Reason: "moderation-key:WhatsApp", Action: RuleAction.Hold });
    }

    [Fact]
    public void Evaluate_DuplicateFloodEmptyAndBbCode_EachHaveAReason()
    {
        Assert.Contains("duplicate", Reasons(Comment("hi") with { DuplicateOnPost = true }));
        Assert.Contains("flood", Reasons(Comment("hi") with { SincePreviousByAuthor = TimeSpan.FromSeconds(14) }));
        Assert.DoesNotContain("flood", Reasons(Comment("hi") with { SincePreviousByAuthor = TimeSpan.FromSeconds(15) }));
        Assert.Contains("empty-content", Reasons(Comment("<p> </p>")));
        Assert.Contains("bbcode-link", Reasons(Comment("[url=http://x.example]cheap[/url]")));
    }

    [Fact]
    public void Evaluate_ModeratorLists_TrustAndBlockByAuthorEmailDomainAndUrlDomain()
    {
        var options = new RulesOptions { TrustedEmailDomains = ["agla.example"], BlockedUrlDomains = ["spam.example"] };

        Assert.Contains("trusted-by-moderator", Reasons(Comment("hi", email: "eun@mail.agla.example"), options));
        Assert.Contains("blocked-by-moderator", Reasons(Comment("hi", url: "https://www.shop.spam.example/x"), options));
        Assert.Contains("previously-approved-author", Reasons(Comment("hi") with { AuthorPreviouslyApproved = true }));
        Assert.DoesNotContain("previously-approved-author", Reasons(Comment("hi") with { AuthorPreviouslyApproved = true }, new RulesOptions { TrustPreviouslyApproved = false }));
    }

    [Theory]
    [InlineData(0.05, CommentStatus.Approved)]
    [InlineData(0.1, CommentStatus.Approved)]
    [InlineData(0.5, CommentStatus.Pending)]
    [InlineData(0.9, CommentStatus.Spam)]
    [InlineData(0.99, CommentStatus.Spam)]
    public void Decide_ScoreAlone_FollowsTheThresholds(double score, CommentStatus status)
    {
        Assert.Equal(status, Verdict.Decide(score, [], 0.1, 0.9).Status);
    }

    [Fact]
    public void Decide_RulesAgainstTheScore_SpamRuleWinsHoldRuleHoldsTrustApprovesBelowSpam()
    {
        Assert.Equal(CommentStatus.Spam, Verdict.Decide(0.01, [new RuleHit("duplicate", RuleAction.Spam)], 0.1, 0.9).Status);
        Assert.Equal(CommentStatus.Pending, Verdict.Decide(0.01, [new RuleHit("max-links:2", RuleAction.Hold)], 0.1, 0.9).Status);
        Assert.Equal(CommentStatus.Approved, Verdict.Decide(0.5, [new RuleHit("previously-approved-author", RuleAction.Trust)], 0.1, 0.9).Status);
        Assert.Equal(CommentStatus.Spam, Verdict.Decide(0.95, [new RuleHit("previously-approved-author", RuleAction.Trust)], 0.1, 0.9).Status);
    }

    [Fact]
    public void Decide_NoModel_LeavesItPendingEvenWhenARuleWouldCatchIt()
    {
        var verdict = Verdict.Decide(null, [new RuleHit("duplicate", RuleAction.Spam)], 0.1, 0.9, "no model file");

        Assert.Equal(CommentStatus.Pending, verdict.Status);
        Assert.Contains("model-unavailable: no model file", verdict.Reasons);
        Assert.Contains("duplicate", verdict.Reasons);
    }
}
