using System.Globalization;
using AgleaFeeds.Scoring;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Host.Cli;

/// <summary>`train`, `evaluate --data FILE` and `score "text"`: the spam model from the command line.</summary>
internal static class ModelCommands
{
    /// <summary>What `train` was asked: the corpus folder, a blog's labelled file, a corpus file to leave out, where to save.</summary>
    public sealed record TrainRequest(string? Corpus, string? Labels, string? Exclude, string? Output);

    public static async Task<int> TrainAsync(IServiceProvider services, TrainRequest request, TextWriter stdout)
    {
        var options = services.GetRequiredService<IOptions<ScoringOptions>>().Value;
        var folder = request.Corpus ?? options.CorpusPath;
        var split = SpamTraining.Split(folder, options.VideoCommentWeight, request.Exclude);
        var labels = request.Labels is null ? [] : SpamCorpus.Read(request.Labels).Select(l => l with { Weight = options.LocalLabelWeight }).ToList();
        List<LabelledComment> training = [.. split.Training, .. labels];
        await stdout.WriteLineAsync($"training on {training.Count} comments ({training.Count(c => c.IsSpam)} spam) from {Path.GetFullPath(folder)}"
            + (request.Exclude is null ? string.Empty : $" without {request.Exclude}")
            + (request.Labels is null ? string.Empty : $" and {labels.Count} labels from {request.Labels} weighted {options.LocalLabelWeight}")).ConfigureAwait(false);
        var model = SpamModel.Train(training);
        var note = new List<string>
        {
            $"used: {split.Training.Count} corpus comments ({split.Training.Count(c => c.IsSpam)} spam) from {Path.GetFileName(Path.GetFullPath(folder))}"
            + (request.Exclude is null ? string.Empty : $" without {request.Exclude}")
            + (labels.Count == 0 ? ", no moderator labels" : $", {labels.Count} labels from {Path.GetFileName(request.Labels)}"),
        };
        foreach (var (name, set) in new[] { ($"held-out video ({SpamTraining.HeldOutVideo})", split.HeldOutVideo), ("held-out SMS (every 5th message)", split.HeldOutSms) }.Where(s => s.Item2.Count > 0))
        {
            var (m, verdicts) = await PrintAsync(stdout, name, model, set, options).ConfigureAwait(false);
            note.Add(FormattableString.Invariant($"{name}: F1 {m.F1:0.000} ham FPR {m.HamFalsePositiveRate:0.000} AUC {m.Auc:0.000} (threshold 0.5); {verdicts}"));
        }

        if (request.Output is { } path)
        {
            model.Save(path);
            // The figures beside the model, for the dashboard's Model page.
            await File.WriteAllLinesAsync(Path.ChangeExtension(path, ".txt"), note).ConfigureAwait(false);
            await stdout.WriteLineAsync($"model saved to {Path.GetFullPath(path)} (figures in {Path.GetFileName(Path.ChangeExtension(path, ".txt"))})").ConfigureAwait(false);
            return 0;
        }

        // Never over the shipped model a clone tracks: a version beside the promoted ones, used only when asked.
        var models = services.GetRequiredService<SpamModelProvider>();
        var version = models.Save(model, string.Join('\n', note), services.GetRequiredService<TimeProvider>().GetUtcNow());
        await stdout.WriteLineAsync(version is null
            ? $"the model is identical to the one in use ({models.Version}): nothing saved"
            : $"model saved as version {version} in {models.VersionsFolder}, not in use yet: `rollback {version}` uses it ({Path.GetFullPath(options.ModelPath)} is left as it is; --out FILE writes there)").ConfigureAwait(false);
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

        await PrintAsync(stdout, Path.GetFileName(data), model, SpamCorpus.Read(data), options).ConfigureAwait(false);
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

        var (verdicts, blog) = await DecideAsTheServiceAsync(services, [new RuleInput { Author = author, AuthorUrl = authorUrl, Content = text }]).ConfigureAwait(false);
        var verdict = verdicts[0];
        var score = verdict.Score;
        var meaning = verdict.Status switch
        {
            Model.CommentStatus.Approved => "approved automatically",
            Model.CommentStatus.Spam => "caught as spam automatically",
            _ => "waits for a person",
        };
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{verdict.Status} ({meaning}): score {(score is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "none")} with {models.Version}{(blog is null ? string.Empty : $" and this blog's model ({blog.Labels} decisions)")}; approved at or below {options.HamThreshold:0.00}, spam at or above {options.SpamThreshold:0.00}")).ConfigureAwait(false);
        await stdout.WriteLineAsync("reasons: " + (verdict.Reasons.Count > 0 ? string.Join("; ", verdict.Reasons) : "none")).ConfigureAwait(false);
        return 0;
    }

