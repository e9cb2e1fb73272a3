using AgleaFeeds.Host.Security;
using AgleaFeeds.Host.Tests.Fixtures;
using AgleaFeeds.Model;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgleaFeeds.Host.Tests.Dashboard;

/// <summary>
/// The moderator's flow in a real headless Chromium (Debian's chromium package), on the sample blog:
/// log in, read the queue, decide with the mouse, the keyboard and a selection, undo, and see the
/// result in the published feed. A screenshot of the queue is saved under TestResults/.
/// </summary>
public sealed class BrowserTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private FixtureSite _site = null!;
    private RunningHost _host = null!;

    public async Task InitializeAsync()
    {
        _site = await FixtureSite.StartAsync();
        _host = await RunningHost.StartAsync(TestPaths.NewTempFolder(), new Dictionary<string, string?>
        {
            // The browser is on this machine: turn local anonymous access off so that it has to log in.
            ["Security:AllowLocalAnonymous"] = "false",
            ["Security:Accounts:0:Name"] = "ann",
            ["Security:Accounts:0:PasswordHash"] = LoginEndpoints.Hash("correct horse"),
            ["Security:Accounts:0:Role"] = "Moderator",
        }, _site.PostsFeed);
        await _host.WaitUntilSampleJudgedAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _site.DisposeAsync();
    }

    [SkippableFact]
    public async Task Moderator_InChromium_ApprovesWithTheMouse_SpamsWithTheKeyboard_BulkApproves_Undoes()
    {
        Skip.IfNot(File.Exists(Chromium), $"{Chromium} is missing (apt-get install chromium): the browser test needs Debian's Chromium.");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _host.BaseUrl.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        var page = await context.NewPageAsync();

        // Log in: the form sends the moderator to the queue.
        await page.GotoAsync("login");
        await page.GetByLabel("Name").FillAsync("ann");
        await page.GetByLabel("Password").FillAsync("correct horse");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForURLAsync("**/hangfire/moderation");

        // The queue: four comments wait, each with its score and reasons; the menu badge says 4.
        var rows = page.Locator("tr.comment-row");
        await Expect(rows).ToHaveCountAsync(4);
        await Expect(page.Locator("#sidebar, .navbar").GetByText("Moderation")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-metric='agleafeeds:pending']")).ToHaveTextAsync("4");
        var daniel = page.Locator("tr.comment-row[data-author='Daniel Park']");
        await Expect(daniel.Locator(".score")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^0\.\d{3}$"));
        await Expect(daniel.Locator(".reasons")).ToContainTextAsync("moderation-key:careful reporting");
        var screenshot = Path.Combine(TestPaths.RepositoryRoot, "TestResults", "moderation-queue.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });

        // Approve Daniel Park's comment with the mouse.
        await daniel.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(page.Locator("#moderation-notice")).ToContainTextAsync("Approved: 1 comment");

        // Mark one spam with the keyboard: j moves down, k back up, s marks the highlighted comment.
        await page.Keyboard.PressAsync("j");
        await Expect(rows.Nth(1)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\binfo\b"));
        await page.Keyboard.PressAsync("k");
        var highlighted = page.Locator("tr.comment-row.info");
        await Expect(highlighted).ToHaveCountAsync(1);
        var spamId = long.Parse((await highlighted.GetAttributeAsync("data-comment-id"))!, System.Globalization.CultureInfo.InvariantCulture);
        await page.Keyboard.PressAsync("s");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(page.Locator("#moderation-notice")).ToContainTextAsync("Spam: 1 comment");

        // Bulk-approve the two left, then undo that: both come back to the queue.
        var bulkIds = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.getAttribute('data-comment-id'))");
        await rows.Nth(0).Locator(".select-comment").CheckAsync();
        await rows.Nth(1).Locator(".select-comment").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve selected" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(0);
        await Expect(page.Locator("#moderation-notice")).ToContainTextAsync("Approved: 2 comments");
        await page.Keyboard.PressAsync("u");
        await Expect(rows).ToHaveCountAsync(2);
        Assert.Equal(bulkIds.Order(), (await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.getAttribute('data-comment-id'))")).Order());

        // What the store and the subscribers see.
        var danielComment = await _host.CommentAsync(101);
        var spam = await _host.Store.GetCommentAsync(spamId, CancellationToken.None);
        Assert.Equal(CommentStatus.Approved, danielComment.Status);
        Assert.Equal(CommentStatus.Spam, spam!.Status);
        foreach (var id in bulkIds)
        {
            Assert.Equal(CommentStatus.Pending, (await _host.Store.GetCommentAsync(long.Parse(id, System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None))!.Status);
        }

        var feed = System.Xml.Linq.XDocument.Parse(await (await page.GotoAsync("feeds/comments.atom"))!.TextAsync());
        System.Xml.Linq.XNamespace atom = "http://www.w3.org/2005/Atom";
        var published = feed.Descendants(atom + "entry").Select(e => (string?)e.Elements(atom + "link").FirstOrDefault(l => (string?)l.Attribute("rel") is null or "alternate")?.Attribute("href")).ToList();
        Assert.Contains(published, link => link!.EndsWith("#comment-101", StringComparison.Ordinal));
        Assert.DoesNotContain(published, link => link!.EndsWith($"#comment-{spam.WordPressId}", StringComparison.Ordinal));
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the queue's screenshot was saved");
    }
}
