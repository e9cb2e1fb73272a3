using System.Globalization;
using AgleaFeeds.Model;

namespace AgleaFeeds.Scoring;

/// <summary>
/// Decides comments as the service does, one path for the scoring job and the command line: the
/// model's assessment (score, links, familiarity), the rules and moderators' lists, the thresholds.
/// </summary>
public static class Judge
{
    /// <summary>Decides a batch; <paramref name="model"/> null means no model (<paramref name="modelError"/> says why): everything waits.</summary>
    public static IReadOnlyList<Verdict> Decide(
        SpamModel? model,
        IReadOnlyList<RuleInput> comments,
        ScoringOptions options,
        RulesOptions rules,
        string? modelError = null,
        BlogModel? blog = null)
    {
        ArgumentNullException.ThrowIfNull(comments);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rules);
        var assessments = model is null ? null : Assess(model, comments, options, blog);
        return Decide(assessments, comments, options, rules, model is null ? modelError ?? "no model" : null);
    }

    /// <summary>The model's (and the blog's model's) assessment of a batch, evidence weighed only for comments that could be caught: those at or above the spam threshold.</summary>
    internal static IReadOnlyList<SpamAssessment> Assess(SpamModel model, IReadOnlyList<RuleInput> comments, ScoringOptions options, BlogModel? blog)
    {
        var evidenceFrom = (float)options.SpamThreshold;
        var assessments = model.Assess(comments.Select(c => new ScoringInput(c.Content ?? string.Empty, c.AuthorUrl, c.OwnHosts)).ToList(), evidenceFrom);
        return blog is null ? assessments : blog.Assess(assessments, comments.Select(c => (c.Author, c.AuthorUrl)).ToList(), evidenceFrom);
    }

    /// <summary>Verdicts from assessments already made (null: no model, everything waits) and the rules.</summary>
    internal static IReadOnlyList<Verdict> Decide(IReadOnlyList<SpamAssessment>? assessments, IReadOnlyList<RuleInput> comments, ScoringOptions options, RulesOptions rules, string? modelError)
    {
        var verdicts = new Verdict[comments.Count];
        for (var i = 0; i < comments.Count; i++)
        {
            var hits = ModerationRules.Evaluate(comments[i], rules);
            var assessment = assessments?[i];
            verdicts[i] = Verdict.Decide(assessment?.Score, hits, options.HamThreshold, options.SpamThreshold, modelError, assessment);
        }

        return verdicts;
    }

    /// <summary>Labelled comments as the rules see them.</summary>
    internal static List<RuleInput> Inputs(IEnumerable<LabelledComment> examples) =>
        examples.Select(e => new RuleInput { Author = e.Author, AuthorUrl = e.AuthorUrl, AuthorEmail = e.AuthorEmail, Content = e.Content }).ToList();

    /// <summary>Decides labelled comments and counts the verdicts against their labels.</summary>
    public static VerdictFigures Measure(SpamModel model, IReadOnlyList<LabelledComment> examples, ScoringOptions options, RulesOptions? rules = null, BlogModel? blog = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(options);
        var verdicts = Decide(model, Inputs(examples), options, rules ?? options.Rules, blog: blog);
        return VerdictFigures.Count(verdicts.Select((v, i) => (v.Status, examples[i].IsSpam)));
    }
}

/// <summary>What moderators and readers see of a model at the configured thresholds: each label's comments approved, waiting, caught.</summary>
public sealed record VerdictFigures(int HamApproved, int HamWaiting, int HamCaught, int SpamApproved, int SpamWaiting, int SpamCaught)
{
    public int Ham => HamApproved + HamWaiting + HamCaught;

    public int Spam => SpamApproved + SpamWaiting + SpamCaught;

    /// <summary>Gets the share of legitimate comments caught as spam automatically: the costly error.</summary>
    public double HamCaughtRate => Ham == 0 ? 0 : (double)HamCaught / Ham;

    /// <summary>Gets the share of spam approved automatically.</summary>
    public double SpamApprovedRate => Spam == 0 ? 0 : (double)SpamApproved / Spam;

    /// <summary>Gets the share of all comments sent to a person.</summary>
    public double ToPersonRate => Ham + Spam == 0 ? 0 : (double)(HamWaiting + SpamWaiting) / (Ham + Spam);

    /// <summary>Gets F1 of the automatic catch (spam caught automatically against all spam and all caught).</summary>
    public double CaughtF1 => SpamCaught == 0 ? 0 : 2.0 * SpamCaught / (2.0 * SpamCaught + HamCaught + SpamApproved + SpamWaiting);

    /// <summary>Counts verdicts against labels.</summary>
    public static VerdictFigures Count(IEnumerable<(CommentStatus Status, bool IsSpam)> verdicts)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        int ha = 0, hw = 0, hc = 0, sa = 0, sw = 0, sc = 0;
        foreach (var (status, spam) in verdicts)
        {
            switch (status, spam)
            {
                case (CommentStatus.Approved, false): ha++; break;
                case (CommentStatus.Spam, false): hc++; break;
                case (_, false): hw++; break;
                case (CommentStatus.Approved, true): sa++; break;
                case (CommentStatus.Spam, true): sc++; break;
                default: sw++; break;
            }
        }

        return new VerdictFigures(ha, hw, hc, sa, sw, sc);
    }

    /// <summary>One line for the command line and the model notes.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"ham caught automatically {HamCaught} of {Ham} ({HamCaughtRate:0.0 %}), waiting {HamWaiting}, approved {HamApproved}; spam approved automatically {SpamApproved} of {Spam} ({SpamApprovedRate:0.0 %}), waiting {SpamWaiting}, caught {SpamCaught}; to a person {HamWaiting + SpamWaiting} ({ToPersonRate:0.0 %})");
}
