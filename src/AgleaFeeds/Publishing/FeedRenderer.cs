using System.Collections.Concurrent;
using System.Security.Cryptography;
using AgleaFeeds.Storage;

namespace AgleaFeeds.Publishing;

/// <summary>A rendered feed page with its validators.</summary>
public sealed record RenderedFeed(byte[] Body, string ETag, DateTimeOffset LastModified);

/// <summary>
/// Renders each feed page once per change of the store and serves it from memory until the next
/// change: subscribers' polls cost a version query and a dictionary lookup, not a render.
/// </summary>
public sealed class FeedRenderer(CuratedFeedBuilder builder, IFeedStore store)
{
    private readonly ConcurrentDictionary<(FeedKind, long?, int), (string Version, RenderedFeed Feed)> _cache = new();

    /// <summary>Renders (or reuses) a page of a feed; null when the post does not exist.</summary>
    public async Task<RenderedFeed?> RenderAsync(FeedKind kind, long? postId, int page, CancellationToken ct)
    {
        var version = await store.GetContentVersionAsync(ct).ConfigureAwait(false);
        var key = (kind, postId, page);
        if (_cache.TryGetValue(key, out var cached) && cached.Version == version)
        {
            return cached.Feed;
        }

        var built = await builder.BuildAsync(kind, postId, page, ct).ConfigureAwait(false);
        if (built is not { } b)
        {
            return null;
        }

        // A strong ETag from the bytes themselves; Last-Modified from the newest entry, to the second.
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(b.Body))[..32] + "\"";
        var updated = new DateTimeOffset(b.Updated.UtcDateTime.Ticks - (b.Updated.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var feed = new RenderedFeed(b.Body, etag, updated);
        if (_cache.Count > 10_000)
        {
            _cache.Clear();
        }

        _cache[key] = (version, feed);
        return feed;
    }
}
