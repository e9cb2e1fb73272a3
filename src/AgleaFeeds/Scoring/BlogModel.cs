using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

namespace AgleaFeeds.Scoring;

/// <summary>
/// What this blog's moderators taught: a logistic regression on their decisions, stacked on the
/// shipped model (its logit is one feature, so the blog's labels also recalibrate it), with the
/// comment's words and word pairs, the sites it links and its author as the other features; and the
/// reputation of each linked site and author (how often moderators approved or caught them, as
/// Antispam Bee and Akismet keep). It trains in a second on a few thousand labels, so it is rebuilt
/// whenever a moderator decides and counts from the next scoring run, long before a retrain.
/// </summary>
public sealed class BlogModel
{
    /// <summary>The fewest labels, and of each kind, before the blog's model is used.</summary>
    public const int MinLabels = 10;

    /// <summary>The fewest of each kind.</summary>
    public const int MinEachKind = 3;

    private readonly SpamModel _shipped;
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly Dictionary<string, (int Spam, int Ham)> _reputation;

    private BlogModel(SpamModel shipped, MLContext ml, ITransformer model, Dictionary<string, (int Spam, int Ham)> reputation, TrainingProfile profile, int labels)
    {
        _shipped = shipped;
        _ml = ml;
        _model = model;
        _reputation = reputation;
        Profile = profile;
        Labels = labels;
    }

    /// <summary>Gets how many of the blog's labels it learned from.</summary>
    public int Labels { get; }

    /// <summary>Gets what the blog's labelled comments look like (a comment like them is familiar even when the corpus has nothing like it).</summary>
    public TrainingProfile Profile { get; }

