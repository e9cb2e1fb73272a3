using System.Globalization;
using AgleaFeeds.Scoring;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Host.Cli;

/// <summary>`train`, `evaluate --data FILE` and `score "text"`: the spam model from the command line.</summary>
internal static class ModelCommands
{
    public static async Task<int> TrainAsync(IServiceProvider services, string? corpus, string? output, TextWriter stdout)
    {
        var options = services.GetRequiredService<IOptions<ScoringOptions>>().Value;
        var folder = corpus ?? options.CorpusPath;
        var split = SpamTraining.Split(folder, options.VideoCommentWeight);
        await stdout.WriteLineAsync($"training on {split.Training.Count} comments ({split.Training.Count(c => c.IsSpam)} spam) from {Path.GetFullPath(folder)}").ConfigureAwait(false);
        var model = SpamModel.Train(split.Training);
        var note = new List<string> { $"used: {split.Training.Count} corpus comments ({split.Training.Count(c => c.IsSpam)} spam) from {Path.GetFileName(Path.GetFullPath(folder))}, no moderator labels" };
        foreach (var (name, set) in new[] { ("held-out video (Youtube03-LMFAO.csv)", split.HeldOutVideo), ("held-out SMS (every 5th message)", split.HeldOutSms) })
        {
            await PrintAsync(stdout, name, model, set, options.SpamThreshold).ConfigureAwait(false);
            var m = model.Evaluate(set).Metrics;
            note.Add(FormattableString.Invariant($"{name}: F1 {m.F1:0.000} ham FPR {m.HamFalsePositiveRate:0.000} AUC {m.Auc:0.000} (threshold 0.5)"));
        }

        var path = output ?? options.ModelPath;
        model.Save(path);
        // The figures beside the model, for the dashboard's Model page.
        await File.WriteAllLinesAsync(Path.ChangeExtension(path, ".txt"), note).ConfigureAwait(false);
        await stdout.WriteLineAsync($"model saved to {Path.GetFullPath(path)} (figures in {Path.GetFileName(Path.ChangeExtension(path, ".txt"))})").ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> EvaluateAsync(IServiceProvider services, string data, TextWriter stdout)
    {
        var options = services.GetRequiredService<IOptions<ScoringOptions>>().Value;
        var model = SpamModel.Load(options.ModelPath);
        if (TrainedOn(data) is { } share)
        {
            // Figures on data the model learned from say little about comments it has never seen.
            await stdout.WriteLineAsync($"warning: {share} of {Path.GetFileName(data)} is training data of the shipped model: these figures are optimistic. The held-out parts (every 5th SMS message, {SpamTraining.HeldOutVideo}) are measured by `train`.").ConfigureAwait(false);
        }

        await PrintAsync(stdout, Path.GetFileName(data), model, SpamCorpus.Read(data), options.SpamThreshold).ConfigureAwait(false);
        return 0;
    }

    /// <summary>How much of a file the shipped model was trained on (the shared corpus' training files), or null.</summary>
    private static string? TrainedOn(string data) => Path.GetFileName(data) switch
    {
        SpamTraining.Sms => "80 %",
        var name when SpamTraining.TrainingVideos.Contains(name, StringComparer.OrdinalIgnoreCase) => "all",
        _ => null,
    };

    /// <summary>Decides one comment as the service would: the model in use, both thresholds, the rules and the moderators' lists.</summary>
    public static async Task<int> ScoreAsync(IServiceProvider services, string text, string? author, string? authorUrl, TextWriter stdout, TextWriter stderr)
    {
        var options = services.GetRequiredService<IOptions<ScoringOptions>>().Value;
        var models = services.GetRequiredService<SpamModelProvider>();
        if (models.Error is { } error)
        {
            await stderr.WriteLineAsync(error).ConfigureAwait(false);
            return 1;
        }

        var rules = options.Rules.With(await services.GetRequiredService<Storage.IFeedStore>().ListAuthorRulesAsync(CancellationToken.None).ConfigureAwait(false));
        var score = models.Model?.Score([(text, authorUrl)])[0];
        var hits = ModerationRules.Evaluate(new RuleInput { Author = author, AuthorUrl = authorUrl, Content = text }, rules);
        var verdict = Verdict.Decide(score, hits, options.HamThreshold, options.SpamThreshold, models.Error);
        var meaning = verdict.Status switch
        {
            Model.CommentStatus.Approved => "approved automatically",
            Model.CommentStatus.Spam => "caught as spam automatically",
            _ => "waits for a person",
        };
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{verdict.Status} ({meaning}): score {(score is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "none")} with {models.Version}; approved at or below {options.HamThreshold:0.00}, spam at or above {options.SpamThreshold:0.00}")).ConfigureAwait(false);
        await stdout.WriteLineAsync("reasons: " + (verdict.Reasons.Count > 0 ? string.Join("; ", verdict.Reasons) : "none")).ConfigureAwait(false);
        return 0;
    }

    private static async Task PrintAsync(TextWriter stdout, string name, SpamModel model, IReadOnlyList<LabelledComment> set, double spamThreshold)
    {
        var (atHalf, scores) = model.Evaluate(set);
        await stdout.WriteLineAsync($"{name}: {set.Count} comments, {set.Count(c => c.IsSpam)} spam").ConfigureAwait(false);
        foreach (var threshold in new[] { 0.5, spamThreshold }.Distinct())
        {
            var m = SpamMetrics.Compute(scores, threshold, atHalf.Auc);
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  threshold {threshold:0.00}: accuracy {m.Accuracy:0.000} precision {m.Precision:0.000} recall {m.Recall:0.000} F1 {m.F1:0.000} MCC {m.Mcc:0.000} AUC {m.Auc:0.000} ham FPR {m.HamFalsePositiveRate:0.000}")).ConfigureAwait(false);
            await stdout.WriteLineAsync($"    confusion: spam caught {m.TruePositives}, spam missed {m.FalseNegatives}, ham caught {m.FalsePositives}, ham passed {m.TrueNegatives}").ConfigureAwait(false);
        }
    }
}
