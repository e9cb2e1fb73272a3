using System.Text.Json;
using AgleaFeeds.Host.Cli;
using AgleaFeeds.Host.Tests.Fixtures;

namespace AgleaFeeds.Host.Tests.Cli;

public sealed class CliAppTests : IAsyncLifetime
{
    private FixtureSite _site = null!;
    private string _data = null!;
    private string _opml = null!;

    public async Task InitializeAsync()
    {
        _site = await FixtureSite.StartAsync();
        _data = TestPaths.NewTempFolder();
        _opml = Path.Combine(_data, "sources.opml");
        await File.WriteAllTextAsync(_opml, $"""
            <opml version="2.0"><body>
              <outline text="AGLA Blog" xmlUrl="{_site.PostsFeed}" />
              <outline text="Broken Blog" xmlUrl="{_site.Url("/fail/500")}" />
            </body></opml>
            """);
    }

    public async Task DisposeAsync() => await _site.DisposeAsync();

    private async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync([.. args, $"--Storage:DataDirectory={_data}", $"--Jobs:SourcesOpml={_opml}", "--Fetching:AllowedNetworks:0=127.0.0.0/8"], stdout, stderr);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return (code, stdout.ToString(), stderr.ToString());
    }

    private async Task<(int Code, string Err)> StartAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await AgleaFeedsApp.RunAsync([.. args, $"--Storage:DataDirectory={_data}", $"--Jobs:SourcesOpml={_opml}", "--Jobs:SamplesFolder="], stdout, stderr);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return (code, stderr.ToString());
    }

    [Fact]
    public async Task Start_ThresholdsInTheWrongOrder_IsOneLineNamingTheSettingsExitCode1()
    {
        var (code, err) = await StartAsync("--Urls=http://127.0.0.1:0", "--Scoring:HamThreshold=0.95", "--Scoring:SpamThreshold=0.9");

        Assert.Equal(1, code);
        Assert.Equal("AgleaFeeds did not start: Scoring:HamThreshold must be below Scoring:SpamThreshold (a comment scoring between them waits for a person).", err.Trim());
    }

    [Fact]
    public async Task Start_PortAlreadyInUse_IsOneLineSayingWhatToDo()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var (code, err) = await StartAsync($"--Urls=http://127.0.0.1:{port}");

        Assert.Equal(1, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("AgleaFeeds did not start: ", err, StringComparison.Ordinal);
        Assert.Contains("address already in use", err, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("--Urls=", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnknownFlag_IsRefusedNotIgnored()
    {
        var (code, err) = await StartAsync("--bogus");

        Assert.Equal(2, code);
        Assert.StartsWith("AgleaFeeds: unknown option --bogus.", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbs_UnknownFlagOrMissingFolder_AreOneLineNotAStackTrace()
    {
        var (flagCode, _, flagErr) = await RunAsync("poll-once", "--bogus");
        var (exportCode, _, exportErr) = await RunAsync("export", Path.Combine(_data, "no", "such", "folder", "out.jsonl"));

        Assert.Equal(2, flagCode);
        Assert.StartsWith("AgleaFeeds: unknown option --bogus.", flagErr, StringComparison.Ordinal);
        Assert.Equal(1, exportCode);
        Assert.DoesNotContain("   at ", exportErr, StringComparison.Ordinal);
        Assert.Contains("no/such/folder", exportErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_PrintsTheVerbs()
    {
        var (code, output, _) = await RunAsync("--help");

        Assert.Equal(0, code);
        Assert.Contains("poll-once", output, StringComparison.Ordinal);
        Assert.Contains("inspect FILE|URL", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PollOnce_TwoSources_PrintsOneLinePerSourceThen304OnTheSecondRun()
    {
        var (code, output, _) = await RunAsync("poll-once");
        var (_, again, _) = await RunAsync("poll-once");

        Assert.Equal(1, code);
        Assert.Equal(
            ["AGLA Blog: 4 new post(s), 0 changed, 19 new comment(s)", "Broken Blog: error: Fetching: HTTP 500 Internal Server Error from " + _site.Url("/fail/500") + "."],
            output.Trim().Split(Environment.NewLine));
        Assert.StartsWith("AGLA Blog: not modified (304)", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PollOnce_ASourceAnotherPollerHolds_IsSkippedByTitleAndTheOthersPolled()
    {
        await RunAsync("poll-once");
        await using (var store = new AgleaFeeds.Storage.FeedStore(Microsoft.Extensions.Options.Options.Create(new AgleaFeeds.Storage.StorageOptions { DataDirectory = _data })))
        {
            var broken = (await store.ListSourcesAsync(CancellationToken.None)).Single(s => s.Title == "Broken Blog");
            Assert.Single(await store.ClaimSourcesAsync([broken.Id], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10), "another-host", CancellationToken.None));
        }

        var (_, output, _) = await RunAsync("poll-once");

        Assert.Equal(
            ["AGLA Blog: not modified (304)", "Broken Blog: skipped: being polled by another poller (lease)"],
            output.Trim().Split(Environment.NewLine).Select(l => l.StartsWith("AGLA Blog: not modified (304)", StringComparison.Ordinal) ? "AGLA Blog: not modified (304)" : l));
    }

    [Fact]
    public async Task Inspect_Url_PrintsFormatEntriesAndHttpDetails()
    {
        var (code, output, _) = await RunAsync("inspect", _site.PostsFeed);

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("RSS 2.0", json.RootElement.GetProperty("format").GetString());
        Assert.Equal(200, json.RootElement.GetProperty("http").GetProperty("statusCode").GetInt32());
        var first = json.RootElement.GetProperty("entries")[0];
        Assert.Equal("Jack Ma’s Advice – Learn from Failure and Share Your Success", first.GetProperty("title").GetString());
        Assert.Equal(4, first.GetProperty("commentCount").GetInt32());
    }

    [Fact]
    public async Task Inspect_BrokenFile_PrintsTheProblemsItRecoveredFrom()
    {
        var file = Path.Combine(_data, "broken.xml");
        await File.WriteAllTextAsync(file, "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>A&nbsp;B</title><item><title>x</title><pubDate>soon</pubDate></item></channel></rss>");

        var (code, output, _) = await RunAsync("inspect", file);

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var problems = json.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Contains(problems, p => p!.Contains("HTML entity", StringComparison.Ordinal));
        Assert.Contains(problems, p => p!.Contains("unreadable date", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Inspect_SeveralFilesWithBase_PrintsOneJsonLineEachWithLinksResolved()
    {
        var one = Path.Combine(_data, "one.xml");
        var two = Path.Combine(_data, "two.xml");
        await File.WriteAllTextAsync(one, "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>One</title><link>/</link><description>d</description><item><title>a</title><link>/posts/a/</link></item></channel></rss>");
        await File.WriteAllTextAsync(two, "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Two</title><id>urn:t</id><updated>2025-03-14T09:30:00Z</updated><entry><title>b</title><id>urn:b</id><updated>2025-03-14T09:30:00Z</updated><link href=\"b.html\"/></entry></feed>");

        var (code, output, _) = await RunAsync("inspect", one, two, "--base", "https://blog.example/feed/");

        Assert.Equal(0, code);
        var lines = output.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("https://blog.example/posts/a/", first.RootElement.GetProperty("entries")[0].GetProperty("link").GetString());
        Assert.Equal("https://blog.example/feed/b.html", second.RootElement.GetProperty("entries")[0].GetProperty("link").GetString());
    }

    [Fact]
    public async Task Inspect_EmojiAndNonAsciiTitles_AreWrittenAsThemselves()
    {
        var file = Path.Combine(_data, "emoji.xml");
        await File.WriteAllTextAsync(file, "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>B</title><item><title>서울 😀 meetup</title><link>https://b.example/1</link></item></channel></rss>");

        var (code, output, _) = await RunAsync("inspect", file);

        Assert.Equal(0, code);
        Assert.Contains("\"title\":\"서울 😀 meetup\"", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("서울 😀 meetup", json.RootElement.GetProperty("entries")[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task Inspect_HtmlPageThatIsNotAPost_ExitsNonZeroWithTheError()
    {
        var (code, output, _) = await RunAsync("inspect", _site.Url("/fail/html"));

        Assert.Equal(1, code);
        Assert.Contains("Scraping: not a WordPress post page", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_PostPageUrl_FollowsTheCommentPagesAndPrintsTheTree()
    {
        var (code, output, _) = await RunAsync("inspect", _site.Url("/site/paged/2025/07/01/long-thread/"), "--Scraping:MinDelayPerHost=00:00:00");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("post page", root.GetProperty("kind").GetString());
        Assert.Equal(3, root.GetProperty("commentPages").GetInt32());
        Assert.Equal(10, root.GetProperty("commentCount").GetInt32());
        var thread = root.GetProperty("comments").EnumerateArray().Single(c => c.GetProperty("id").GetInt64() == 202);
        var reply = thread.GetProperty("replies")[0];
        Assert.Equal(203, reply.GetProperty("id").GetInt64());
        Assert.Equal(204, reply.GetProperty("replies")[0].GetProperty("id").GetInt64());
        Assert.Equal(3, reply.GetProperty("replies")[0].GetProperty("depth").GetInt32());
    }

    [Fact]
    public async Task Export_AfterPoll_WritesEverySourcePostAndCommentWithHistory()
    {
        await RunAsync("poll-once");

        var (code, output, _) = await RunAsync("export");

        Assert.Equal(0, code);
        var lines = output.Trim().Split(Environment.NewLine).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count(l => l.GetProperty("type").GetString() == "source"));
        Assert.Equal(4, lines.Count(l => l.GetProperty("type").GetString() == "post"));
        var comments = lines.Where(l => l.GetProperty("type").GetString() == "comment").ToList();
        Assert.Equal(19, comments.Count);
        Assert.All(comments, c => Assert.Equal("Pending", c.GetProperty("history")[0].GetProperty("to").GetString()));
        Assert.Contains(comments, c => c.GetProperty("comment").GetProperty("author").GetString() == "김민지");
        // A source at the default interval has none of its own: no "00:00:00".
        Assert.DoesNotContain("00:00:00", output, StringComparison.Ordinal);
        Assert.All(lines.Where(l => l.GetProperty("type").GetString() == "source"), s => Assert.False(s.GetProperty("source").TryGetProperty("pollInterval", out _)));
    }

    [Fact]
    public async Task UnknownVerb_PrintsUsageAndExits2()
    {
        var (code, _, error) = await RunAsync("frobnicate");

        Assert.Equal(2, code);
        Assert.Contains("Usage:", error, StringComparison.Ordinal);
    }
}
