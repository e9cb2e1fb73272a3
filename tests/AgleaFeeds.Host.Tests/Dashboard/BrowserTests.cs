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
        AgleaFeeds.Testing.Tool.Require(Chromium, "chromium");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _host.BaseUrl.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        var page = await context.NewPageAsync();

        // Log in: the form sends the moderator to the queue.
        await LogInAsync(page);

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
        // The last decision leaves a note, not a blank page, and the tab's count follows.
        await Expect(page.Locator("#moderation-empty")).ToBeVisibleAsync();
        await Expect(page.Locator(".tab-count[data-status='Pending']")).ToHaveTextAsync("0");
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

        // What a feed reader gets (a browser navigating there gets the XSLT page: the other test looks at that).
        var feed = System.Xml.Linq.XDocument.Parse(await (await page.Context.APIRequest.GetAsync("feeds/comments.atom")).TextAsync());
        System.Xml.Linq.XNamespace atom = "http://www.w3.org/2005/Atom";
        var published = feed.Descendants(atom + "entry").Select(e => (string?)e.Elements(atom + "link").FirstOrDefault(l => (string?)l.Attribute("rel") is null or "alternate")?.Attribute("href")).ToList();
        Assert.Contains(published, link => link!.EndsWith("#comment-101", StringComparison.Ordinal));
        Assert.DoesNotContain(published, link => link!.EndsWith($"#comment-{spam.WordPressId}", StringComparison.Ordinal));
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the queue's screenshot was saved");
    }

    [SkippableFact]
    public async Task Dashboard_At800_1024_1400Pixels_MenuNeverCoversThePage_LongValuesWrap_FeedsReadAsPages()
    {
        AgleaFeeds.Testing.Tool.Require(Chromium, "chromium");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var spam = await _host.CommentAsync(103);
        var folder = Path.Combine(TestPaths.RepositoryRoot, "TestResults", "dashboard");
        Directory.CreateDirectory(folder);
        foreach (var width in new[] { 800, 1024, 1400 })
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _host.BaseUrl.ToString(), ViewportSize = new ViewportSize { Width = width, Height = 900 } });
            var page = await context.NewPageAsync();
            await page.GotoAsync("login");
            // The login page wears the dashboard's Bootstrap: a primary button is blue, not the browser's grey.
            Assert.Equal("rgb(51, 122, 183)", await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor"));
            await LogInAsync(page);
            foreach (var (name, path) in new[] { ("moderation", "hangfire/moderation"), ("sources", "hangfire/sources"), ("posts", "hangfire/posts"), ("model", "hangfire/model"), ("comment", $"hangfire/moderation/comment/{spam.Id}") })
            {
                await page.GotoAsync(path);
                var menuBottom = await page.Locator(".navbar").First.EvaluateAsync<double>("n => n.getBoundingClientRect().bottom");
                var headingTop = await page.Locator("h1.page-header").EvaluateAsync<double>("h => h.getBoundingClientRect().top");
                Assert.True(headingTop >= menuBottom, $"{name} at {width} px: the menu (bottom {menuBottom}) covers the heading (top {headingTop})");
                // Nothing of ours runs off the right edge: buttons with long domains wrap.
                var overflowing = await page.EvaluateAsync<string[]>("w => Array.from(document.querySelectorAll('.js-page-container .btn')).filter(b => b.offsetParent && b.getBoundingClientRect().right > w + 1).map(b => b.textContent.trim())", width);
                Assert.True(overflowing.Length == 0, $"{name} at {width} px: buttons run off: {string.Join(" | ", overflowing)}");
                await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}-{width}.png"), FullPage = true });
            }

            // The badges say what they count (to screen readers, and in a tooltip: Bootstrap moves the title into data-original-title).
            var badge = page.Locator("[data-metric='agleafeeds:pending']").First;
            Assert.EndsWith(" comments waiting for a person", await badge.GetAttributeAsync("aria-label"), StringComparison.Ordinal);
            Assert.Equal("comments waiting for a person", await badge.GetAttributeAsync("data-original-title") ?? await badge.GetAttributeAsync("title"));
            await page.GotoAsync("hangfire/model");
            Assert.Equal("normal", await page.Locator("pre.figures").First.EvaluateAsync<string>("p => getComputedStyle(p).wordBreak"));

            // A feed opened in the browser reads as a page that says how to subscribe.
            await page.GotoAsync("feeds/all.atom");
            await Expect(page.Locator("#subscribe")).ToContainTextAsync("copy its address into your feed reader");
            await Expect(page.Locator("#feed-title")).ToHaveTextAsync("AgleaFeeds: posts and comments");
            await Expect(page.Locator("article.feed-entry").First).ToBeVisibleAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"feed-{width}.png"), FullPage = true });
        }

        Assert.Equal(18, Directory.GetFiles(folder, "*.png").Length);
    }

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });

    private static async Task LogInAsync(IPage page)
    {
        await page.GotoAsync("login");
        await page.GetByLabel("Name").FillAsync("ann");
        await page.GetByLabel("Password").FillAsync("correct horse");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForURLAsync("**/hangfire/moderation");
    }
}
