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
        await PrintAsync(stdout, Path.GetFileName(data), model, SpamCorpus.Read(data), options.SpamThreshold).ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> ScoreAsync(IServiceProvider services, string text, string? authorUrl, TextWriter stdout)
    {
        var options = services.GetRequiredService<IOptions<ScoringOptions>>().Value;
        var score = SpamModel.Load(options.ModelPath).Score([(text, authorUrl)])[0];
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"score {score:0.0000} ({(score >= options.SpamThreshold ? "spam" : "not spam")} at threshold {options.SpamThreshold})")).ConfigureAwait(false);
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
