using AgleaFeeds.Scoring;

namespace AgleaFeeds.Tests.Scoring;

public sealed class SpamCorpusTests : IDisposable
{
    private readonly List<string> _written = [];

    /// <summary>The corpus files this test wrote go with it (every run left them in the temp folder).</summary>
    public void Dispose()
    {
        foreach (var path in _written)
        {
            File.Delete(path);
        }
    }

    private string Write(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"agleafeeds-corpus-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        _written.Add(path);
        return path;
    }

    [Fact]
    public void Read_LabelledCsvWithQuotedNewlinesAndOptionalColumns_ReadsEveryRow()
    {
        var path = Write(""""
            author,content,label,author_url
            Ann,"Nice post, thanks!",ham,
            Bot,"Buy now
            at http://spam.example",spam,http://spam.example
            Zed,"She said ""hi""",0,
            Yo,cheap pills,1,https://pills.example
            """");

        var rows = SpamCorpus.Read(path);

        Assert.Equal([false, true, false, true], rows.Select(r => r.IsSpam));
        Assert.Equal("Nice post, thanks!", rows[0].Content);
        Assert.Equal("Buy now\nat http://spam.example", rows[1].Content.ReplaceLineEndings("\n"));
        Assert.Equal("She said \"hi\"", rows[2].Content);
        Assert.Equal("http://spam.example", rows[1].AuthorUrl);
        Assert.Equal("Bot", rows[1].Author);
        Assert.Null(rows[0].AuthorUrl);
    }

    [Fact]
    public void Read_UnknownLabel_SaysWhich()
    {
        var path = Write("content,label\nhello,maybe\n");

        var error = Assert.Throws<FormatException>(() => SpamCorpus.Read(path));

        Assert.Contains("label \"maybe\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownFormat_SaysWhatItExpects()
    {
        var path = Write("a;b;c\n1;2;3\n");

        var error = Assert.Throws<FormatException>(() => SpamCorpus.Read(path));

        Assert.StartsWith("Scoring: ", error.Message, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("Youtube01-Psy.csv", 350, 175)]
    [InlineData("Youtube03-LMFAO.csv", 438, 236)]
    [InlineData("SMSSpamCollection.tsv", 5574, 747)]
    public void Read_SharedCorpora_ReadsTheDocumentedCounts(string file, int rows, int spam)
    {
        TestFiles.SkipUnlessSpamCorpus();

        var read = SpamCorpus.Read(Path.Combine(TestFiles.SpamCorpus, file));

        Assert.Equal(rows, read.Count);
        Assert.Equal(spam, read.Count(r => r.IsSpam));
        Assert.DoesNotContain(read, r => r.Content.Contains('\uFEFF', StringComparison.Ordinal));
    }
}
