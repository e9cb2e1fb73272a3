using Microsoft.Net.Http.Headers;

namespace AgleaFeeds.Host.Endpoints;

/// <summary>
/// A GET or HEAD answered from bytes in memory with a strong ETag and Last-Modified: 304 when the
/// client's If-None-Match (or, without it, If-Modified-Since) says it has them; HEAD gets the headers only.
/// </summary>
internal static class ConditionalResponse
{
    /// <param name="etag">The quoted strong entity tag.</param>
    public static async Task WriteAsync(HttpContext http, byte[] body, string contentType, string etag, DateTimeOffset lastModified)
    {
        var response = http.Response;
        var headers = response.GetTypedHeaders();
        headers.ETag = new EntityTagHeaderValue(etag);
        headers.LastModified = lastModified;
        var request = http.Request.GetTypedHeaders();
        var notModified = request.IfNoneMatch.Count > 0
            ? request.IfNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag.Value == etag)
            : request.IfModifiedSince is { } since && since >= lastModified;
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
}
