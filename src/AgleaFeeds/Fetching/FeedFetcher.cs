using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Fetching;

/// <summary>Fetches feeds and pages with conditional GET, redirects, and time and size limits.</summary>
public sealed class FeedFetcher(HttpClient http, IOptions<FetchingOptions> options, TimeProvider time)
{
    /// <summary>The name of the HttpClient the fetcher uses; its primary handler must not follow redirects.</summary>
    public const string HttpClientName = "AgleaFeeds.Fetching";

    private readonly FetchingOptions _options = options.Value;

    /// <summary>Gets the User-Agent sent with every request.</summary>
    public static string DefaultUserAgent { get; } =
        $"AgleaFeeds/{typeof(FeedFetcher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0"} (self-hosted feed aggregator)";

    /// <summary>The header every fetch carries, so this service never treats its own fetcher as a local user.</summary>
    public const string MarkerHeader = "X-AgleaFeeds-Fetch";

    /// <summary>Creates the primary handler the fetcher expects: decompression on, redirects handled by the fetcher, connections only where <paramref name="policy"/> allows.</summary>
    public static SocketsHttpHandler CreateHandler(NetworkPolicy policy) => new()
    {
        ConnectCallback = (policy ?? throw new ArgumentNullException(nameof(policy))).ConnectAsync,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.All,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = 16,
    };

    /// <summary>Fetches a URL; never throws for HTTP, network, timeout or limit failures.</summary>
    public Task<FetchResult> FetchAsync(FetchRequest request, CancellationToken ct) => FetchAsync(request, pooled: false, ct);

    /// <summary>
    /// Fetches a URL and hands a 2xx response's body to <paramref name="read"/> while it is held in a buffer rented from the
    /// shared pool, given back as soon as <paramref name="read"/> returns: the body must not be kept (parse it there). The
    /// result's <see cref="FetchResult.Body"/> is empty; everything else is as <see cref="FetchAsync(FetchRequest, CancellationToken)"/> gives.
    /// </summary>
    /// <remarks>A poll reads 12 feeds per blog: as arrays of their own, their bodies were a tenth of a first sync's allocations.</remarks>
    public async Task<FetchResult> FetchAsync(FetchRequest request, BodyReader read, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(read);
        var result = await FetchAsync(request, pooled: true, ct).ConfigureAwait(false);
        if (result.Rented is { } rented)
        {
            result.Rented = null;
            try
            {
                read(result, rented.AsSpan(0, result.RentedLength));
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return result;
    }

    /// <summary>Reads a fetched body while the fetcher holds it (<see cref="FetchAsync(FetchRequest, BodyReader, CancellationToken)"/>).</summary>
    public delegate void BodyReader(FetchResult result, ReadOnlySpan<byte> body);

    private async Task<FetchResult> FetchAsync(FetchRequest request, bool pooled, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            return await FetchCoreAsync(request, pooled, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Failed(request, $"Fetching: no complete response within {_options.Timeout.TotalSeconds:0.###} s (limit Fetching:Timeout).");
        }
        catch (HttpRequestException ex) when (ex.InnerException is BlockedAddressException blocked)
        {
            return Failed(request, blocked.Message);
        }
        catch (HttpRequestException ex)
        {
            return Failed(request, $"Fetching: {ex.Message}", (int?)ex.StatusCode);
        }
        catch (BlockedAddressException ex)
        {
            return Failed(request, ex.Message);
        }
        catch (IOException ex)
        {
            return Failed(request, $"Fetching: connection failed while reading the response: {ex.Message}");
        }
    }

    private async Task<FetchResult> FetchCoreAsync(FetchRequest request, bool pooled, CancellationToken ct)
    {
        var url = request.Url;
        var allPermanent = true;
        for (var hop = 0; ; hop++)
        {
            if (!Safety.SafeUrl.IsHttp(url))
            {
                var what = hop == 0 ? "the address" : "a redirect";
                return Failed(request, $"Fetching: {what} {Describe(url)} is not http or https; only web addresses are fetched.");
            }

            using var message = new HttpRequestMessage(request.JsonBody is null ? HttpMethod.Get : HttpMethod.Post, url);
            message.Headers.TryAddWithoutValidation("User-Agent", string.IsNullOrWhiteSpace(_options.UserAgent) ? DefaultUserAgent : _options.UserAgent);
            message.Headers.TryAddWithoutValidation(MarkerHeader, "1");
            if (request.Credential is not null || request.JsonBody is not null)
            {
                message.Headers.Accept.ParseAdd("application/json");
            }
            else
            {
                message.Headers.Accept.ParseAdd("application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.8, text/html;q=0.7, */*;q=0.5");
            }

            if (request.Credential is { } credential)
            {
                // Only ever to the origin the credentials were given for (checked again on every hop).
                if (!SameOrigin(url, request.Url))
                {
                    return Failed(request, $"Fetching: {request.Url.GetLeftPart(UriPartial.Authority)} redirected an authenticated request to {url.GetLeftPart(UriPartial.Authority)}; credentials are only sent to the address they were given for (use the blog's final address, e.g. https).");
                }

                message.Headers.TryAddWithoutValidation("Authorization", credential.Header);
            }

            if (request.JsonBody is { } json)
            {
                message.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
            }
            if (!string.IsNullOrEmpty(request.ETag))
            {
                message.Headers.TryAddWithoutValidation("If-None-Match", request.ETag);
            }

            if (!string.IsNullOrEmpty(request.LastModified))
            {
                message.Headers.TryAddWithoutValidation("If-Modified-Since", request.LastModified);
            }

            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && status != 304)
            {
                var location = response.Headers.Location;
                if (location is null)
                {
                    return Failed(request, $"Fetching: HTTP {status} redirect without a Location header.", status);
                }

                if (hop >= _options.MaxRedirects)
                {
                    return Failed(request, $"Fetching: more than {_options.MaxRedirects} redirects (limit Fetching:MaxRedirects); last pointed to {location}.", status);
                }

                if (request.JsonBody is not null)
                {
                    return Failed(request, $"Fetching: HTTP {status} redirect of a write to {location}; writes are not redirected.", status);
                }

                allPermanent &= status is 301 or 308;
                if (!(location.IsAbsoluteUri ? Uri.TryCreate(location.OriginalString, UriKind.Absolute, out var next) : Uri.TryCreate(url, location, out next)))
                {
                    return Failed(request, $"Fetching: HTTP {status} redirect to an unreadable address.", status);
                }

                url = next;
                continue;
            }

            var permanentUrl = hop > 0 && allPermanent ? url : null;
            var freshFor = FreshFor(response);
            if (status == 304)
            {
                return new FetchResult
                {
                    Outcome = FetchOutcome.NotModified,
                    RequestedUrl = request.Url,
                    FinalUrl = url,
                    PermanentUrl = permanentUrl,
                    StatusCode = status,
                    ETag = response.Headers.ETag?.ToString() ?? request.ETag,
                    LastModified = response.Content.Headers.LastModified?.ToString("R") ?? request.LastModified,
                    FreshFor = freshFor,
                    Headers = KeptHeaders(response),
                };
            }

            if (!response.IsSuccessStatusCode)
            {
                return Failed(request, $"Fetching: HTTP {status} {response.ReasonPhrase} from {url}.", status) with
                {
                    FinalUrl = url,
                    RetryAfter = status is 429 or 503 ? RetryAfter(response) : null,
                    Body = request.KeepErrorBody ? await ReadLimitedAsync(response.Content, MaxErrorBodyBytes, ct).ConfigureAwait(false) ?? [] : [],
                    ContentType = response.Content.Headers.ContentType?.MediaType,
                    Headers = KeptHeaders(response),
                };
            }

            var length = response.Content.Headers.ContentLength;
            if (length > _options.MaxBodyBytes)
            {
                return Failed(request, BodyTooLarge(), status);
            }

            byte[]? body = null;
            (byte[] Buffer, int Length)? rented = null;
            if (pooled)
            {
                rented = await ReadPooledAsync(response.Content, _options.MaxBodyBytes, ct).ConfigureAwait(false);
            }
            else
            {
                body = await ReadLimitedAsync(response.Content, _options.MaxBodyBytes, ct).ConfigureAwait(false);
            }

            if (body is null && rented is null)
            {
                return Failed(request, BodyTooLarge(), status);
            }

            return new FetchResult
            {
                Outcome = FetchOutcome.Ok,
                RequestedUrl = request.Url,
                FinalUrl = url,
                PermanentUrl = permanentUrl,
                StatusCode = status,
                Body = body ?? [],
                Rented = rented?.Buffer,
                RentedLength = rented?.Length ?? 0,
                ContentType = response.Content.Headers.ContentType?.MediaType,
                Charset = response.Content.Headers.ContentType?.CharSet?.Trim('"'),
                ETag = response.Headers.ETag?.ToString(),
                LastModified = response.Content.Headers.LastModified?.ToString("R"),
                FreshFor = freshFor,
                Headers = KeptHeaders(response),
            };
        }
    }

    /// <summary>The headers in <see cref="FetchResult.Headers"/>: a blog's API link and the WordPress API's totals.</summary>
    private static Dictionary<string, string> KeptHeaders(HttpResponseMessage response)
    {
        var kept = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in (string[])["Link", "X-WP-Total", "X-WP-TotalPages"])
        {
            if (response.Headers.TryGetValues(name, out var values))
            {
                kept[name] = string.Join(", ", values);
            }
        }

        return kept;
    }

    private static string Describe(Uri url) =>
        url.IsAbsoluteUri ? $"with scheme \"{url.Scheme}:\"" : $"\"{url.OriginalString}\"";

    private string BodyTooLarge() =>
        $"Fetching: response larger than {FormatBytes(_options.MaxBodyBytes)} (limit Fetching:MaxBodyBytes).";

    private static string FormatBytes(long bytes) =>
        bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MB" : $"{bytes / 1024.0:0.#} KB";

    /// <summary>The most of an error answer's body kept (<see cref="FetchRequest.KeepErrorBody"/>).</summary>
    private const int MaxErrorBodyBytes = 64 * 1024;

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    /// <summary>
    /// The body, or null past <paramref name="limit"/> bytes. With a Content-Length (and no content coding to undo)
    /// it is read straight into one array of that size (a body cut short is an IOException, as from the handler);
    /// otherwise through a pooled buffer (<see cref="ReadPooledAsync"/>), copied out once.
    /// </summary>
    private static async Task<byte[]?> ReadLimitedAsync(HttpContent content, long limit, CancellationToken ct)
    {
        if (ExactLength(content, limit) is not { } length)
        {
            if (await ReadPooledAsync(content, limit, ct).ConfigureAwait(false) is not { } pooled)
            {
                return null;
            }

            try
            {
                return pooled.Buffer.AsSpan(0, pooled.Length).ToArray();
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(pooled.Buffer);
            }
        }

        await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var exact = new byte[length];
        await stream.ReadExactlyAsync(exact, ct).ConfigureAwait(false);
        return exact;
    }

    /// <summary>The body's announced length when it is the length read (no content coding to undo) and within <paramref name="limit"/>.</summary>
    private static int? ExactLength(HttpContent content, long limit) =>
        content.Headers.ContentLength is { } announced && announced <= limit && content.Headers.ContentEncoding.Count == 0 ? (int)announced : null;

    /// <summary>
    /// The body in a buffer rented from the shared pool (its length beside it), or null past <paramref name="limit"/> bytes;
    /// the buffer goes back to the pool on every way out but a successful one (then the caller gives it back).
    /// </summary>
    private static async Task<(byte[] Buffer, int Length)?> ReadPooledAsync(HttpContent content, long limit, CancellationToken ct)
    {
        var pool = System.Buffers.ArrayPool<byte>.Shared;
        await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var exact = ExactLength(content, limit) ?? -1;
        var buffer = pool.Rent(exact >= 0 ? Math.Max(exact, 1) : 16 * 1024);
        var kept = false;
        try
        {
            if (exact >= 0)
            {
                await stream.ReadExactlyAsync(buffer.AsMemory(0, exact), ct).ConfigureAwait(false);
                kept = true;
                return (buffer, exact);
            }

            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = pool.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    pool.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    kept = true;
                    return (buffer, length);
                }

                length += read;
                if (length > limit)
                {
                    return null;
                }
            }
        }
        finally
        {
            if (!kept)
            {
                pool.Return(buffer);
            }
        }
    }

    private TimeSpan? FreshFor(HttpResponseMessage response)
    {
        var cacheControl = response.Headers.CacheControl;
        if (cacheControl is { NoStore: true } or { NoCache: true })
        {
            return null;
        }

        if (cacheControl?.SharedMaxAge is { } sMaxAge)
        {
            return sMaxAge;
        }

        if (cacheControl?.MaxAge is { } maxAge)
        {
            return maxAge;
        }

        if (response.Content.Headers.Expires is { } expires)
        {
            var now = response.Headers.Date ?? time.GetUtcNow();
            var left = expires - now;
            return left > TimeSpan.Zero ? left : null;
        }

        return null;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        RetryConditionHeaderValue? retry = response.Headers.RetryAfter;
        if (retry?.Delta is { } delta)
        {
            return delta;
        }

        if (retry?.Date is { } date)
        {
            // Against the server's own clock when it sent one: clocks disagree more often than servers lie.
            var left = date - (response.Headers.Date ?? time.GetUtcNow());
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }

        return null;
    }

    private static FetchResult Failed(FetchRequest request, string error, int? status = null) => new()
    {
        Outcome = FetchOutcome.Failed,
        RequestedUrl = request.Url,
        StatusCode = status,
        Error = error,
    };
}
