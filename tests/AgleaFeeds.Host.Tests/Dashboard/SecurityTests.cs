using Microsoft.Extensions.Configuration;
using System.Net;
using AgleaFeeds.Host.Security;
using AgleaFeeds.Host.Tests.Fixtures;
using AgleaFeeds.Model;

namespace AgleaFeeds.Host.Tests.Dashboard;

/// <summary>The dashboard as seen from another machine, through a reverse proxy on the host (X-Forwarded-For from loopback).</summary>
public sealed class SecurityTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private FixtureSite _site = null!;
    private RunningHost _host = null!;

    public async Task InitializeAsync()
    {
        _site = await FixtureSite.StartAsync();
        _host = await RunningHost.StartAsync(TestPaths.NewTempFolder(), new Dictionary<string, string?>
        {
            ["Security:Accounts:0:Name"] = "ann",
            ["Security:Accounts:0:PasswordHash"] = LoginEndpoints.Hash("correct horse"),
            ["Security:Accounts:0:Role"] = "Moderator",
            ["Security:Accounts:1:Name"] = "vic",
            ["Security:Accounts:1:PasswordHash"] = LoginEndpoints.Hash("battery staple"),
            ["Security:Accounts:1:Role"] = "Viewer",
            // Accounts of their own for the tests that use up a minute's attempts, so no other test is limited.
            ["Security:Accounts:2:Name"] = "rita",
            ["Security:Accounts:2:PasswordHash"] = LoginEndpoints.Hash("rate limited"),
            ["Security:Accounts:2:Role"] = "Moderator",
            ["Security:Accounts:3:Name"] = "tim",
            ["Security:Accounts:3:PasswordHash"] = LoginEndpoints.Hash("timed"),
            ["Security:Accounts:3:Role"] = "Viewer",
            ["Security:Accounts:4:Name"] = "rosa",
            ["Security:Accounts:4:PasswordHash"] = LoginEndpoints.Hash("return trip"),
            ["Security:Accounts:4:Role"] = "Moderator",
            ["Security:LoginAttemptsPerMinute"] = "4",
            ["Security:KnownProxies:0"] = "127.0.0.1",
            ["Security:MetricsToken"] = "metrics-secret",
        }, _site.PostsFeed);
        await _host.WaitUntilSampleJudgedAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _site.DisposeAsync();
    }

    /// <summary>A browser elsewhere: its requests reach the host through a local reverse proxy that says who it is.</summary>
    private HttpClient Remote(string address = "203.0.113.7") =>
        new(new ForwardedFor(address) { InnerHandler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false } }) { BaseAddress = _host.BaseUrl };

    [Fact]
    public async Task Browser_WithoutASession_IsSentToLoginAndBackAfterwards_OtherClientsGet401()
    {
        using var browser = Remote();
        using var page = new HttpRequestMessage(HttpMethod.Get, "hangfire/sources?x=1");
        page.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");

        using var redirect = await browser.SendAsync(page);
        var form = await browser.GetStringAsync(redirect.Headers.Location!.OriginalString);
        var (tokenName, tokenValue) = DashboardCommand.FormToken(form);
        using var login = await browser.PostAsync("login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "rosa", ["password"] = "return trip", [tokenName] = tokenValue, ["ReturnUrl"] = "/hangfire/sources?x=1",
        }));
        using var script = Remote();

        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/login?ReturnUrl=%2Fhangfire%2Fsources%3Fx%3D1", redirect.Headers.Location.OriginalString);
        Assert.Contains("name=\"ReturnUrl\" value=\"/hangfire/sources?x=1\"", form, StringComparison.Ordinal);
        Assert.Equal("/hangfire/sources?x=1", login.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("hangfire/sources?x=1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("hangfire/sources")).StatusCode);
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/hangfire/x\r\nSet-Cookie: a=b")]
    public void ReturnUrl_AnythingButAPathOnThisSite_GoesToTheQueue(string value)
    {
        Assert.Equal("/hangfire/moderation", LoginEndpoints.ReturnUrl(value));
    }

    private static Task<HttpResponseMessage> LoginAsync(HttpClient client, string name, string password, bool withToken = true) =>
        DashboardCommand.LoginAsync(client, name, password, withToken);

    [Fact]
    public async Task Anonymous_FromAnotherMachineThroughALocalProxy_Is401()
    {
        using var remote = Remote();

        Assert.Equal(HttpStatusCode.Unauthorized, (await remote.GetAsync("hangfire/moderation")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.Http.GetAsync("hangfire/moderation")).StatusCode); // this machine, no proxy
    }

    [Fact]
    public async Task Moderator_LogsInAndActs_TheDecisionNamesThem()
    {
        using var remote = Remote();
        var login = await LoginAsync(remote, "ann", "correct horse");
        var daniel = await _host.CommentAsync(101);

        var act = await DashboardCommand.PostAsync(remote, $"hangfire/moderation/approve/{daniel.Id}/from/Pending");

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/hangfire/moderation", login.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NoContent, act.StatusCode);
        Assert.Equal("ann", (await _host.Store.ListEventsAsync(daniel.Id, Ct)).Last().Actor);
    }

    [Fact]
    public async Task Viewer_SeesTheQueueButCannotAct()
    {
        using var remote = Remote("203.0.113.8");
        await LoginAsync(remote, "vic", "battery staple");
        var daniel = await _host.CommentAsync(101);

        var page = await remote.GetAsync("hangfire/moderation");
        var act = await DashboardCommand.PostAsync(remote, $"hangfire/moderation/spam/{daniel.Id}/from/Pending");
        var decide = await DashboardCommand.PostFormAsync(remote, "hangfire/moderation/decide", [("action", "spam"), ("from", "Pending"), ("ids[]", $"{daniel.Id}")]);
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Daniel Park", html, StringComparison.Ordinal);
        Assert.DoesNotContain("js-decide", html, StringComparison.Ordinal);
        Assert.DoesNotContain("select-comment", html, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.NoContent, act.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, decide.StatusCode);
        Assert.Equal(CommentStatus.Pending, (await _host.CommentAsync(101)).Status);
    }

    [Fact]
    public async Task Login_WithoutTheFormToken_Is403()
    {
        using var remote = Remote("203.0.113.9");

        Assert.Equal(HttpStatusCode.Forbidden, (await LoginAsync(remote, "ann", "correct horse", withToken: false)).StatusCode);
    }

    [Fact]
    public async Task LoginFailures_AreRateLimitedPerAddressAndPerAccount()
    {
        using var remote = Remote("203.0.113.10");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await LoginAsync(remote, "rita", "wrong")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Redirect, statuses[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        using var other = Remote("203.0.113.11");
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(other, "vic", "battery staple")).StatusCode);

        // Another address, even a whole new /64, gains nothing against the same account.
        using var rotated = Remote("2001:db8:1:2::77");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(rotated, "rita", "rate limited")).StatusCode);
    }



    [Fact]
    public async Task Login_UnknownName_CostsAsMuchAsAWrongPassword()
    {
        // Without a password check for unknown names they answer in a fraction of the PBKDF2 time, telling which accounts exist.
        async Task<double> MedianMsAsync(Func<int, (string Name, string Password)> attempt, int first)
        {
            var times = new List<double>();
            for (var i = 0; i < 3; i++)
            {
                using var client = Remote($"198.51.100.{first + i}");
                var form = await client.GetStringAsync("login");
                var (tokenName, tokenValue) = DashboardCommand.FormToken(form);
                var (name, password) = attempt(i);
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var response = await client.PostAsync("login", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = name, ["password"] = password, [tokenName] = tokenValue }));
                times.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            }

            return times.Order().ElementAt(1);
        }

        await MedianMsAsync(i => ($"warm-up-{i}", "x"), 10);
        var wrongPassword = await MedianMsAsync(_ => ("tim", "not the password"), 20);
        var unknownName = await MedianMsAsync(i => ($"nobody-{i}", "not the password"), 30);

        Assert.True(unknownName > wrongPassword * 0.5, $"unknown name {unknownName:0.0} ms, wrong password {wrongPassword:0.0} ms");
    }

    [Theory]
    [InlineData("X-Forwarded-For", "garbage")]
    [InlineData("X-Forwarded-For", "unknown")]
    [InlineData("X-Forwarded-For", "127.0.0.1:9999")]
    [InlineData("X-Forwarded-For", "[::1]:80")]
    [InlineData("Forwarded", "for=127.0.0.1")]
    [InlineData("X-Real-IP", "127.0.0.1")]
    [InlineData(AgleaFeeds.Fetching.FeedFetcher.MarkerHeader, "1")]
    public async Task LocalAnonymous_ARequestAProxyOrOurFetcherSent_IsNotLocal(string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "hangfire/moderation");
        request.Headers.TryAddWithoutValidation(header, value);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Http.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("rebind.attacker.test:5080")]
    public async Task LocalAnonymous_HostHeaderOfAnotherSite_IsNotLocal(string host)
    {
        // DNS rebinding: the attacker's page reaches this port by a name that now points here.
        using var request = new HttpRequestMessage(HttpMethod.Get, "hangfire/moderation");
        request.Headers.Host = host;

        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Logout_EndsTheSessionForGood_EvenForACopiedCookie()
    {
        var cookies = new CookieContainer();
        using var remote = new HttpClient(new ForwardedFor("203.0.113.20") { InnerHandler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false } }) { BaseAddress = _host.BaseUrl };
        await LoginAsync(remote, "ann", "correct horse");
        var copied = cookies.GetCookieHeader(_host.BaseUrl);
        Assert.Equal(HttpStatusCode.OK, (await remote.GetAsync("hangfire/moderation")).StatusCode);

        var withoutToken = await remote.PostAsync("logout", new FormUrlEncodedContent([]));
        var (name, token) = DashboardCommand.FormToken(await remote.GetStringAsync("login"));
        var logout = await remote.PostAsync("logout", new FormUrlEncodedContent([new(name, token)]));
        using var replay = new HttpClient(new ForwardedFor("203.0.113.21") { InnerHandler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false } }) { BaseAddress = _host.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, "hangfire/moderation");
        request.Headers.Add("Cookie", copied);

        Assert.Equal(HttpStatusCode.Forbidden, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Session_AccountDemotedToViewer_CannotActAnyMore()
    {
        using var remote = Remote("203.0.113.22");
        await LoginAsync(remote, "ann", "correct horse");
        var daniel = await _host.CommentAsync(101);
        var configuration = (IConfigurationRoot)_host.App.Services.GetRequiredService<IConfiguration>();

        Assert.Equal(HttpStatusCode.OK, (await remote.GetAsync("hangfire/moderation")).StatusCode);
        configuration["Security:Accounts:0:Role"] = "Viewer";
        configuration.Reload();
        var after = await remote.GetAsync("hangfire/moderation");
        using var act = new HttpRequestMessage(HttpMethod.Post, $"hangfire/moderation/spam/{daniel.Id}/from/Pending");

        // The session's stamp no longer matches the account: it ends, and a new login gives a viewer's session.
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.NotEqual(HttpStatusCode.NoContent, (await remote.SendAsync(act)).StatusCode);
        Assert.Equal(CommentStatus.Pending, (await _host.CommentAsync(101)).Status);
    }

    [Fact]
    public async Task Metrics_NeedALoginOrTheBearerToken()
    {
        using var anonymous = Remote("203.0.113.30");
        using var scraper = Remote("203.0.113.31");
        scraper.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "metrics-secret");
        using var wrong = Remote("203.0.113.32");
        wrong.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "guess");
        using var viewer = Remote("203.0.113.33");
        await LoginAsync(viewer, "vic", "battery staple");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scraper.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("metrics")).StatusCode);
    }

    [Fact]
    public async Task Pages_CarryAContentSecurityPolicyWithoutRemoteImages()
    {
        var response = await _host.Http.GetAsync("hangfire/moderation");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();

        Assert.Contains("img-src 'self' data:;", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-inline'", csp.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DashboardStats_ByGet_Is405NotAServerError()
    {
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _host.Http.GetAsync("hangfire/stats")).StatusCode);
    }

    [Fact]
    public async Task ActivateShipped_OnAFreshInstall_Succeeds()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await DashboardCommand.PostAsync(_host.Http, "hangfire/model/activate/shipped")).StatusCode);
    }
}
