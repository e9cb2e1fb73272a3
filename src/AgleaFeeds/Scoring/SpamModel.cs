using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms.Text;

namespace AgleaFeeds.Scoring;

/// <summary>
/// The spam classifier: word (1–2) and character (4) n-grams of the text plus the numeric features,
/// the 5,000 of them with the most mutual information with the label, and gradient-boosted trees
/// (LightGBM, 150 trees of 16 leaves). The trees learn on four fifths of the examples; their scores
/// are calibrated (Platt) on the fifth they never saw, so a probability of 0.9 means what it says on
/// comments like the training ones. The <see cref="TrainingProfile"/> saved with it says which
/// comments are not like them. Training is deterministic (fixed seed, one thread). Scoring is safe
/// from any number of threads.
/// </summary>
public sealed class SpamModel
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;

    private SpamModel(MLContext ml, ITransformer model, TrainingProfile? profile)
    {
        _ml = ml;
        _model = model;
        Profile = profile;
    }

    /// <summary>Gets what the training comments look like; null for a model saved without a profile.</summary>
    public TrainingProfile? Profile { get; }

    /// <summary>Trains a model on labelled comments.</summary>
    public static SpamModel Train(IEnumerable<LabelledComment> examples, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var ml = new MLContext(seed);
        var rows = examples.Select(e => CommentFeatures.From(e.Content, e.AuthorUrl, e.IsSpam, e.Weight)).ToList();
        var profile = TrainingProfile.Build(rows.Select(r => r.Text));
        var data = ml.Data.LoadFromEnumerable(rows.Where((_, i) => i % 5 != 2));
        var calibration = ml.Data.LoadFromEnumerable(rows.Where((_, i) => i % 5 == 2));
        var pipeline = ml.Transforms.Text.FeaturizeText("TextFeatures", new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepDiacritics = false,
            KeepPunctuations = true,
            KeepNumbers = true,
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true },
            CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = 4, UseAllLengths = false },
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        }, nameof(CommentFeatures.Text))
            .Append(ml.Transforms.NormalizeMinMax("NumericScaled", nameof(CommentFeatures.Numeric)))
            .Append(ml.Transforms.Concatenate("Features", "TextFeatures", "NumericScaled"))
            // The 5,000 features that say most about the label (of some 200,000 n-grams), for the trees.
            .Append(ml.Transforms.FeatureSelection.SelectFeaturesBasedOnMutualInformation("Features", "Features", nameof(CommentFeatures.Label), slotsInOutput: 5000))
            .Append(ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                LabelColumnName = nameof(CommentFeatures.Label),
                FeatureColumnName = "Features",
                ExampleWeightColumnName = nameof(CommentFeatures.Weight),
                NumberOfIterations = 150,
                NumberOfLeaves = 16,
                MinimumExampleCountPerLeaf = 5,
                LearningRate = 0.1,
                NumberOfThreads = 1,
                Seed = seed,
            }));
        try
        {
            var trees = pipeline.Fit(data);
            var platt = ml.BinaryClassification.Calibrators.Platt(labelColumnName: nameof(CommentFeatures.Label)).Fit(trees.Transform(calibration));
            return new SpamModel(ml, trees.Append(platt), profile);
        }
        catch (DllNotFoundException ex)
        {
            // Scoring needs no native code (the trees are managed); training does.
            throw new InvalidDataException($"Scoring: training needs LightGBM's native library, which did not load (on Debian: apt-get install libgomp1). {ex.Message.Split('\n')[0]}", ex);
        }
    }

    /// <summary>Loads a model file; throws <see cref="InvalidDataException"/> saying why when it is missing or corrupt.</summary>
    public static SpamModel Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"Scoring: no model file at {Path.GetFullPath(path)} (setting Scoring:ModelPath); run `train` to make one.");
        }

        var ml = new MLContext(seed: 1);
        try
        {
            using var stream = File.OpenRead(path);
            var model = ml.Model.Load(stream, out _);
            var loaded = new SpamModel(ml, model, TrainingProfile.ReadFrom(path));
            loaded.Score([("probe", null)]);
            return loaded;
        }
        catch (Exception ex) when (ex is not InvalidDataException)
        {
            throw new InvalidDataException($"Scoring: the model file {Path.GetFullPath(path)} cannot be used: {ex.Message}", ex);
        }
    }

    /// <summary>Saves the model.</summary>
    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var schema = _ml.Data.LoadFromEnumerable(Array.Empty<CommentFeatures>()).Schema;
        using (var stream = File.Create(path))
        {
            _ml.Model.Save(_model, schema, stream);
        }

        Profile?.WriteInto(path);
    }

    /// <summary>Scores comments in one batch: the calibrated probability that each is spam.</summary>
    public IReadOnlyList<float> Score(IReadOnlyList<(string Content, string? AuthorUrl)> comments)
    {
        ArgumentNullException.ThrowIfNull(comments);
        return Assess(comments.Select(c => new ScoringInput(c.Content, c.AuthorUrl)).ToList()).Select(a => a.Score).ToList();
    }

    /// <summary>The default score from which a comment's evidence is weighed (<see cref="SpamAssessment.WithoutContacts"/>, <see cref="SpamAssessment.Unfamiliar"/>); the service weighs it from its spam threshold.</summary>
    public const float EvidenceFrom = 0.5f;

    /// <summary>What comments score with their contacts taken out, in one batch.</summary>
    public IReadOnlyList<float> ScoreWithoutContacts(IReadOnlyList<(Contacts Contacts, string? AuthorUrl)> comments)
    {
        ArgumentNullException.ThrowIfNull(comments);
        using var engine = _ml.Model.CreatePredictionEngine<CommentFeatures, Prediction>(_model);
        var prediction = new Prediction();
        var scores = new float[comments.Count];
        for (var i = 0; i < comments.Count; i++)
        {
            engine.Predict(CommentFeatures.WithoutContacts(comments[i].Contacts, comments[i].AuthorUrl), ref prediction);
            scores[i] = prediction.Probability;
        }

        return scores;
    }

    /// <summary>
    /// Scores comments in one batch and says how much the score can be trusted: whether the comment is
    /// unlike the training comments, and what it scores without its contacts (links, phone numbers,
    /// e-mail addresses: alone they are weak evidence, helpful comments carry them too).
    /// </summary>
    public IReadOnlyList<SpamAssessment> Assess(IReadOnlyList<ScoringInput> comments, float evidenceFrom = EvidenceFrom)
    {
        ArgumentNullException.ThrowIfNull(comments);
        if (comments.Count == 0)
        {
            return [];
        }

        // A prediction engine is not thread-safe, so each call gets its own; it is much cheaper per row
        // than a data view round trip, and creating one costs little next to a batch.
        using var engine = _ml.Model.CreatePredictionEngine<CommentFeatures, Prediction>(_model);
        var result = new SpamAssessment[comments.Count];
        var prediction = new Prediction();
        for (var i = 0; i < comments.Count; i++)
        {
            var (content, authorUrl, ownHosts) = comments[i];
            var contacts = CommentFeatures.Read(content ?? string.Empty, ownHosts);
            engine.Predict(CommentFeatures.From(contacts, authorUrl), ref prediction);
            var score = prediction.Probability;
            float? withoutContacts = null;
            string? unfamiliar = null;
            if (score >= evidenceFrom)
            {
                // Only a comment that might be caught needs its evidence weighed.
                if (contacts.Total > 0)
                {
                    engine.Predict(CommentFeatures.WithoutContacts(contacts, authorUrl), ref prediction);
                    withoutContacts = prediction.Probability;
                }

                unfamiliar = Profile?.Unfamiliar(contacts.Masked);
            }

            result[i] = new SpamAssessment(score, withoutContacts, unfamiliar, contacts);
        }

        return result;
    }

    /// <summary>Scores labelled comments and measures the model at the given threshold.</summary>
    public (SpamMetrics Metrics, IReadOnlyList<(float Score, bool IsSpam)> Scores) Evaluate(IReadOnlyList<LabelledComment> examples, double threshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var data = _ml.Data.LoadFromEnumerable(examples.Select(e => CommentFeatures.From(e.Content, e.AuthorUrl, e.IsSpam)));
        var scored = _model.Transform(data);
        var auc = _ml.BinaryClassification.Evaluate(scored, labelColumnName: nameof(CommentFeatures.Label)).AreaUnderRocCurve;
        var scores = _ml.Data.CreateEnumerable<Prediction>(scored, reuseRowObject: false)
            .Zip(examples, (p, e) => (p.Probability, e.IsSpam))
            .ToList();
        return (SpamMetrics.Compute(scores, threshold, auc), scores);
    }

    private sealed class Prediction
    {
        public float Probability { get; set; }
    }
}

/// <summary>A comment to score: its content (HTML or text), its author's URL, the blog's own hosts (links there are not evidence).</summary>
public sealed record ScoringInput(string Content, string? AuthorUrl, IReadOnlyCollection<string>? OwnHosts = null);

/// <summary>
/// The model's calibrated probability that a comment is spam; for a comment scoring
/// <see cref="SpamModel.EvidenceFrom"/> or more, what it scores without its contacts (links, phone
/// numbers, e-mail addresses, handles; when it has any) and why it is unlike the training comments (null when it is
/// like them), and the contacts it carries.
/// </summary>
public sealed record SpamAssessment(float Score, float? WithoutContacts, string? Unfamiliar, Contacts Contacts)
{
    /// <summary>Gets the moderators' record of the sites and author the comment names ("site example.com: 3 spam, 0 approved"), or null.</summary>
    public string? Reputation { get; init; }
}