    /// <summary>Learns from the blog's labels on top of <paramref name="shipped"/>; null when there are too few (<see cref="MinLabels"/>, <see cref="MinEachKind"/> of each).</summary>
    public static BlogModel? Train(SpamModel shipped, IReadOnlyList<LabelledComment> labels, IReadOnlyCollection<string>? ownHosts = null)
    {
        ArgumentNullException.ThrowIfNull(shipped);
        ArgumentNullException.ThrowIfNull(labels);
        var spam = labels.Count(l => l.IsSpam);
        if (labels.Count < MinLabels || spam < MinEachKind || labels.Count - spam < MinEachKind)
        {
            return null;
        }

        var inputs = labels.Select(l => new ScoringInput(l.Content, l.AuthorUrl, ownHosts)).ToList();
        var assessed = shipped.Assess(inputs);
        var reputation = new Dictionary<string, (int Spam, int Ham)>(StringComparer.Ordinal);
        var rows = new List<Row>(labels.Count);
        for (var i = 0; i < labels.Count; i++)
        {
            var l = labels[i];
            foreach (var key in Keys(assessed[i].Contacts, l.Author, l.AuthorUrl).Distinct())
            {
                var (s, h) = reputation.GetValueOrDefault(key);
                reputation[key] = l.IsSpam ? (s + 1, h) : (s, h + 1);
            }

            rows.Add(Row.From(assessed[i], l.Author, l.AuthorUrl, l.IsSpam, l.Weight));
        }

        var ml = new MLContext(seed: 1);
        var pipeline = ml.Transforms.Text.FeaturizeText("Words", new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepDiacritics = false,
            KeepPunctuations = false,
            KeepNumbers = false,
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true },
            CharFeatureExtractor = null,
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        }, nameof(Row.Text))
            .Append(ml.Transforms.Concatenate("Features", "Words", nameof(Row.Shipped)))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new Microsoft.ML.Trainers.LbfgsLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = nameof(Row.Label),
                FeatureColumnName = "Features",
                ExampleWeightColumnName = nameof(Row.Weight),
                L2Regularization = 0.1f,
                L1Regularization = 0f,
                NumberOfThreads = 1,
            }));
        var model = pipeline.Fit(ml.Data.LoadFromEnumerable(rows));
        return new BlogModel(shipped, ml, model, reputation, TrainingProfile.Build(assessed.Select(a => a.Contacts.Masked)), labels.Count);
    }

    /// <summary>
    /// Re-scores comments the shipped model assessed: the blog's probability replaces the shipped one
    /// (also without the links), a comment like the blog's labelled ones is familiar, and the sites and
    /// authors moderators have decided on before are named with their record.
    /// </summary>
    public IReadOnlyList<SpamAssessment> Assess(IReadOnlyList<SpamAssessment> shipped, IReadOnlyList<(string? Author, string? AuthorUrl)> authors, float evidenceFrom = SpamModel.EvidenceFrom)
    {
        ArgumentNullException.ThrowIfNull(shipped);
        ArgumentNullException.ThrowIfNull(authors);
        using var engine = _ml.Model.CreatePredictionEngine<Row, Prediction>(_model);
        var prediction = new Prediction();
        var scores = new float[shipped.Count];
        for (var i = 0; i < shipped.Count; i++)
        {
            engine.Predict(Row.From(shipped[i], authors[i].Author, authors[i].AuthorUrl), ref prediction);
            scores[i] = prediction.Probability;
        }

        // The evidence of comments this blog's model may catch that the shipped model did not weigh.
        var unweighed = Enumerable.Range(0, shipped.Count).Where(i => scores[i] >= evidenceFrom && shipped[i].Score < evidenceFrom && shipped[i].Contacts.Total > 0).ToList();
        var bareScores = _shipped.ScoreWithoutContacts(unweighed.Select(i => (shipped[i].Contacts, authors[i].AuthorUrl)).ToList());
        var shippedBare = new Dictionary<int, float>();
        for (var k = 0; k < unweighed.Count; k++)
        {
            shippedBare[unweighed[k]] = bareScores[k];
        }

        var result = new SpamAssessment[shipped.Count];
        for (var i = 0; i < shipped.Count; i++)
        {
            var a = shipped[i];
            var (author, authorUrl) = authors[i];
            var score = scores[i];
            if (score < evidenceFrom && a.Score < evidenceFrom)
            {
                result[i] = a with { Score = score, WithoutContacts = null, Unfamiliar = null, Reputation = Record(a.Contacts, author, authorUrl).Text };
                continue;
            }

            float? withoutLinks = null;
            if ((a.WithoutContacts ?? (shippedBare.TryGetValue(i, out var b) ? b : null)) is { } bare)
            {
                engine.Predict(Row.From(a with { Score = bare }, author, authorUrl, linksOut: true), ref prediction);
                withoutLinks = prediction.Probability;
            }

            var unlike = a.Score >= evidenceFrom ? a.Unfamiliar : _shipped.Profile?.Unfamiliar(a.Contacts.Masked);

            var (reputation, known) = Record(a.Contacts, author, authorUrl);
            result[i] = a with
            {
                Score = score,
                WithoutContacts = known ? null : withoutLinks,
                Unfamiliar = unlike is null || Profile.Unfamiliar(a.Contacts.Masked) is null ? null : unlike,
                Reputation = reputation,
            };
        }

        return result;
    }

    /// <summary>The moderators' record of a comment's sites and author, and whether one was caught again and again and never approved (evidence on its own).</summary>
    private (string? Text, bool Known) Record(Contacts contacts, string? author, string? authorUrl)
    {
        var record = Keys(contacts, author, authorUrl).Distinct()
            .Select(k => (Key: k, Counts: _reputation.GetValueOrDefault(k)))
            .Where(k => k.Counts.Spam + k.Counts.Ham > 0)
            .ToList();
        return record.Count == 0
            ? (null, false)
            : (string.Join(", ", record.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key}: {r.Counts.Spam} spam, {r.Counts.Ham} approved"))), record.Any(r => r.Counts.Spam >= 2 && r.Counts.Ham == 0));
    }

    /// <summary>The keys a comment's reputation is kept under: each linked site, the author's site, the author's name.</summary>
    private static IEnumerable<string> Keys(Contacts contacts, string? author, string? authorUrl)
    {
        foreach (var site in contacts.Sites)
        {
            yield return "site " + site;
        }

        if (Uri.TryCreate(authorUrl, UriKind.Absolute, out var url) && url.Host.Length > 0)
        {
            yield return "site " + ContactFinder.Site(url.IdnHost);
        }

        if (!string.IsNullOrWhiteSpace(author))
        {
            yield return "author " + author.Trim().ToLowerInvariant();
        }
    }

    private sealed class Row
    {
        public string Text { get; set; } = string.Empty;

        [VectorType(1)]
        public float[] Shipped { get; set; } = new float[1];

        public bool Label { get; set; }

        public float Weight { get; set; } = 1f;

        public static Row From(SpamAssessment a, string? author, string? authorUrl, bool label = false, float weight = 1f, bool linksOut = false)
        {
            // The shipped model's logit, bounded: a probability of exactly 0 or 1 must not dominate.
            var p = Math.Clamp(a.Score, 1e-4f, 1 - 1e-4f);
            var text = new StringBuilder(linksOut ? LinkFree(a.Contacts.Masked) : a.Contacts.Masked);
            foreach (var key in Keys(linksOut ? a.Contacts with { Sites = [] } : a.Contacts, author, authorUrl))
            {
                // One token a key: "site example.com" → "zsiteexamplecom".
                text.Append(" z").Append(string.Concat(key.Where(char.IsAsciiLetterOrDigit)));
            }

            return new Row { Text = text.ToString(), Shipped = [MathF.Log(p / (1 - p))], Label = label, Weight = weight };
        }

        private static string LinkFree(string masked) => CommentFeatures.ContactWords().Replace(masked, " ");
    }

    private sealed class Prediction
    {
        public float Probability { get; set; }
    }
}
