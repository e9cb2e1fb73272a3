using System.Net;
using AgleaFeeds.Host.Tests.Fixtures;

namespace AgleaFeeds.Host.Tests.Dashboard;

/// <summary>The default: nobody is an anonymous moderator, not even at this machine; the start-up link logs the operator in.</summary>
public sealed class LoginLinkTests : IAsyncLifetime
{
    private string _data = null!;
    private RunningHost _host = null!;

    public async Task InitializeAsync()
    {
        _data = TestPaths.NewTempFolder();
        _host = await RunningHost.StartAsync(_data, new Dictionary<string, string?> { ["Security:AllowLocalAnonymous"] = "false" });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static HttpClient Browser(Uri baseUrl) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseUrl };

    private string CurrentLink() => File.ReadAllText(Path.Combine(_data, "login-link.txt")).Trim();

    [Fact]
    public async Task Dashboard_FromThisMachineWithoutLogin_Is401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Http.GetAsync("hangfire/moderation")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Http.GetAsync("metrics")).StatusCode);
    }

    [Fact]
    public async Task LoginLink_OpensAModeratorSessionOnce_ThenTheFileHoldsANewOne()
    {
        var link = CurrentLink();
        using var operatorBrowser = Browser(_host.BaseUrl);
        using var latecomer = Browser(_host.BaseUrl);

        var open = await operatorBrowser.GetAsync(link);
        var queue = await operatorBrowser.GetAsync("hangfire/sources");
        var reused = await latecomer.GetAsync(link);
        var next = CurrentLink();
        var openNext = await latecomer.GetAsync(next);

        Assert.StartsWith(_host.BaseUrl.ToString().TrimEnd('/') + "/login?token=", link, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        Assert.Equal("/hangfire/moderation", open.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
        Assert.Contains("name=\"url\"", await queue.Content.ReadAsStringAsync(), StringComparison.Ordinal); // a moderator's add-source form
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        Assert.Contains("already used", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEqual(link, next);
        Assert.Equal(HttpStatusCode.Redirect, openNext.StatusCode);
    }

    [Fact]
    public async Task LoginLink_WrongToken_GivesNoSession()
    {
        using var browser = Browser(_host.BaseUrl);

        await browser.GetAsync("login?token=guessed");

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("hangfire/moderation")).StatusCode);
    }
}
