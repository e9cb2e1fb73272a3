using System.Net;
using System.Xml.Linq;
using AgleaFeeds.Host.Jobs;
using AgleaFeeds.Host.Tests.Fixtures;
using AgleaFeeds.Model;
using AgleaFeeds.Storage;
using Hangfire;

namespace AgleaFeeds.Host.Tests.WordPress;

/// <summary>
/// Two-way moderation against the real WordPress of tests/wordpress: a source connected with an editor's
/// application password reads the comments WordPress holds (posted by readers through the blog's own comment
/// form, with moderation on), and every decision on the dashboard lands on the blog, checked through
/// WordPress's own PHP API; a decision taken in wp-admin meanwhile wins and is recorded; a blog that is down
/// is retried, then shown as failed; wrong credentials are plain messages; the password is nowhere.
/// </summary>
[Collection("WordPress")]
public sealed class WordPressModerationTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private readonly string _folder = TestPaths.NewTempFolder();
    private RunningHost? _host;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>Reads only when a test says so; retries a second apart (three attempts) instead of minutes.</summary>
    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["WordPress:ReadCron"] = "0 0 31 2 *",
            ["WordPress:PushRetryDelays:0"] = "00:00:01",
            ["WordPress:PushRetryDelays:1"] = "00:00:01",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    [SkippableFact]
    public async Task HeldComments_JoinTheQueue_AndApproveSpamRejectRestore_LandOnTheBlog()
    {
        var (site, jack) = await StartAsync(Settings());
        var password = await ModeratorAsync(site);
        var connected = await ConnectAsync("moderator", password);
        Assert.Contains("Connected Test blog 1 to its WordPress as moderator (editor)", connected, StringComparison.Ordinal);

        var held = new Dictionary<string, long>();
        foreach (var (name, text) in new[]
        {
            ("Nina Berg", "Thank you for writing this. Failing at my first job taught me the same thing."),
            ("Omid Rahimi", "I keep a notebook of my mistakes now, and reading it back helps a lot."),
            ("Pia Lund", "Interesting point about sharing success with the team who made it possible."),
            ("Quinn Ades", "My manager said the same after our launch went wrong. Good to read it here."),
        })
        {
            held[name] = await site.PostCommentAsReaderAsync(jack, name, text);
        }

        await ReadNowAsync();
        foreach (var (name, id) in held)
        {
            var stored = await _host!.CommentAsync(id);
            Assert.Equal(CommentStatus.Pending, stored.Status);
            Assert.Equal("hold", stored.BlogStatus);
            Assert.Equal(name.ToLowerInvariant().Replace(' ', '.') + "@reader.example", stored.AuthorEmail);
            Assert.Equal("127.0.0.1", stored.AuthorIp);
            // Scoring suggested, but only a moderator's decision reaches the blog by default.
            Assert.Equal("hold", await site.CommentStatusAsync(id));
        }

        var queue = WebUtility.HtmlDecode(await _host!.Http.GetStringAsync("hangfire/moderation?status=Pending"));
        Assert.Contains("held on the blog", queue, StringComparison.Ordinal);
        Assert.Contains("nina.berg@reader.example", queue, StringComparison.Ordinal);
        var all = await FeedAsync();
        Assert.DoesNotContain(held.Values, id => HasComment(all, id));

        var started = DateTime.UtcNow;
        await DecideAsync("approve", held["Nina Berg"]);
        await DecideAsync("spam", held["Omid Rahimi"]);
        await DecideAsync("reject", held["Pia Lund"]);
        await DecideAsync("reject", held["Quinn Ades"]);
        await WaitUntilSyncedAsync(held.Values, "pushed");
        var took = DateTime.UtcNow - started;
        await DecideAsync("restore", held["Quinn Ades"]);
        await WaitUntilSyncedAsync([held["Quinn Ades"]], "pushed");

        Assert.Equal("approved", await site.CommentStatusAsync(held["Nina Berg"]));
        Assert.Equal("spam", await site.CommentStatusAsync(held["Omid Rahimi"]));
        Assert.Equal("trash", await site.CommentStatusAsync(held["Pia Lund"]));
        Assert.Equal("hold", await site.CommentStatusAsync(held["Quinn Ades"]));

        // The approved held comment is published, once, and stays once after the blog is polled again.
        Assert.True(HasComment(await FeedAsync(), held["Nina Berg"]), "the approved held comment is not in the republished feed");
        await PollNowAsync();
        Assert.Equal(1, Entries(await FeedAsync(), held["Nina Berg"]));
        Assert.Single(await _host.CommentsAsync(), c => c.WordPressId == held["Nina Berg"]);
        Assert.False(HasComment(await FeedAsync(), held["Omid Rahimi"]));

        // The audit: who decided, when, and what the blog answered.
        var omid = await _host.CommentAsync(held["Omid Rahimi"]);
        var page = WebUtility.HtmlDecode(await _host.Http.GetStringAsync($"hangfire/moderation/comment/{omid.Id}"));
        Assert.Contains("Pushed to the blog", page, StringComparison.Ordinal);
        Assert.Contains("WordPress answered: spam", page, StringComparison.Ordinal);
        Assert.Contains("on the blog: spam", page, StringComparison.Ordinal);
        var pushes = await _host.App.Services.GetRequiredService<IBlogSyncStore>().ListPushesAsync(omid.Id, Ct);
        Assert.Equal(("local", "spam", "pushed"), (pushes[^1].DecidedBy, pushes[^1].Wanted, pushes[^1].Outcome));
        Console.WriteLine($"Four decisions on the dashboard to WordPress: {took.TotalSeconds:0.0} s");
    }

    [SkippableFact]
    public async Task ADecisionTakenInWpAdminBetweenReadAndPush_IsARecordedConflict_AndTheBlogKeepsItsState()
    {
        var (site, jack) = await StartAsync(Settings());
        await ConnectAsync("moderator", await ModeratorAsync(site));
        var id = await site.PostCommentAsReaderAsync(jack, "Rosa Klein", "I printed this out for my daughter, who is starting university.");
        await ReadNowAsync();
        Assert.Equal("hold", (await _host!.CommentAsync(id)).BlogStatus);

        // Someone approves it in wp-admin; here a moderator, who saw it held, marks it spam.
        await site.SetStatusAsync(id, "approve");
        await DecideAsync("spam", id);
        await WaitUntilSyncedAsync([id], "conflict");

        Assert.Equal("approved", await site.CommentStatusAsync(id));
        var comment = await _host.CommentAsync(id);
        Assert.Equal(CommentStatus.Approved, comment.Status);
        Assert.Contains("changed on the blog to approved since it was read (hold)", comment.Sync!.Note, StringComparison.Ordinal);
        var events = await _host.Store.ListEventsAsync(comment.Id, Ct);
        Assert.Equal(("local", CommentStatus.Spam), (events[^2].Actor, events[^2].To));
        Assert.Equal(("wordpress", CommentStatus.Approved), (events[^1].Actor, events[^1].To));
        var page = WebUtility.HtmlDecode(await _host.Http.GetStringAsync($"hangfire/moderation/comment/{comment.Id}"));
        Assert.Contains("the blog's moderators (WordPress)", page, StringComparison.Ordinal);
        Assert.Contains("conflict", page, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task WrongPassword_UserWithoutTheCapability_ApiTurnedOff_NoApplicationPasswords_AreEachAPlainMessage()
    {
        var (site, _) = await StartAsync(Settings());
        var password = await ModeratorAsync(site);
        await site.UserAsync("writer", "author");
        var writer = await site.AppPasswordAsync("writer");

        var wrong = await ConnectAsync("moderator", "abcd efgh ijkl mnop qrst uvwx");
        Assert.Contains("was not connected. WordPress did not accept the user name and application password", wrong, StringComparison.Ordinal);
        var author = await ConnectAsync("writer", writer);
        Assert.Contains("WordPress user \"writer\" (author) lacks the moderate_comments capability", author, StringComparison.Ordinal);

        await site.SetOptionAsync("agleafeeds_rest_off", "all");
        var off = await ConnectAsync("moderator", password);
        await site.SetOptionAsync("agleafeeds_rest_off", "");
        Assert.Contains("The blog's REST API refuses requests (HTTP 401 rest_disabled", off, StringComparison.Ordinal);

        await site.SetOptionAsync("agleafeeds_app_passwords_off", "1");
        var https = await ConnectAsync("moderator", password);
        await site.SetOptionAsync("agleafeeds_app_passwords_off", "");
        Assert.Contains("Application passwords are not available on this site because it is not on HTTPS", https, StringComparison.Ordinal);

        Assert.Empty(await _host!.App.Services.GetRequiredService<IBlogSyncStore>().ListConnectionsAsync(Ct));
        Assert.Contains("Moderated with its WordPress", await ConnectAsync("moderator", password), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ThePassword_AppearsNowhere_NotInPagesLogsExportMetricsOrTheDatabase()
    {
        using var logs = new CapturedLogs();
        var (site, jack) = await StartAsync(Settings(), logs);
        var password = await ModeratorAsync(site);
        var wrongPassword = "zzzz yyyy xxxx wwww vvvv uuuu";
        await ConnectAsync("moderator", wrongPassword);
        await ConnectAsync("moderator", password);
        var id = await site.PostCommentAsReaderAsync(jack, "Sven Ito", "This is the kind of post I share with new colleagues.");
        await ReadNowAsync();
        await DecideAsync("approve", id);
        await WaitUntilSyncedAsync([id], "pushed");
        var comment = await _host!.CommentAsync(id);

        var seen = new Dictionary<string, string>
        {
            ["the Sources page"] = await _host.Http.GetStringAsync("hangfire/sources"),
            ["the queue"] = await _host.Http.GetStringAsync("hangfire/moderation?status=Approved"),
            ["the comment's page"] = await _host.Http.GetStringAsync($"hangfire/moderation/comment/{comment.Id}"),
            ["the Model page"] = await _host.Http.GetStringAsync("hangfire/model"),
            ["the recurring jobs page"] = await _host.Http.GetStringAsync("hangfire/recurring"),
            ["the succeeded jobs page"] = await _host.Http.GetStringAsync("hangfire/jobs/succeeded"),
            ["/metrics"] = await _host.Http.GetStringAsync("metrics"),
            ["the log"] = string.Join("\n", logs.Lines),
        };
        await using (var export = new StringWriter())
        {
            await AgleaFeeds.Host.Cli.ExportCommand.WriteAsync(_host.Store, export, Ct);
            seen["export"] = export.ToString();
        }

        Assert.Contains("Connected", seen["the log"], StringComparison.Ordinal);
        foreach (var file in Directory.GetFiles(_folder, "*.db*"))
        {
            seen[Path.GetFileName(file)] = System.Text.Encoding.Latin1.GetString(await ReadSharedAsync(file));
        }

        // Every row of the store, on either provider (the SQLite file above; a PostgreSQL database has no file here).
        var store = (FeedStore)_host.Store;
        await using (var connection = await store.Database.OpenAsync(Ct))
        {
            var rows = new System.Text.StringBuilder();
            foreach (var table in StoreCopy.Tables)
            {
                await using var read = connection.CreateCommand();
                read.CommandText = $"SELECT * FROM {table}";
                await using var reader = await read.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        rows.Append(reader.GetValue(i)).Append('\t');
                    }
                }
            }

            seen["the store's tables"] = rows.ToString();
            Assert.Contains("moderator", seen["the store's tables"], StringComparison.Ordinal);
        }

        foreach (var secret in new[] { password, wrongPassword }.SelectMany(p => new[] { p, p.Replace(" ", string.Empty, StringComparison.Ordinal), Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("moderator:" + p)) }))
        {
            foreach (var (where, text) in seen)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"the password is in {where}");
            }
        }

        if (store.Database.Provider == "PostgreSql")
        {
            // Several hosts share one key ring: in the database.
            Assert.NotEmpty(store.ListProtectionKeys());
            return;
        }

        var keys = Path.Combine(_folder, "keys");
        Assert.True(Directory.Exists(keys) && Directory.GetFiles(keys).Length > 0, "no Data Protection keys beside the data");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        }
    }

    [SkippableFact]
    public async Task APushThatFails_IsRetried_ThenShownAsFailed_AndPushAgainLandsItOnceTheBlogIsBack()
    {
        var (site, jack) = await StartAsync(Settings());
        await ConnectAsync("moderator", await ModeratorAsync(site));
        var id = await site.PostCommentAsReaderAsync(jack, "Tariq Bello", "Saving this one. Thank you for the honest story.");
        await ReadNowAsync();
        await site.StopWebAsync();
        Model.Comment comment;
        try
        {
            await DecideAsync("approve", id);
            await WaitUntilSyncedAsync([id], "failed");
            comment = await _host!.CommentAsync(id);
            var pushes = await _host.App.Services.GetRequiredService<IBlogSyncStore>().ListPushesAsync(comment.Id, Ct);
            Assert.Equal(["retry", "retry", "failed"], pushes.Select(p => p.Outcome));
            var page = WebUtility.HtmlDecode(await _host.Http.GetStringAsync($"hangfire/moderation/comment/{comment.Id}"));
            Assert.Contains("push failed (approved): WordPress: Fetching:", page, StringComparison.Ordinal);
            Assert.Contains("attempt 3 of 3: given up", page, StringComparison.Ordinal);
            Assert.Contains("js-push-again", page, StringComparison.Ordinal);
        }
        finally
        {
            await site.StartWebAsync();
        }

        Assert.Equal("hold", await site.CommentStatusAsync(id));
        using var again = await DashboardCommand.PostAsync(_host.Http, $"hangfire/moderation/push-again/{comment.Id}");
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        await WaitUntilSyncedAsync([id], "pushed");
        Assert.Equal("approved", await site.CommentStatusAsync(id));
    }

    [SkippableFact]
    public async Task OnConnecting_TheBlogsHistoryBecomesLabels_AndWhereTheOperatorOptsIn_AutomaticSpamGoesToTheBlogsSpam()
    {
        var (site, jack) = await StartAsync(Settings(("Scoring:Rules:DisallowedKeys", "zq-casino-bonus")));
        var truth = await site.TruthAsync();
        await ConnectAsync("moderator", await ModeratorAsync(site), push: true);
        await ReadNowAsync();

        // Every approved comment of type comment (the API lists no pingbacks) and the one spam.
        var decisions = truth.Comments.Count(c => c.Type == "comment") + 1;
        Assert.Equal(decisions, await _host!.App.Services.GetRequiredService<IBlogSyncStore>().CountBlogLabelsAsync(Ct));
        Assert.Contains($"learned from {decisions} of the blogs' own decisions", WebUtility.HtmlDecode(await _host.Http.GetStringAsync("hangfire/model")), StringComparison.Ordinal);
        Assert.Contains($"the model learns from {decisions} of the blogs' own decisions", WebUtility.HtmlDecode(await _host.Http.GetStringAsync("hangfire/sources")), StringComparison.Ordinal);
        var stored = await _host.CommentsAsync();
        var spam = stored.Single(c => c.Author == "Spammy Sam");
        Assert.Equal((CommentStatus.Spam, "spam"), (spam.Status, spam.BlogStatus));
        // The comment the blog held is plain ham: approved automatically, and, as this source pushes verdicts, on the blog too.
        var harry = stored.Single(c => c.Author == "Held Harry");
        Assert.Equal((CommentStatus.Approved, "approved"), (harry.Status, harry.BlogStatus));
        Assert.Equal("approved", await site.CommentStatusAsync(harry.WordPressId!.Value));
        // The credentials list comments on private posts and drafts too: never stored, never shown.
        Assert.DoesNotContain(stored, c => c.Author is "Insider" or "Early reader");
        foreach (var path in new[] { "feeds/all.atom", "feeds/comments.atom" })
        {
            var body = await _host.Http.GetStringAsync(path);
            Assert.DoesNotContain(truth.NeverShown.Where(t => t != harry.ContentText), secret => body.Contains(secret, StringComparison.Ordinal) || body.Contains(WebUtility.HtmlEncode(secret), StringComparison.Ordinal));
        }

        var id = await site.PostCommentAsReaderAsync(jack, "Win Big", "Claim your zq-casino-bonus today, limited offer.");
        await ReadNowAsync();
        await WaitUntilSyncedAsync([id], "pushed");
        Assert.Equal("spam", await site.CommentStatusAsync(id));
        var comment = await _host.CommentAsync(id);
        Assert.Equal(CommentStatus.Spam, comment.Status);
        Assert.StartsWith("scoring:", (await _host.App.Services.GetRequiredService<IBlogSyncStore>().ListPushesAsync(comment.Id, Ct))[0].DecidedBy, StringComparison.Ordinal);
    }

    private async Task<(WordPressSite Site, long Jack)> StartAsync(Dictionary<string, string?> settings, CapturedLogs? logs = null)
    {
        var site = await WordPressSite.RequireAsync();
        await site.SeedAsync("twentytwentyone");
        await site.SetOptionAsync("comment_moderation", "1");
        var truth = await site.TruthAsync();
        _host = await RunningHost.StartAsync(_folder, settings, repositorySettings: false, logs, site.FeedUrl);
        await RunningHost.WaitUntilAsync(async () => (await _host.Store.ListSourcesAsync(Ct)) is [{ LastPolledAt: not null }], TimeSpan.FromSeconds(60), "the first poll");
        await _host.WaitUntilQuietAsync();
        return (site, truth.Posts.Single(p => p.Title.StartsWith("Jack Ma", StringComparison.Ordinal)).Id);
    }

    private static async Task<string> ModeratorAsync(WordPressSite site)
    {
        await site.UserAsync("moderator", "editor");
        return await site.AppPasswordAsync("moderator");
    }

    /// <summary>Submits the Connect form of the Sources page; returns the page the browser lands on.</summary>
    private async Task<string> ConnectAsync(string user, string password, bool push = false)
    {
        var source = Assert.Single(await _host!.Store.ListSourcesAsync(Ct));
        var fields = new List<(string, string)> { ("site", string.Empty), ("user", user), ("password", password) };
        if (push)
        {
            fields.Add(("push", "on"));
        }

        var page = WebUtility.HtmlDecode(await DashboardCommand.SubmitAsync(_host.Http, "hangfire/sources", $"hangfire/sources/connect/{source.Id}", fields));
        await _host.WaitUntilQuietAsync();
        return page;
    }

    private async Task ReadNowAsync()
    {
        _host!.App.Services.GetRequiredService<IRecurringJobManagerV2>().TriggerJob(BlogReadJob.RecurringJobId);
        await Task.Delay(500);
        await _host.WaitUntilQuietAsync();
    }

    private async Task PollNowAsync()
    {
        var source = Assert.Single(await _host!.Store.ListSourcesAsync(Ct));
        await _host.Store.MakeDueAsync(source.Id, DateTimeOffset.UtcNow, Ct);
        _host.App.Services.GetRequiredService<IRecurringJobManagerV2>().TriggerJob(PollSchedulerJob.RecurringJobId);
        await RunningHost.WaitUntilAsync(async () => (await _host.Store.GetSourceAsync(source.Id, Ct))!.LastPolledAt > source.LastPolledAt, TimeSpan.FromSeconds(60), "the poll now");
        await _host.WaitUntilQuietAsync();
    }

    /// <summary>Decides on a comment (by its WordPress id) as the queue does, from the status it is in now.</summary>
    private async Task DecideAsync(string action, long wordPressId)
    {
        var comment = await _host!.CommentAsync(wordPressId);
        using var response = await DashboardCommand.PostFormAsync(_host.Http, "hangfire/moderation/decide",
            [("action", action), ("from", comment.Status.ToString()), ("ids[]", comment.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode && body.Contains("\"Applied\"", StringComparison.Ordinal), $"{action} {wordPressId}: {body}");
    }

    private async Task WaitUntilSyncedAsync(IEnumerable<long> wordPressIds, string state)
    {
        var ids = wordPressIds.ToList();
        await RunningHost.WaitUntilAsync(
            async () =>
            {
                foreach (var id in ids)
                {
                    var sync = (await _host!.CommentAsync(id)).Sync;
                    if (sync?.State == "pending")
                    {
                        return false;
                    }

                    Assert.True(sync?.State == state, $"comment {id}: {sync?.State} ({sync?.Note}), not {state}");
                }

                return true;
            },
            TimeSpan.FromSeconds(60),
            $"the decisions to be {state}");
    }

    private async Task<XDocument> FeedAsync()
    {
        using var response = await _host!.Http.GetAsync("feeds/all.atom");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static int Entries(XDocument feed, long wordPressId) =>
        feed.Descendants(Atom + "entry").Count(e => e.Elements(Atom + "link").Any(l => (string?)l.Attribute("rel") == "alternate"
            && ((string?)l.Attribute("href"))?.EndsWith($"#comment-{wordPressId}", StringComparison.Ordinal) == true));

    private static bool HasComment(XDocument feed, long wordPressId) => Entries(feed, wordPressId) > 0;

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
