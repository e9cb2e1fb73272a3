using Microsoft.Net.Http.Headers;

namespace AgleaFeeds.Host.Endpoints;

/// <summary>
/// A GET or HEAD answered from bytes in memory with a strong ETag and Last-Modified: 304 when the
/// client's If-None-Match (or, without it, If-Modified-Since) says it has them; HEAD gets the headers only.
/// </summary>
internal static class ConditionalResponse
{
    /// <param name="etag">The quoted strong entity tag.</param>
    /// <param name="encoded">
    /// The body precompressed in a content coding ("br", "gzip"), or null: given, a client that accepts br (else
    /// gzip) gets those bytes, under their own strong ETag (the identity one with "-br" or "-gzip"), Vary: Accept-Encoding.
    /// </param>
    public static async Task WriteAsync(HttpContext http, byte[] body, string contentType, string etag, DateTimeOffset lastModified, Func<string, byte[]?>? encoded = null)
    {
        // Raw headers, not the typed ones: a subscriber's poll is mostly a 304, and parsing its headers into
        // objects was most of what a 304 cost.
        var response = http.Response;
        var requestHeaders = http.Request.Headers;
        var identity = etag;
        if (encoded is not null)
        {
            response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
            if (requestHeaders.AcceptEncoding.Count > 0 && Coding(http.Request.GetTypedHeaders().AcceptEncoding) is { } coding && encoded(coding) is { } bytes)
            {
                (body, etag) = (bytes, etag.Insert(etag.Length - 1, "-" + coding));
                response.Headers.ContentEncoding = coding;
            }
        }

        response.Headers.ETag = etag;
        response.Headers.LastModified = lastModified.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        // The identity tag matches too: a client holding the uncompressed copy still holds this version.
        var notModified = requestHeaders.IfNoneMatch.Count > 0
            ? Matches(requestHeaders.IfNoneMatch, etag, identity)
            : http.Request.GetTypedHeaders().IfModifiedSince is { } since && since >= lastModified;
        if (notModified)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await response.Body.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>If-None-Match's weak comparison: "*", or any listed tag (W/ or not) equal to one of ours.</summary>
    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag, string identity) =>
        EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
        && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag.Value == etag || t.Tag.Value == identity);

    /// <summary>The coding to answer with: br, else gzip, when the client accepts it (q above 0); else null.</summary>
    private static string? Coding(IList<StringWithQualityHeaderValue> accepted)
    {
        foreach (var coding in (string[])["br", "gzip"])
        {
            if (accepted.Any(a => string.Equals(a.Value.Value, coding, StringComparison.OrdinalIgnoreCase) && (a.Quality ?? 1) > 0))
            {
                return coding;
            }
        }

        return null;
    }
}
