using AgleaFeeds.Fetching;
using AgleaFeeds.Host.Tests.Fixtures;

namespace AgleaFeeds.Host.Tests.Fetching;

public sealed class FeedFetcherTests : IAsyncLifetime
{
    private FixtureSite _site = null!;
    private TestPipeline _pipeline = null!;

    public async Task InitializeAsync()
    {
        _site = await FixtureSite.StartAsync();
        _pipeline = await TestPipeline.CreateAsync(new Dictionary<string, string?>
        {
            ["Fetching:Timeout"] = "00:00:10",
            ["Fetching:MaxBodyBytes"] = "262144",
        });
    }

    public async Task DisposeAsync()
    {
        await _pipeline.DisposeAsync();
        await _site.DisposeAsync();
    }

    private Task<FetchResult> FetchAsync(string path, string? etag = null, string? lastModified = null) =>
        _pipeline.Get<FeedFetcher>().FetchAsync(new FetchRequest(new Uri(_site.Url(path)), etag, lastModified), CancellationToken.None);

    [Fact]
    public async Task FetchAsync_Feed_ReturnsBodyValidatorsAndSendsOurUserAgent()
    {
        var result = await FetchAsync("/samples/agla/feed/");

        Assert.Equal(FetchOutcome.Ok, result.Outcome);
        Assert.Equal("UTF-8", result.Charset);
        Assert.NotNull(result.ETag);
        Assert.Equal("Sun, 16 Mar 2025 08:05:00 GMT", result.LastModified);
        Assert.Contains("<title>AGLA Blog</title>", System.Text.Encoding.UTF8.GetString(result.Body), StringComparison.Ordinal);
        var seen = _site.Requests.Last();
        Assert.StartsWith("AgleaFeeds/0.1.0", seen.UserAgent, StringComparison.Ordinal);
        Assert.Contains("br", seen.AcceptEncoding, StringComparison.Ordinal);
        Assert.Contains("gzip", seen.AcceptEncoding, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_StoredValidators_SendsThemAndGets304()
    {
        var first = await FetchAsync("/samples/agla/feed/");

        var second = await FetchAsync("/samples/agla/feed/", first.ETag, first.LastModified);

        Assert.Equal(FetchOutcome.NotModified, second.Outcome);
        Assert.Empty(second.Body);
        Assert.Equal(first.ETag, _site.Requests.Last().IfNoneMatch);
        Assert.Equal(first.LastModified, _site.Requests.Last().IfModifiedSince);
    }

    [Theory]
    [InlineData("/compressed/gzip/")]
    [InlineData("/compressed/br/")]
    public async Task FetchAsync_CompressedBody_IsDecompressed(string path)
    {
        var result = await FetchAsync(path);

        Assert.Equal(FetchOutcome.Ok, result.Outcome);
        Assert.Equal(_site.Get("/samples/agla/feed/"), System.Text.Encoding.UTF8.GetString(result.Body));
    }

    [Theory]
    [InlineData("/fail/huge", "Fetching: response larger than 256 KB (limit Fetching:MaxBodyBytes).")]
    [InlineData("/fail/huge-declared", "Fetching: response larger than 256 KB (limit Fetching:MaxBodyBytes).")]
    [InlineData("/fail/loop-a", "Fetching: more than 5 redirects (limit Fetching:MaxRedirects)")]
    [InlineData("/fail/500", "Fetching: HTTP 500 Internal Server Error")]
    [InlineData("/fail/404", "Fetching: HTTP 404 Not Found")]
    public async Task FetchAsync_FailureModes_BecomeFailedResultsNamingTheLimit(string path, string error)
    {
        var result = await FetchAsync(path);

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.StartsWith(error, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/samples/agla/feed/")]
    [InlineData("/compressed/gzip/")]
    [InlineData("/compressed/br/")]
    [InlineData("/large/chunked")]
    [InlineData("/fail/huge")]
    [InlineData("/fail/huge-declared")]
    [InlineData("/fail/500")]
    [InlineData("/fail/slow-body")]
    public async Task FetchAsync_BodyHandedFromAPooledBuffer_IsTheSameBytes_AndNothingIsHandedOnFailure(string path)
    {
        await using var pipeline = await TestPipeline.CreateAsync(new Dictionary<string, string?>
        {
            ["Fetching:Timeout"] = "00:00:02",
            ["Fetching:MaxBodyBytes"] = "262144",
        });
        var fetcher = pipeline.Get<FeedFetcher>();
        var request = new FetchRequest(new Uri(_site.Url(path)));
        var plain = await fetcher.FetchAsync(request, CancellationToken.None);
        byte[]? handed = null;
        var calls = 0;
        var pooled = await fetcher.FetchAsync(request, (result, body) => (handed, calls) = (body.ToArray(), calls + 1), CancellationToken.None);

        Assert.Equal(plain.Outcome, pooled.Outcome);
        Assert.Equal(plain.Error, pooled.Error);
        Assert.Equal(plain.Charset, pooled.Charset);
        Assert.Empty(pooled.Body);
        if (plain.Outcome == FetchOutcome.Ok)
        {
            Assert.Equal(1, calls);
            Assert.Equal(plain.Body, handed);
            Assert.True(handed!.Length > 1000, $"{path}: {handed.Length} bytes");
        }
        else
        {
            Assert.Equal(0, calls);
        }
    }

    [Theory]
    [InlineData("/fail/slow-headers")]
    [InlineData("/fail/slow-body")]
    public async Task FetchAsync_SlowServer_FailsAtTheTimeout(string path)
    {
        await using var pipeline = await TestPipeline.CreateAsync(new Dictionary<string, string?> { ["Fetching:Timeout"] = "00:00:01" });

        var result = await pipeline.Get<FeedFetcher>().FetchAsync(new FetchRequest(new Uri(_site.Url(path))), CancellationToken.None);

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Equal("Fetching: no complete response within 1 s (limit Fetching:Timeout).", result.Error);
    }

    [Fact]
    public async Task FetchAsync_PermanentRedirect_ReportsTheNewUrl()
    {
        var result = await FetchAsync("/moved/feed/");

        Assert.Equal(FetchOutcome.Ok, result.Outcome);
        Assert.Equal(_site.PostsFeed, result.PermanentUrl?.ToString());
    }

    [Fact]
    public async Task FetchAsync_TemporaryRedirect_KeepsTheOldUrl()
    {
        var result = await FetchAsync("/temporary/feed/");

        Assert.Equal(FetchOutcome.Ok, result.Outcome);
        Assert.Null(result.PermanentUrl);
        Assert.Equal(_site.PostsFeed, result.FinalUrl?.ToString());
    }

    [Theory]
    [InlineData("/fail/429", 429, 7200)]
    [InlineData("/fail/503", 503, 3 * 3600)]
    public async Task FetchAsync_RetryAfter_IsReported(string path, int status, int seconds)
    {
        var result = await FetchAsync(path);

        Assert.Equal(status, result.StatusCode);
        Assert.InRange(result.RetryAfter!.Value.TotalSeconds, seconds - 120, seconds + 2);
    }

    [Fact]
    public async Task FetchAsync_ConnectionRefused_IsAFailedResult()
    {
        var result = await _pipeline.Get<FeedFetcher>().FetchAsync(new FetchRequest(new Uri("http://127.0.0.1:9/feed/")), CancellationToken.None);

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.StartsWith("Fetching: ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file:///etc/passwd", "with scheme \"file:\"")]
    [InlineData("ftp://127.0.0.1/feed.xml", "with scheme \"ftp:\"")]
    [InlineData("javascript:alert(1)", "with scheme \"javascript:\"")]
    [InlineData("gopher://127.0.0.1:25/", "with scheme \"gopher:\"")]
    public async Task FetchAsync_RedirectToAnotherScheme_IsAFailedResult(string target, string says)
    {
        var result = await FetchAsync("/redirect?to=" + Uri.EscapeDataString(target));

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Contains("a redirect " + says, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/samples/agla/feed/")]
    [InlineData("http://localhost:{port}/samples/agla/feed/")]
    [InlineData("http://[::1]:{port}/samples/agla/feed/")]
    public async Task FetchAsync_LoopbackWithoutAnAllowList_RefusedBeforeConnecting(string template)
    {
        // An operator's allow-list that does not cover this machine.
        await using var guarded = await TestPipeline.CreateAsync(new Dictionary<string, string?> { ["Fetching:AllowedNetworks:0"] = "203.0.113.0/24" });
        var before = _site.Requests.Count;
        var url = new Uri(template.Replace("{port}", _site.BaseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        var result = await guarded.Get<FeedFetcher>().FetchAsync(new FetchRequest(url, null, null), CancellationToken.None);

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.StartsWith("Fetching:", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("refused (127", result.Error, StringComparison.Ordinal); // says nothing of which ports are open
        Assert.Equal(before, _site.Requests.Count);
    }

    [Fact]
    public async Task FetchAsync_WithCredentials_SendsThemToTheirOriginOnly_AndRefusesARedirectElsewhere()
    {
        var credential = new BasicCredential("editor", "abcd efgh ijkl mnop");
        var fetcher = _pipeline.Get<FeedFetcher>();

        var same = await fetcher.FetchAsync(new FetchRequest(new Uri(_site.Url("/redirect?to=" + Uri.EscapeDataString("/samples/agla/feed/")))) { Credential = credential }, CancellationToken.None);
        Assert.Equal(FetchOutcome.Ok, same.Outcome);
        Assert.Equal("Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("editor:abcd efgh ijkl mnop")), _site.Requests.Last().Authorization);

        var before = _site.Requests.Count;
        var elsewhere = $"http://localhost:{_site.BaseUrl.Port}/samples/agla/feed/";
        var result = await fetcher.FetchAsync(new FetchRequest(new Uri(_site.Url("/redirect?to=" + Uri.EscapeDataString(elsewhere)))) { Credential = credential }, CancellationToken.None);

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Contains("credentials are only sent to the address they were given for", result.Error, StringComparison.Ordinal);
        Assert.Equal(before + 1, _site.Requests.Count);
        // Neither the credential nor a request carrying it prints the password (a log line, an exception message).
        Assert.DoesNotContain("abcd", credential.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("abcd", new FetchRequest(new Uri(_site.Url("/"))) { Credential = credential }.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_AWrite_IsAPostWithItsJson_AndIsNeverRedirected()
    {
        var result = await _pipeline.Get<FeedFetcher>().FetchAsync(
            new FetchRequest(new Uri(_site.Url("/redirect?to=" + Uri.EscapeDataString("/samples/agla/feed/")))) { JsonBody = "{\"status\":\"spam\"}" }, CancellationToken.None);

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Contains("writes are not redirected", result.Error, StringComparison.Ordinal);
        Assert.Equal(("POST", "/redirect"), (_site.Requests.Last().Method, _site.Requests.Last().Path));
    }

    [Fact]
    public async Task FetchAsync_RedirectFromAnAllowedToAnotherLoopbackAddress_Refused()
    {
        await using var narrow = await TestPipeline.CreateAsync(new Dictionary<string, string?> { ["Fetching:AllowedNetworks:0"] = "127.0.0.1/32" });
        var target = $"http://127.0.0.2:{_site.BaseUrl.Port}/samples/agla/feed/";

        var result = await narrow.Get<FeedFetcher>().FetchAsync(new FetchRequest(new Uri(_site.Url("/redirect?to=" + Uri.EscapeDataString(target))), null, null), CancellationToken.None);

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Contains("private, loopback or link-local", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_TheServicesOwnEndpoint_AllowedWithoutAnAllowList()
    {
        // The sample blog is served by the service itself: its configured Urls are reachable by default.
        await using var self = await TestPipeline.CreateAsync(new Dictionary<string, string?> { ["Fetching:AllowedNetworks:0"] = "203.0.113.0/24", ["Urls"] = _site.BaseUrl.ToString() });

        var result = await self.Get<FeedFetcher>().FetchAsync(new FetchRequest(new Uri(_site.PostsFeed), null, null), CancellationToken.None);

        Assert.Equal(FetchOutcome.Ok, result.Outcome);
    }
}
