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
        Assert.Contains("verdicts at the thresholds (0.20/0.90, rules on): ham caught automatically 0 of 1 (0.0 %)", output, StringComparison.Ordinal);
        Assert.Contains("to a person", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreData_LabelledAndUnlabelledCsv_OneVerdictALineWithReasons()
    {
        TrainSmallModel();
        var labelled = Path.Combine(_folder, "labelled.csv");
        await File.WriteAllTextAsync(labelled, "content,label,author\n\"Thank you for the careful reporting on the meetup.\",ham,Ann\n\"CHEAP pills 7!!! buy now casino, [url=http://x.example]x[/url]\",spam,Eve\n");
        var unlabelled = Path.Combine(_folder, "unlabelled.csv");
        await File.WriteAllTextAsync(unlabelled, "content\n\"Thank you for the careful reporting on the meetup.\"\n");

        var (code, output, _) = await RunAsync("score", "--data", labelled);
        var (code2, plain, _) = await RunAsync("score", "--data", unlabelled);

        Assert.Equal((0, 0), (code, code2));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("line\tlabel\tverdict\tscore\treasons", lines[0]);
        Assert.StartsWith("2\tspam\tSpam\t", lines[2], StringComparison.Ordinal);
        Assert.Contains("bbcode-link", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("# shipped-", lines[3], StringComparison.Ordinal);
        Assert.Contains("spam approved automatically 0 of 1", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("line\tverdict\tscore\treasons", plain, StringComparison.Ordinal);
        Assert.Matches(@"\n1\t(Approved|Pending)\t0\.\d{4}\t", plain);
    }

    [Fact]
    public async Task Train_WithoutOut_SavesANewVersionAndNeverTheShippedModel_ThenRefusesAnIdenticalOne()
    {
        var corpus = Path.Combine(_folder, "corpus");
        Directory.CreateDirectory(corpus);
        string Videos(int n) => "COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS\n" + string.Join('\n', Enumerable.Range(0, n).Select(i => i % 2 == 0
            ? $"h{i},Fan {i},2015-01-01,\"Love this song, it reminds me of summer {i}\",0"
            : $"s{i},Promo {i},2015-01-01,\"Check out my channel for free gift cards {i} http://promo{i}.example\",1")) + "\n";
        foreach (var name in (string[])[SpamTraining.HeldOutVideo, .. SpamTraining.TrainingVideos])
        {
            await File.WriteAllTextAsync(Path.Combine(corpus, name), Videos(40));
        }

        await File.WriteAllTextAsync(Path.Combine(corpus, SpamTraining.Sms), string.Join('\n', Enumerable.Range(0, 60).Select(i => i % 3 == 0 ? $"spam\tWIN a prize {i} call now" : $"ham\tSee you at home at {i} tonight")) + "\n");
        var labels = Path.Combine(_folder, "blog.csv");
        await File.WriteAllTextAsync(labels, "content,label\n\"Printer support number, toll free technician\",spam\n\"Thanks for the garden plan\",ham\n");

        var (code, output, error) = await RunAsync("train", "--corpus", corpus, "--labels", labels);

        Assert.True(code == 0, error);
        Assert.Contains("and 2 labels from", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "model.zip")), "the shipped model's path is never written without --out");
        var version = System.Text.RegularExpressions.Regex.Match(output, @"saved as version (\S+)").Groups[1].Value;
        Assert.NotEmpty(version);
        Assert.Contains(version, (await RunAsync("model-versions")).Out, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync("rollback", version)).Code);
        var (_, again, _) = await RunAsync("train", "--corpus", corpus, "--labels", labels);

        Assert.Contains("identical to the one in use", again, StringComparison.Ordinal);
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
