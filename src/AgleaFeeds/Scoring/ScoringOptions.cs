using System.ComponentModel.DataAnnotations;

namespace AgleaFeeds.Scoring;

/// <summary>Spam scoring settings (section "Scoring").</summary>
public sealed class ScoringOptions
{
    public const string Section = "Scoring";

    /// <summary>Gets or sets the model file.</summary>
    /// <value>The default value is "models/spam-model.zip".</value>
    [Required]
    public string ModelPath { get; set; } = "models/spam-model.zip";

    /// <summary>Gets or sets the folder of the labelled corpora used by `train`.</summary>
    /// <value>The default value is "../shared/data/spam".</value>
    public string CorpusPath { get; set; } = "../shared/data/spam";

    /// <summary>Gets or sets how much more a YouTube comment weighs than an SMS message in training (closer to blog comments).</summary>
    /// <value>The default value is 4.</value>
    [Range(0.1, 100)]
    public float VideoCommentWeight { get; set; } = 4f;

    /// <summary>Gets or sets how much one moderator label weighs in training against one corpus comment.</summary>
    /// <value>The default value is 10.</value>
    [Range(1, 1000)]
    public float LocalLabelWeight { get; set; } = 10f;

    /// <summary>Gets or sets how many local labels a retrain without the corpus needs.</summary>
    /// <value>The default value is 200.</value>
    [Range(2, 1_000_000)]
    public int MinLocalLabels { get; set; } = 200;

    /// <summary>Gets or sets how much worse (F1 lower, ham false positives higher) a candidate may be and still be promoted.</summary>
    /// <value>The default value is 0.01.</value>
    [Range(0.0, 1.0)]
    public double PromotionTolerance { get; set; } = 0.01;

    /// <summary>Gets or sets the cron of the recurring retrain.</summary>
    /// <value>The default value is daily at 03:00.</value>
    [Required]
    public string RetrainCron { get; set; } = "0 3 * * *";

    /// <summary>Gets or sets the score at or below which a comment no rule holds is approved.</summary>
    /// <value>The default value is 0.2 (a calibrated probability: at most a one-in-five chance of spam).</value>
    [Range(0.0, 1.0)]
    public double HamThreshold { get; set; } = 0.2;

    /// <summary>Gets or sets WordPress's comment rules and the moderators' lists.</summary>
    public RulesOptions Rules { get; set; } = new();

    /// <summary>Gets or sets the score at or above which a comment is spam.</summary>
    /// <value>The default value is 0.9.</value>
    [Range(0.0, 1.0)]
    public double SpamThreshold { get; set; } = 0.9;
}
