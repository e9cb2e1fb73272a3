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
            ["Security:LoginAttemptsPerMinute"] = "4",
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

    private static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string name, string password, bool withToken = true)
    {
        var form = await client.GetStringAsync("login");
        var fields = new Dictionary<string, string> { ["name"] = name, ["password"] = password };
        if (withToken)
        {
            var (tokenName, tokenValue) = DashboardCommand.FormToken(form);
            fields[tokenName] = tokenValue;
        }

        return await client.PostAsync("login", new FormUrlEncodedContent(fields));
    }

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
    public async Task LoginFailures_AreRateLimitedPerAddress()
    {
        using var remote = Remote("203.0.113.10");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await LoginAsync(remote, "ann", "wrong")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Redirect, statuses[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        using var other = Remote("203.0.113.11");
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(other, "ann", "correct horse")).StatusCode);
    }



    private sealed class ForwardedFor(string address) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add("X-Forwarded-For", address);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
