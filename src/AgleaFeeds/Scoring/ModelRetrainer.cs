using System.Globalization;
using AgleaFeeds.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Scoring;

/// <summary>
/// Learns from the moderators: trains on the corpus (when it is on disk) plus this blog's decisions,
/// weighted so a few hundred of them matter; measures the candidate and the model in use on the
/// held-out corpus sets and on a held-out fifth of the local labels; promotes the candidate only if
/// it is not worse. Every promoted version is kept and can be activated again (rollback).
/// </summary>
public sealed partial class ModelRetrainer(
    IFeedStore store,
    SpamModelProvider models,
    IOptions<ScoringOptions> options,
    TimeProvider time,
    ILogger<ModelRetrainer> logger)
{
    /// <summary>Retrains once; the result says what was used, the figures, and whether the candidate was promoted.</summary>
    public async Task<RetrainResult> RetrainAsync(CancellationToken ct)
    {
        var o = options.Value;
        var labels = await store.ListModeratorLabelsAsync(ct).ConfigureAwait(false);
        var localTrain = labels.Where(l => l.CommentId % 5 != 4).Select(l => l.Label with { Weight = o.LocalLabelWeight }).ToList();
        var localHeldOut = labels.Where(l => l.CommentId % 5 == 4).Select(l => l.Label).ToList();
        CorpusSplit? corpus = null;
        try
        {
            corpus = SpamTraining.Split(o.CorpusPath, o.VideoCommentWeight);
        }
        catch (FileNotFoundException)
        {
            // A user's machine has no corpus: local labels alone, if there are enough of them.
        }

        var used = $"{labels.Count} moderator label(s) ({labels.Count(l => l.Label.IsSpam)} spam; {localTrain.Count} to train, {localHeldOut.Count} held out)"
            + (corpus is null ? $", no corpus at {Path.GetFullPath(o.CorpusPath)}" : $", corpus {Path.GetFullPath(o.CorpusPath)} ({corpus.Training.Count} to train)");
        if (corpus is null && (labels.Count < o.MinLocalLabels || !labels.Any(l => l.Label.IsSpam) || labels.All(l => l.Label.IsSpam)))
        {
            return Refused($"Scoring: retrain refused: {used}; without the corpus at least {o.MinLocalLabels} labels of both kinds are needed (Scoring:MinLocalLabels).");
        }

        var candidate = SpamModel.Train([.. corpus?.Training ?? [], .. localTrain]);
        var sets = new List<(string Name, IReadOnlyList<LabelledComment> Set)>();
        if (corpus is not null)
        {
            sets.Add(("held-out video", corpus.HeldOutVideo));
            sets.Add(("held-out SMS", corpus.HeldOutSms));
        }

        if (localHeldOut.Count > 0)
        {
            sets.Add(("held-out local labels", localHeldOut));
        }

        var figures = new List<string>();
        var notWorse = true;
        foreach (var (name, set) in sets)
        {
            var c = candidate.Evaluate(set).Metrics;
            var current = models.Model?.Evaluate(set).Metrics;
            var inUse = current is null ? string.Empty : FormattableString.Invariant($" (in use: F1 {current.F1:0.000} ham FPR {current.HamFalsePositiveRate:0.000})");
            figures.Add(FormattableString.Invariant($"{name}: F1 {c.F1:0.000} ham FPR {c.HamFalsePositiveRate:0.000}{inUse}"));
            notWorse &= current is null || (c.F1 >= current.F1 - o.PromotionTolerance && c.HamFalsePositiveRate <= current.HamFalsePositiveRate + o.PromotionTolerance);
        }

        if (!notWorse)
        {
            return Refused($"Scoring: candidate not promoted, worse than the model in use: {string.Join("; ", figures)}. Used {used}.");
        }

        Directory.CreateDirectory(models.VersionsFolder);
        var version = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        candidate.Save(Path.Combine(models.VersionsFolder, version + ".zip"));
        await File.WriteAllTextAsync(Path.Combine(models.VersionsFolder, version + ".txt"), $"used: {used}\n{string.Join('\n', figures)}\n", ct).ConfigureAwait(false);
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
