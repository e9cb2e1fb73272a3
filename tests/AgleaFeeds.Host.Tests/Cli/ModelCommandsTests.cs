using AgleaFeeds.Host.Cli;
using AgleaFeeds.Host.Tests.Fixtures;
using AgleaFeeds.Scoring;

namespace AgleaFeeds.Host.Tests.Cli;

public sealed class ModelCommandsTests
{
    private readonly string _folder = TestPaths.NewTempFolder();

    private async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync([.. args, $"--Storage:DataDirectory={_folder}", $"--Scoring:ModelPath={Path.Combine(_folder, "model.zip")}"], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private void TrainSmallModel()
    {
        LabelledComment[] examples =
        [
            .. Enumerable.Range(0, 30).Select(i => new LabelledComment($"Thank you for the careful reporting on meetup {i}.", false)),
            .. Enumerable.Range(0, 30).Select(i => new LabelledComment($"CHEAP pills {i}!!! buy now <a href=\"http://spam{i}.example\">casino</a>", true)),
        ];
        SpamModel.Train(examples).Save(Path.Combine(_folder, "model.zip"));
    }

    [Fact]
    public async Task Score_WithoutAModel_ExplainsHowToMakeOne()
    {
        var (code, _, error) = await RunAsync("score", "hello");

        Assert.Equal(1, code);
        Assert.Contains("no model file", error, StringComparison.Ordinal);
        Assert.Contains("run `train`", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_Text_PrintsTheScore()
    {
        TrainSmallModel();

        var (code, spam, _) = await RunAsync("score", "BUY CHEAP PILLS NOW!!! http://pills.example casino");
        var (_, ham, _) = await RunAsync("score", "Thank you for the careful reporting on the meetup.");

        Assert.Equal(0, code);
        Assert.Matches(@"^score (0\.9\d{3}|1\.0000) \(spam at threshold 0\.9\)", spam);
        Assert.Matches(@"^score 0\.[0-8]\d{3} \(not spam at threshold 0\.9\)", ham);
    }

    [Fact]
    public async Task Evaluate_LabelledCsv_PrintsMetricsAndConfusion()
    {
        TrainSmallModel();
        var data = Path.Combine(_folder, "labelled.csv");
        await File.WriteAllTextAsync(data, "content,label\n\"Thanks for the careful reporting, see you at the meetup\",ham\n\"cheap pills!!! buy now http://x.example casino\",spam\n");

        var (code, output, _) = await RunAsync("evaluate", "--data", data);

        Assert.Equal(0, code);
        Assert.Contains("labelled.csv: 2 comments, 1 spam", output, StringComparison.Ordinal);
        Assert.Contains("confusion: spam caught", output, StringComparison.Ordinal);
        Assert.Contains("ham FPR", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelVersions_OnAFreshInstall_ListsTheShippedModel()
    {
        var (code, output, _) = await RunAsync("model-versions");

        Assert.Equal(0, code);
        Assert.StartsWith("shipped (models/spam-model.zip)", output, StringComparison.Ordinal);
        Assert.Contains("in use:", output, StringComparison.Ordinal);
    }
}
