using AgleaFeeds.Scoring;

namespace AgleaFeeds.Tests.Scoring;

public class SpamModelTests
{
    private static readonly LabelledComment[] Small =
    [
        .. Enumerable.Range(0, 30).Select(i => new LabelledComment($"Great post number {i}, thanks for the careful reporting about our community meetup.", false)),
        .. Enumerable.Range(0, 30).Select(i => new LabelledComment($"CHEAP pills {i}!!! buy now at <a href=\"http://spam{i}.example\">best price</a> casino bonus", true)),
    ];

    // Trees learn the few features that split the training set, so the probes follow its patterns;
    // how the model generalises is measured on the held-out corpus (SpamCorpusTests, docs/MODEL.md).
    private static readonly (string, string?)[] Probe =
    [
        ("Great post number 99, thanks for the careful reporting about our community meetup.", null),
        ("CHEAP pills 99!!! buy now at <a href=\"http://pills.example\">best price</a> casino bonus", "http://pills.example"),
    ];

    [Fact]
    public void Train_SameDataTwice_GivesTheSameScores()
    {
        var a = SpamModel.Train(Small).Score(Probe);
        var b = SpamModel.Train(Small).Score(Probe);

        Assert.Equal(a, b);
        Assert.True(a[0] < 0.5 && a[1] > 0.5, $"ham {a[0]}, spam {a[1]}");
    }

    [Fact]
    public void SaveThenLoad_ScoresTheSame()
    {
        var model = SpamModel.Train(Small);
        var path = Path.Combine(Path.GetTempPath(), $"agleafeeds-model-{Guid.NewGuid():N}.zip");
        model.Save(path);

        Assert.Equal(model.Score(Probe), SpamModel.Load(path).Score(Probe));
    }

    [Fact]
    public void Load_CorruptFile_IsAClearError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"agleafeeds-model-{Guid.NewGuid():N}.zip");
        File.WriteAllText(path, "not a model");

        var error = Assert.Throws<InvalidDataException>(() => SpamModel.Load(path));

        Assert.StartsWith($"Scoring: the model file {path} cannot be used", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_SaysHowToMakeOne()
    {
        var error = Assert.Throws<InvalidDataException>(() => SpamModel.Load("/nonexistent/model.zip"));

        Assert.Contains("run `train`", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<p>Visit <a href=\"http://a.example\">a</a> and <a href=\"http://b.example\">b</a></p>", 2)]
    [InlineData("see http://a.example and www.b.example", 2)]
    [InlineData("[url=http://a.example]cheap[/url]", 1)]
    [InlineData("no links here", 0)]
    public void TextAndLinks_CountsMarkupBareAndBbCodeLinks(string content, int links)
    {
        Assert.Equal(links, CommentFeatures.TextAndLinks(content).Links);
    }

    [Fact]
    public void Compute_KnownConfusion_GivesTheTextbookFigures()
    {
        (float, bool)[] scores = [(0.9f, true), (0.8f, true), (0.7f, false), (0.2f, true), (0.1f, false), (0.05f, false)];

        var m = SpamMetrics.Compute(scores, 0.5, auc: 0.89);

        Assert.Equal((2, 1, 2, 1), (m.TruePositives, m.FalsePositives, m.TrueNegatives, m.FalseNegatives));
        Assert.Equal(2.0 / 3, m.Precision, 6);
        Assert.Equal(2.0 / 3, m.Recall, 6);
        Assert.Equal(1.0 / 3, m.HamFalsePositiveRate, 6);
        Assert.Equal(1.0 / 3, m.Mcc, 6);
    }
}