    /// <summary>`score --data FILE`: every comment of a CSV decided as the service would, one tab-separated line each; the verdict figures when it is labelled.</summary>
    public static async Task<int> ScoreFileAsync(IServiceProvider services, string data, TextWriter stdout, TextWriter stderr)
    {
        var options = services.GetRequiredService<IOptions<ScoringOptions>>().Value;
        var models = services.GetRequiredService<SpamModelProvider>();
        if (models.Error is { } error)
        {
            await stderr.WriteLineAsync(error).ConfigureAwait(false);
            return 1;
        }

        var (comments, labelled) = SpamCorpus.ReadAny(data);
        var (verdicts, blog) = await DecideAsTheServiceAsync(services, Judge.Inputs(comments)).ConfigureAwait(false);
        await stdout.WriteLineAsync(labelled ? "line\tlabel\tverdict\tscore\treasons" : "line\tverdict\tscore\treasons").ConfigureAwait(false);
        for (var i = 0; i < comments.Count; i++)
        {
            var v = verdicts[i];
            var score = v.Score is { } s ? s.ToString("0.0000", CultureInfo.InvariantCulture) : "none";
            var reasons = string.Join("; ", v.Reasons).Replace('\t', ' ').Replace('\n', ' ');
            await stdout.WriteLineAsync(labelled
                ? $"{i + 1}\t{(comments[i].IsSpam ? "spam" : "ham")}\t{v.Status}\t{score}\t{reasons}"
                : $"{i + 1}\t{v.Status}\t{score}\t{reasons}").ConfigureAwait(false);
        }

        if (labelled)
        {
            await stdout.WriteLineAsync($"# {models.Version}{(blog is null ? string.Empty : $" with this blog's model ({blog.Labels} labels)")}: {VerdictFigures.Count(verdicts.Select((v, i) => (v.Status, comments[i].IsSpam)))}").ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>Decides comments as the running service would: the model in use, this blog's model, the configured and stored lists.</summary>
    private static async Task<(IReadOnlyList<Verdict> Verdicts, BlogModel? Blog)> DecideAsTheServiceAsync(IServiceProvider services, IReadOnlyList<RuleInput> comments)
    {
        var options = services.GetRequiredService<IOptions<ScoringOptions>>().Value;
        var models = services.GetRequiredService<SpamModelProvider>();
        var rules = options.Rules.With(await services.GetRequiredService<Storage.IFeedStore>().ListAuthorRulesAsync(CancellationToken.None).ConfigureAwait(false));
        var blog = await services.GetRequiredService<BlogModelProvider>().GetAsync(CancellationToken.None).ConfigureAwait(false);
        return (Judge.Decide(models.Model, comments, options, rules, models.Error, blog), blog);
    }

    /// <summary>`learning-curve --data FILE`: F1 and verdicts after N of the file's labels, against the shipped model and tf-idf + linear SVM on the same data.</summary>
    /// <summary>Writes labelled comments as CSV (content, label spam|ham, author, author_url): what <see cref="SpamCorpus.ReadAny"/> reads.</summary>
    public static async Task WriteLabelsAsync(IEnumerable<LabelledComment> labels, TextWriter output)
    {
        static string Field(string? value) => "\"" + (value ?? string.Empty).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await output.WriteLineAsync("content,label,author,author_url").ConfigureAwait(false);
        foreach (var l in labels)
        {
            await output.WriteLineAsync($"{Field(l.Content)},{(l.IsSpam ? "spam" : "ham")},{Field(l.Author)},{Field(l.AuthorUrl)}").ConfigureAwait(false);
        }
    }

    public static async Task<int> LearningCurveAsync(IServiceProvider services, string data, string? sizes, string? exclude, TextWriter stdout, TextWriter stderr)
    {
        var options = services.GetRequiredService<IOptions<ScoringOptions>>().Value;
        var models = services.GetRequiredService<SpamModelProvider>();
        if (models.Model is not { } model)
        {
            await stderr.WriteLineAsync(models.Error).ConfigureAwait(false);
            return 1;
        }

        var counts = (sizes ?? "25,50,100,200,400").Split(',').Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new FormatException($"learning-curve: --sizes takes numbers separated by commas, not \"{n}\".")).ToList();
        var site = SpamCorpus.Read(data);
        IReadOnlyList<LabelledComment> corpus = [];
        try
        {
            // The baseline learns from what the model in use learned from (give the same --exclude), never from the comments it is measured on.
            var measured = site.Select(s => s.Content).ToHashSet(StringComparer.Ordinal);
            corpus = SpamTraining.Split(options.CorpusPath, options.VideoCommentWeight, exclude).Training.Where(c => !measured.Contains(c.Content)).ToList();
        }
        catch (FileNotFoundException)
        {
            await stderr.WriteLineAsync($"learning-curve: no corpus at {Path.GetFullPath(options.CorpusPath)}: the baseline learns from the labels alone.").ConfigureAwait(false);
        }

        await stdout.WriteLineAsync($"{Path.GetFileName(data)}: {site.Count} comments, {site.Count(c => c.IsSpam)} spam; model in use {models.Version}; 3 random draws a size, measured on the rest").ConfigureAwait(false);
        await stdout.WriteLineAsync("| labels | tested | F1 model in use | F1 with the blog's model | F1 tf-idf + linear SVM (corpus + labels) | ham caught automatically | spam approved automatically | to a person |").ConfigureAwait(false);
        await stdout.WriteLineAsync("|---|---|---|---|---|---|---|---|").ConfigureAwait(false);
        foreach (var p in LearningCurve.Measure(model, site, corpus, options, counts))
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"| {p.Labels} | {p.Tested} | {p.ShippedF1:0.000} | {p.BlogF1:0.000} | {p.BaselineF1:0.000} | {p.Verdicts.HamCaughtRate:0.0 %} ({p.Verdicts.HamCaught} of {p.Verdicts.Ham}) | {p.Verdicts.SpamApprovedRate:0.0 %} | {p.Verdicts.ToPersonRate:0.0 %} |")).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>Prints F1, AUC, confusion and verdicts of a set; returns the figures at 0.5 and the verdicts for the model's note.</summary>
    private static async Task<(SpamMetrics AtHalf, VerdictFigures Verdicts)> PrintAsync(TextWriter stdout, string name, SpamModel model, IReadOnlyList<LabelledComment> set, ScoringOptions options)
    {
        var (atHalf, scores) = model.Evaluate(set);
        await stdout.WriteLineAsync($"{name}: {set.Count} comments, {set.Count(c => c.IsSpam)} spam").ConfigureAwait(false);
        foreach (var threshold in new[] { 0.5, options.SpamThreshold }.Distinct())
        {
            var m = SpamMetrics.Compute(scores, threshold, atHalf.Auc);
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  threshold {threshold:0.00}: accuracy {m.Accuracy:0.000} precision {m.Precision:0.000} recall {m.Recall:0.000} F1 {m.F1:0.000} MCC {m.Mcc:0.000} AUC {m.Auc:0.000} ham FPR {m.HamFalsePositiveRate:0.000}")).ConfigureAwait(false);
            await stdout.WriteLineAsync($"    confusion: spam caught {m.TruePositives}, spam missed {m.FalseNegatives}, ham caught {m.FalsePositives}, ham passed {m.TrueNegatives}").ConfigureAwait(false);
        }

        var verdicts = Judge.Measure(model, set, options);
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  verdicts at the thresholds ({options.HamThreshold:0.00}/{options.SpamThreshold:0.00}, rules on): {verdicts}")).ConfigureAwait(false);
        return (atHalf, verdicts);
    }
}
