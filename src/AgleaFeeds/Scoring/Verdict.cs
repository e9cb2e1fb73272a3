using AgleaFeeds.Model;

namespace AgleaFeeds.Scoring;

/// <summary>What scoring decided for a comment, and why.</summary>
public sealed record Verdict(CommentStatus Status, double? Score, IReadOnlyList<string> Reasons)
{
    /// <summary>
    /// Combines the model's score and the rules: a spam rule is spam; a score at or above the spam
    /// threshold is spam only on strong evidence: not when the comment is unlike the training comments
    /// (the score means little there) nor when its links alone carry it there (a link is weak evidence:
    /// helpful comments link too); those wait for a person. A hold rule, no score, or a score above the
    /// ham threshold (unless the author is trusted) waits for a person; the rest is approved.
    /// </summary>
    public static Verdict Decide(double? score, IReadOnlyList<RuleHit> hits, double hamThreshold, double spamThreshold, string? modelError = null, SpamAssessment? assessment = null)
    {
        ArgumentNullException.ThrowIfNull(hits);
        var reasons = hits.Select(h => h.Reason).ToList();
        if (assessment?.Contacts.Describe() is { } contacts)
        {
            reasons.Add(contacts);
        }

        if (assessment?.Reputation is { } record)
        {
            reasons.Add("moderators' record: " + record);
        }

        if (modelError is not null)
        {
            // Without the model nothing is decided, not even by rules: the comment waits for a person or a model.
            reasons.Add($"model-unavailable: {modelError}");
            return new Verdict(CommentStatus.Pending, score, reasons);
        }

        if (hits.Any(h => h.Action == RuleAction.Spam))
        {
            return new Verdict(CommentStatus.Spam, score, reasons);
        }

        if (score >= spamThreshold)
        {
            if (assessment?.Unfamiliar is { } unlike)
            {
                reasons.Add(FormattableString.Invariant($"score {score:0.000} ≥ spam threshold {spamThreshold:0.00}, but the comment is unlike the training comments ({unlike}): a person decides"));
                return new Verdict(CommentStatus.Pending, score, reasons);
            }

            if (assessment?.WithoutContacts is { } bare && bare < spamThreshold)
            {
                reasons.Add(FormattableString.Invariant($"score {score:0.000} ≥ spam threshold {spamThreshold:0.00} only with its links or contact details ({bare:0.000} without them): a person decides"));
                return new Verdict(CommentStatus.Pending, score, reasons);
            }

            reasons.Add(FormattableString.Invariant($"score {score:0.000} ≥ spam threshold {spamThreshold:0.00}"));
            return new Verdict(CommentStatus.Spam, score, reasons);
        }

        if (hits.Any(h => h.Action == RuleAction.Hold) || score is null)
        {
            return new Verdict(CommentStatus.Pending, score, reasons);
        }

        var trusted = hits.Any(h => h.Action == RuleAction.Trust);
        if (score <= hamThreshold || trusted)
        {
            reasons.Add(trusted ? "trusted author" : FormattableString.Invariant($"score {score:0.000} ≤ ham threshold {hamThreshold:0.00}"));
            return new Verdict(CommentStatus.Approved, score, reasons);
        }

        reasons.Add(FormattableString.Invariant($"score {score:0.000} between the thresholds"));
        return new Verdict(CommentStatus.Pending, score, reasons);
    }
}
