using System.Collections.Concurrent;
using System.Security.Cryptography;
using AgleaFeeds.Storage;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Publishing;

/// <summary>A rendered feed page with its validators.</summary>
public sealed record RenderedFeed(byte[] Body, string ETag, DateTimeOffset LastModified)
{
    private readonly Lazy<byte[]> _brotli = new(() => Compress(Body, s => new System.IO.Compression.BrotliStream(s, System.IO.Compression.CompressionLevel.SmallestSize)));
    private readonly Lazy<byte[]> _gzip = new(() => Compress(Body, s => new System.IO.Compression.GZipStream(s, System.IO.Compression.CompressionLevel.SmallestSize)));

    /// <summary>
    /// The body in a content coding ("br" or "gzip"), compressed once, at its first request, and kept beside the
    /// identity body for as long as the feed is: every subscriber's reader that asks for it gets the same bytes
    /// without a compression per request. Null for any other coding.
    /// </summary>
    public byte[]? Encoded(string coding) => coding switch
    {
        "br" => _brotli.Value,
        "gzip" => _gzip.Value,
        _ => null,
    };

    private static byte[] Compress(byte[] body, Func<Stream, Stream> encoder)
    {
        using var buffer = new MemoryStream(body.Length / 4);
        using (var stream = encoder(buffer))
        {
            stream.Write(body);
        }

        return buffer.ToArray();
    }
}

/// <summary>
/// Renders each feed page once per change of the store and serves it from memory until the next
/// change: subscribers' polls cost a dictionary lookup, not a render nor (mostly) a query: the store's
/// content version is asked again only after this process wrote to the store, or when it is older than
/// <see cref="OtherWritersWithin"/> (a change by another host or process is served within that). Readers
/// that miss the cache together share one render (single flight); a render has a time budget; a
/// reader that goes away stops waiting; pages past the last one are never cached, so made-up
/// <c>?page=N</c> requests cannot flush or grow the cache.
/// </summary>
public sealed class FeedRenderer(CuratedFeedBuilder builder, IFeedStore store, IOptions<PublishingOptions> options, TimeProvider time)
{
    /// <summary>How old the content version may be when this process has not written meanwhile.</summary>
    public static readonly TimeSpan OtherWritersWithin = TimeSpan.FromSeconds(1);

    private volatile VersionStamp? _version;

    private readonly ConcurrentDictionary<(FeedKind, long?, int), (string Version, RenderedFeed Feed)> _cache = new();
    private readonly ConcurrentDictionary<(FeedKind, long?, int, string), Lazy<Task<RenderedFeed?>>> _inflight = new();

    /// <summary>
    /// Renders (or reuses) a page of a feed; null when the post does not exist or the page is past the last one.
    /// With <paramref name="fresh"/> the store's content version is asked now (the publisher: a change by another host
    /// is published at once).
    /// </summary>
    public async Task<RenderedFeed?> RenderAsync(FeedKind kind, long? postId, int page, CancellationToken ct, bool fresh = false)
    {
        var version = await VersionAsync(fresh, ct).ConfigureAwait(false);
        var key = (kind, postId, page);
        if (_cache.TryGetValue(key, out var cached) && cached.Version == version)
        {
            return cached.Feed;
        }

        var flight = (kind, postId, page, version);
        var render = _inflight.GetOrAdd(flight, f => new Lazy<Task<RenderedFeed?>>(() => RenderOnceAsync(f)));
        return await render.Value.WaitAsync(ct).ConfigureAwait(false);
    }

    private async ValueTask<string> VersionAsync(bool fresh, CancellationToken ct)
    {
        // The write count is read before the query: a write committed during it makes the next request ask again.
        var writes = store.LocalWrites;
        if (!fresh && _version is { } known && known.Writes == writes && time.GetElapsedTime(known.CheckedAt) < OtherWritersWithin)
        {
            return known.Version;
        }

        var checkedAt = time.GetTimestamp();
        var version = await store.GetContentVersionAsync(ct).ConfigureAwait(false);
        _version = new VersionStamp(writes, checkedAt, version);
        return version;
    }

    private sealed record VersionStamp(long Writes, long CheckedAt, string Version);

    private async Task<RenderedFeed?> RenderOnceAsync((FeedKind Kind, long? PostId, int Page, string Version) f)
    {
        try
        {
            // The render belongs to every reader waiting for it, so no one reader's token cancels it: the budget does.
            using var budget = new CancellationTokenSource(options.Value.RenderBudget);
            var built = await builder.BuildAsync(f.Kind, f.PostId, f.Page, budget.Token).ConfigureAwait(false);
            if (built is not { } b || (f.Page > 1 && b.Entries == 0))
            {
                return null;
            }

            // A strong ETag from the bytes themselves; Last-Modified when the store last changed what the feed
            // shows, to the second, and never going back for other bytes (a removed source takes its changes with it).
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(b.Body))[..32] + "\"";
            var updated = new DateTimeOffset(b.Updated.UtcDateTime.Ticks - (b.Updated.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            if (_cache.TryGetValue((f.Kind, f.PostId, f.Page), out var previous) && previous.Feed.ETag != etag && updated <= previous.Feed.LastModified)
            {
                updated = previous.Feed.LastModified.AddSeconds(1);
            }

            var feed = new RenderedFeed(b.Body, etag, updated);
            if (_cache.Count > 10_000)
            {
                _cache.Clear();
            }

            _cache[(f.Kind, f.PostId, f.Page)] = (f.Version, feed);
            return feed;
        }
        finally
        {
            _inflight.TryRemove(f, out _);
        }
    }
}
