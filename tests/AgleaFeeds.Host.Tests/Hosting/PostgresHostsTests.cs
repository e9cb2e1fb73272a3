using AgleaFeeds.Host.Tests.Fixtures;
using AgleaFeeds.Moderation;
using AgleaFeeds.Testing;

namespace AgleaFeeds.Host.Tests.Hosting;

/// <summary>Hosts on one PostgreSQL: what a second host must see lives in the database, not in a host's folder.</summary>
public sealed class PostgresHostsTests
{
    [SkippableFact]
    public async Task TwoHostsOnOneDatabase_ShareTheKeyRing_ASecretEncryptedOnOneIsReadOnTheOther()
    {
        var (database, settings) = await TestPostgres.NewHostDatabaseAsync();
        string secret;
        var first = TestPaths.NewTempFolder();
        await using (var a = await RunningHost.StartAsync(first, settings))
        {
            secret = a.App.Services.GetRequiredService<ISecretBox>().Protect("abcd efgh ijkl mnop qrst uvwx");
        }

        var second = TestPaths.NewTempFolder();
        await using var b = await RunningHost.StartAsync(second, settings);

        Assert.Equal("abcd efgh ijkl mnop qrst uvwx", b.App.Services.GetRequiredService<ISecretBox>().Unprotect(secret));
        // The keys are in the database, not beside either host's data.
        Assert.Empty(Directory.Exists(Path.Combine(first, "keys")) ? Directory.GetFiles(Path.Combine(first, "keys")) : []);
        Assert.Empty(Directory.Exists(Path.Combine(second, "keys")) ? Directory.GetFiles(Path.Combine(second, "keys")) : []);
        await TestPostgres.DropDatabaseAsync(database);
    }

    [SkippableFact]
    public async Task TwoHostsOnOneDatabase_AModeratorSignedInOnOneIsSignedInOnTheOther_SigningOutEndsItOnBoth()
    {
        var (database, settings) = await TestPostgres.NewHostDatabaseAsync(new Dictionary<string, string?>
        {
            ["Security:AllowLocalAnonymous"] = "false",
            ["Security:KnownProxies:0"] = "127.0.0.1",
            ["Security:Accounts:0:Name"] = "ann",
            ["Security:Accounts:0:PasswordHash"] = AgleaFeeds.Host.Security.LoginEndpoints.Hash("correct horse"),
            ["Security:Accounts:0:Role"] = "Moderator",
        });
        await using var a = await RunningHost.StartAsync(TestPaths.NewTempFolder(), settings);
        await using var b = await RunningHost.StartAsync(TestPaths.NewTempFolder(), settings);
        // One browser behind one address: its cookies go to whichever host the proxy picks (ports do not part cookies).
        var cookies = new System.Net.CookieContainer();
        HttpClient Browser(RunningHost host) => new(new ForwardedFor("203.0.113.30") { InnerHandler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false } }) { BaseAddress = host.BaseUrl };
        using var toA = Browser(a);
        using var toB = Browser(b);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await toB.GetAsync("hangfire/moderation")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await DashboardCommand.LoginAsync(toA, "ann", "correct horse")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await toB.GetAsync("hangfire/moderation")).StatusCode);

        var copied = cookies.GetCookieHeader(a.BaseUrl);
        var (name, token) = DashboardCommand.FormToken(await toB.GetStringAsync("login"));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await toB.PostAsync("logout", new FormUrlEncodedContent([new(name, token)]))).StatusCode);
        // The session is over on every host, even for a copy of the cookie.
        using var replay = new HttpClient(new ForwardedFor("203.0.113.31") { InnerHandler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false } }) { BaseAddress = a.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, "hangfire/moderation");
        request.Headers.Add("Cookie", copied);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await replay.SendAsync(request)).StatusCode);
        await TestPostgres.DropDatabaseAsync(database);
    }

    [SkippableFact]
    public async Task TwoHostsOnOneDatabase_AModelRetrainedOnOneIsUsedByTheOther_ARollbackOnTheOtherIsUsedByTheFirst()
    {
        var (database, settings) = await TestPostgres.NewHostDatabaseAsync(new Dictionary<string, string?>
        {
            ["Scoring:CorpusPath"] = "/nonexistent",
            ["Scoring:MinLocalLabels"] = "40",
        });
        await using var a = await RunningHost.StartAsync(TestPaths.NewTempFolder(), settings);
        await using var b = await RunningHost.StartAsync(TestPaths.NewTempFolder(), settings);
        var source = await a.Store.AddSourceAsync(new AgleaFeeds.Storage.SourceDefinition("Blog", "http://127.0.0.1:9/feed/"), DateTimeOffset.UtcNow, CancellationToken.None);
        await Scoring.ModelRetrainerTests.ModerateAsync(a.Store, source, 40, 40, DateTimeOffset.UtcNow);
        var onA = a.App.Services.GetRequiredService<AgleaFeeds.Scoring.SpamModelProvider>();
        var onB = b.App.Services.GetRequiredService<AgleaFeeds.Scoring.SpamModelProvider>();
        var before = onB.Model!.Score([(Scoring.ModelRetrainerTests.Probe, null)])[0];
        var shipped = onB.Version;

        var retrained = await a.App.Services.GetRequiredService<AgleaFeeds.Scoring.ModelRetrainer>().RetrainAsync(CancellationToken.None);

        Assert.True(retrained.Promoted, retrained.Message);
        // B reads the store's pointer again within SpamModelProvider.RecheckEvery, fetches the version and scores with it.
        await RunningHost.WaitUntilAsync(() => Task.FromResult(onB.Version == retrained.Version), TimeSpan.FromSeconds(30), "host B to use the retrained model");
        Assert.True(onB.Model!.Score([(Scoring.ModelRetrainerTests.Probe, null)])[0] > before);
        Assert.Contains(retrained.Version!, onB.Versions());
        Assert.Contains("80 moderator label(s)", onB.Describe(retrained.Version!), StringComparison.Ordinal);

        onB.Activate("shipped");
        await RunningHost.WaitUntilAsync(() => Task.FromResult(onA.Version == shipped), TimeSpan.FromSeconds(30), "host A to go back to the shipped model");
        await TestPostgres.DropDatabaseAsync(database);
    }
}
