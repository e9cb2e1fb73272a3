namespace AgleaFeeds.Scoring;

/// <summary>How a model did on labelled comments, at one decision threshold.</summary>
public sealed record SpamMetrics
{
    public required int Count { get; init; }
    public required double Threshold { get; init; }
    public required int TruePositives { get; init; }
    public required int FalsePositives { get; init; }
    public required int TrueNegatives { get; init; }
    public required int FalseNegatives { get; init; }
    public required double Auc { get; init; }

    public double Accuracy => Ratio(TruePositives + TrueNegatives, Count);
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <summary>Gets the share of ham caught as spam: what a blog's readers lose.</summary>
    public double HamFalsePositiveRate => Ratio(FalsePositives, FalsePositives + TrueNegatives);

    /// <summary>Gets the Matthews correlation coefficient.</summary>
    public double Mcc
    {
        get
        {
            double tp = TruePositives, fp = FalsePositives, tn = TrueNegatives, fn = FalseNegatives;
            var d = Math.Sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
            return d == 0 ? 0 : ((tp * tn) - (fp * fn)) / d;
        }
    }

    /// <summary>Counts scores against labels at a threshold (score ≥ threshold is spam); the AUC comes from ML.NET's evaluator.</summary>
    public static SpamMetrics Compute(IReadOnlyList<(float Score, bool IsSpam)> results, double threshold, double auc)
    {
        ArgumentNullException.ThrowIfNull(results);
        int tp = 0, fp = 0, tn = 0, fn = 0;
        foreach (var (score, spam) in results)
        {
            var caught = score >= threshold;
            (tp, fp, tn, fn) = (caught, spam) switch
            {
                (true, true) => (tp + 1, fp, tn, fn),
                (true, false) => (tp, fp + 1, tn, fn),
                (false, false) => (tp, fp, tn + 1, fn),
                _ => (tp, fp, tn, fn + 1),
            };
        }

        return new SpamMetrics { Count = results.Count, Threshold = threshold, TruePositives = tp, FalsePositives = fp, TrueNegatives = tn, FalseNegatives = fn, Auc = auc };
    }

    private static double Ratio(double a, double b) => b == 0 ? 0 : a / b;
}
