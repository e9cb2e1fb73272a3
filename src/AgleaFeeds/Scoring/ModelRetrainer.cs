using AgleaFeeds.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Scoring;

/// <summary>
/// Learns from the moderators: trains on the corpus (when it is on disk) plus this blog's decisions,
/// weighted so a few hundred of them matter; measures the candidate and the model in use on the
/// held-out corpus sets and, by 3-fold cross-validation, on every local label (each fold's candidate
/// never saw the labels it is measured on, and all labels count, so a few hundred of them can show a
/// gain); promotes the candidate only if it is not worse, and never one identical to the model in
/// use. The newest promoted versions are kept and can be activated again (rollback).
/// </summary>
public sealed partial class ModelRetrainer(
    IFeedStore store,
    SpamModelProvider models,
    IOptions<ScoringOptions> options,
    TimeProvider time,
    ILogger<ModelRetrainer> logger)
{
    /// <summary>How many folds the local labels are measured in.</summary>
    public const int Folds = 3;

    /// <summary>Retrains once; the result says what was used, the figures, and whether the candidate was promoted.</summary>
    public async Task<RetrainResult> RetrainAsync(CancellationToken ct)
    {
        var o = options.Value;
        var labels = await store.ListModeratorLabelsAsync(ct).ConfigureAwait(false);
        var local = labels.Select(l => l.Label with { Weight = o.LocalLabelWeight }).ToList();
        CorpusSplit? corpus = null;
        try
        {
            corpus = SpamTraining.Split(o.CorpusPath, o.VideoCommentWeight);
        }
        catch (FileNotFoundException)
        {
            // A user's machine has no corpus: local labels alone, if there are enough of them.
        }

        var used = $"{labels.Count} moderator label(s) ({labels.Count(l => l.Label.IsSpam)} spam{(labels.Count >= Folds ? $", measured by {Folds}-fold cross-validation" : string.Empty)})"
            + (corpus is null ? $", no corpus at {Path.GetFullPath(o.CorpusPath)}" : $", corpus {Path.GetFullPath(o.CorpusPath)} ({corpus.Training.Count} to train)");
        if (corpus is null && (labels.Count < o.MinLocalLabels || !labels.Any(l => l.Label.IsSpam) || labels.All(l => l.Label.IsSpam)))
        {
            return Refused($"Scoring: retrain refused: {used}; without the corpus at least {o.MinLocalLabels} labels of both kinds are needed (Scoring:MinLocalLabels).");
        }

        var candidate = SpamModel.Train([.. corpus?.Training ?? [], .. local]);
        var sets = new List<(string Name, IReadOnlyList<LabelledComment> Set, SpamMetrics Candidate)>();
        if (corpus is not null)
        {
            sets.Add(("held-out video", corpus.HeldOutVideo, candidate.Evaluate(corpus.HeldOutVideo).Metrics));
            sets.Add(("held-out SMS", corpus.HeldOutSms, candidate.Evaluate(corpus.HeldOutSms).Metrics));
        }

        if (labels.Count >= Folds && labels.Any(l => l.Label.IsSpam) && !labels.All(l => l.Label.IsSpam))
        {
            // Each fold scored by a candidate trained without it; the scores pooled over all the labels.
            var pooled = new List<(float Score, bool IsSpam)>();
            for (var fold = 0; fold < Folds; fold++)
            {
                var f = fold;
                var foldModel = SpamModel.Train([.. corpus?.Training ?? [], .. local.Where((_, i) => i % Folds != f)]);
                pooled.AddRange(foldModel.Evaluate(local.Where((_, i) => i % Folds == f).ToList()).Scores);
            }

            sets.Add(($"local labels ({Folds}-fold cross-validation)", local, SpamMetrics.Compute(pooled, 0.5, auc: 0)));
        }

        var figures = new List<string>();
        var notWorse = true;
        foreach (var (name, set, c) in sets)
        {
            var current = models.Model?.Evaluate(set).Metrics;
            var inUse = current is null ? string.Empty : FormattableString.Invariant($" (in use: F1 {current.F1:0.000} ham FPR {current.HamFalsePositiveRate:0.000})");
            figures.Add(FormattableString.Invariant($"{name}: F1 {c.F1:0.000} ham FPR {c.HamFalsePositiveRate:0.000}{inUse}"));
            notWorse &= current is null || (c.F1 >= current.F1 - o.PromotionTolerance && c.HamFalsePositiveRate <= current.HamFalsePositiveRate + o.PromotionTolerance);
        }

        if (!notWorse)
        {
            return Refused($"Scoring: candidate not promoted, worse than the model in use: {string.Join("; ", figures)}. Used {used}.");
        }

        if (models.Save(candidate, $"used: {used}\n{string.Join('\n', figures)}", time.GetUtcNow()) is not { } version)
        {
            return Refused($"Scoring: candidate not promoted: identical to the model in use ({models.Version}). Used {used}.");
        }

        models.Activate(version);
        var message = $"Scoring: promoted model {version}: {string.Join("; ", figures)}. Used {used}.";
        LogRetrained(logger, message);
        return new RetrainResult(true, version, message);

        RetrainResult Refused(string why)
        {
            LogRetrained(logger, why);
            return new RetrainResult(false, null, why);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Message}")]
    private static partial void LogRetrained(ILogger logger, string message);
}

/// <summary>What a retrain did.</summary>
public sealed record RetrainResult(bool Promoted, string? Version, string Message);
