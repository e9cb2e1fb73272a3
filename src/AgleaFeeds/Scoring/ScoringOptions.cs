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

    /// <summary>Gets or sets the score at or below which a comment no rule holds is approved.</summary>
    /// <value>The default value is 0.1.</value>
    [Range(0.0, 1.0)]
    public double HamThreshold { get; set; } = 0.1;

    /// <summary>Gets or sets WordPress's comment rules and the moderators' lists.</summary>
    public RulesOptions Rules { get; set; } = new();

    /// <summary>Gets or sets the score at or above which a comment is spam.</summary>
    /// <value>The default value is 0.9.</value>
    [Range(0.0, 1.0)]
    public double SpamThreshold { get; set; } = 0.9;
}
