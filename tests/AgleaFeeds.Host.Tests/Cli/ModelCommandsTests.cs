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
    public async Task Score_Text_PrintsTheVerdictTheServiceWouldGive()
    {
        TrainSmallModel();

        // Sixty training comments make a soft model: a lower spam threshold for the clear case.
        var (code, spam, _) = await RunAsync("score", "CHEAP pills 7!!! buy now casino", "--Scoring:SpamThreshold=0.8");
        var (_, ham, _) = await RunAsync("score", "Thank you for the careful reporting on the meetup.", "--Scoring:HamThreshold=0.2");
        // A moderation key holds a comment the model would pass: the service would hold it, and so does `score`.
        var (_, held, _) = await RunAsync("score", "Thank you for the careful reporting on the meetup.", "--Scoring:Rules:ModerationKeys=meetup");
        // Between the thresholds a person decides.
        var (_, between, _) = await RunAsync("score", "Thank you for the careful reporting on the meetup.", "--Scoring:HamThreshold=0.0001", "--Scoring:SpamThreshold=0.9999");
        var (_, linked, _) = await RunAsync("score", "Nice post", "--author", "Eve", "--author-url", "http://x.example/", "--Scoring:Rules:BlockedAuthors:0=Eve");

        Assert.Equal(0, code);
        Assert.Matches(@"^Spam \(caught as spam automatically\): score (0\.[89]\d{3}|1\.0000) with ", spam);
        Assert.Matches(@"^Approved \(approved automatically\): score 0\.[01]\d{3} with ", ham);
        Assert.Contains("approved at or below 0.20, spam at or above 0.90", ham, StringComparison.Ordinal);
        Assert.StartsWith("Pending (waits for a person)", held, StringComparison.Ordinal);
        Assert.Contains("reasons: moderation-key:meetup", held, StringComparison.Ordinal);
        Assert.StartsWith("Pending (waits for a person)", between, StringComparison.Ordinal);
        Assert.StartsWith("Spam", linked, StringComparison.Ordinal);
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
    public async Task Evaluate_OnTheTrainingCorpus_WarnsThatTheFiguresAreOptimistic()
    {
        TrainSmallModel();
        var data = Path.Combine(_folder, SpamTraining.Sms);
        await File.WriteAllTextAsync(data, "ham\tSee you at the meetup\nspam\tWIN cash now http://x.example\n");

        var (code, output, _) = await RunAsync("evaluate", "--data", data);

        Assert.Equal(0, code);
        Assert.StartsWith("warning: 80 % of SMSSpamCollection.tsv is training data", output, StringComparison.Ordinal);
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
