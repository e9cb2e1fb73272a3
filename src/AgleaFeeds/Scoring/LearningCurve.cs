using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

namespace AgleaFeeds.Scoring;

/// <summary>
/// How fast the service learns a blog: for each number of the blog's own labels, the labels drawn at
/// random from a labelled file of that blog, the blog's model trained on them over the model in use,
/// and both measured on the rest of the file (never on what they learned from); beside them the
/// published baseline, tf-idf + linear SVM, trained on the corpus plus the same labels.
/// </summary>
public static class LearningCurve
{
    /// <summary>One size: means over the repeats.</summary>
    public sealed record Point(int Labels, int Tested, double ShippedF1, double BlogF1, double BaselineF1, VerdictFigures Verdicts);

    /// <summary>Measures the curve; sizes the file cannot afford (fewer than 50 comments left to test) are skipped.</summary>
    public static IReadOnlyList<Point> Measure(
        SpamModel shipped,
        IReadOnlyList<LabelledComment> site,
        IReadOnlyList<LabelledComment> corpus,
        ScoringOptions options,
        IReadOnlyList<int> sizes,
        int repeats = 3)
    {
        ArgumentNullException.ThrowIfNull(shipped);
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sizes);
        var points = new List<Point>();
        foreach (var n in sizes.Where(n => site.Count - n >= 50))
        {
            double shippedF1 = 0, blogF1 = 0, baselineF1 = 0;
            var verdicts = new List<VerdictFigures>();
            var tested = 0;
            for (var r = 0; r < repeats; r++)
            {
                var shuffled = site.ToArray();
                new Random(1000 + r).Shuffle(shuffled);
                var labels = shuffled.Take(n).ToList();
                var test = shuffled.Skip(n).ToList();
                tested = test.Count;
                var blog = BlogModel.Train(shipped, labels);
                // The test set scored once: by the model in use, then by the blog's model, then decided.
                var inputs = Judge.Inputs(test);
                var assessed = Judge.Assess(shipped, inputs, options, blog: null);
                var withBlog = blog?.Assess(assessed, test.Select(l => (l.Author, l.AuthorUrl)).ToList(), (float)options.SpamThreshold) ?? assessed;
                shippedF1 += F1(assessed.Select(a => a.Score), test);
                blogF1 += F1(withBlog.Select(a => a.Score), test);
                // The baseline gets the labels as a retrain would weigh them.
                baselineF1 += Baseline.F1([.. corpus, .. labels.Select(l => l with { Weight = options.LocalLabelWeight })], test);
                verdicts.Add(VerdictFigures.Count(Judge.Decide(withBlog, inputs, options, options.Rules, modelError: null).Select((v, i) => (v.Status, test[i].IsSpam))));
            }

            points.Add(new Point(n, tested, shippedF1 / repeats, blogF1 / repeats, baselineF1 / repeats, new VerdictFigures(
                verdicts.Sum(v => v.HamApproved), verdicts.Sum(v => v.HamWaiting), verdicts.Sum(v => v.HamCaught),
                verdicts.Sum(v => v.SpamApproved), verdicts.Sum(v => v.SpamWaiting), verdicts.Sum(v => v.SpamCaught))));
        }

        return points;
    }

    /// <summary>F1 at 0.5 of scores against labels.</summary>
    public static double F1(IEnumerable<float> scores, IReadOnlyList<LabelledComment> labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        return SpamMetrics.Compute(scores.Zip(labels, (s, l) => (s, l.IsSpam)).ToList(), 0.5, auc: 0).F1;
    }

    /// <summary>The published baseline of the YouTube corpus: tf-idf of words and word pairs, linear SVM.</summary>
    public static class Baseline
    {
        /// <summary>Trains on <paramref name="training"/> and returns F1 on <paramref name="test"/>.</summary>
        public static double F1(IReadOnlyList<LabelledComment> training, IReadOnlyList<LabelledComment> test)
        {
            ArgumentNullException.ThrowIfNull(training);
            ArgumentNullException.ThrowIfNull(test);
            var ml = new MLContext(seed: 1);
            var pipeline = ml.Transforms.Text.FeaturizeText("Features", new TextFeaturizingEstimator.Options
            {
                CaseMode = TextNormalizingEstimator.CaseMode.Lower,
                WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true, Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf },
                CharFeatureExtractor = null,
                Norm = TextFeaturizingEstimator.NormFunction.L2,
            }, nameof(Row.Text))
                .Append(ml.BinaryClassification.Trainers.LinearSvm(nameof(Row.Label), "Features", nameof(Row.Weight), numberOfIterations: 20));
            var model = pipeline.Fit(ml.Data.LoadFromEnumerable(training.Select(Row.From)));
            var predicted = ml.Data.CreateEnumerable<Prediction>(model.Transform(ml.Data.LoadFromEnumerable(test.Select(Row.From))), reuseRowObject: false);
            return SpamMetrics.Compute(predicted.Zip(test, (p, l) => (p.PredictedLabel ? 1f : 0f, l.IsSpam)).ToList(), 0.5, auc: 0).F1;
        }

        private sealed class Row
        {
            public string Text { get; set; } = string.Empty;
            public bool Label { get; set; }
            public float Weight { get; set; } = 1f;

            public static Row From(LabelledComment l) => new() { Text = CommentFeatures.TextAndLinks(l.Content).Text, Label = l.IsSpam, Weight = l.Weight };
        }

        private sealed class Prediction
        {
            public bool PredictedLabel { get; set; }
        }
    }
}
