using AgleaFeeds.Storage;

namespace AgleaFeeds.Sources;

/// <summary>Adds the sources of an OPML file to the store; importing the same file again adds nothing.</summary>
public sealed class SourceImporter(IFeedStore store, TimeProvider time, Fetching.SelfOrigin self)
{
    /// <summary>
    /// Imports the sources file read at start; returns the ids of its sources (existing or new). A source
    /// an operator removed from the dashboard stays removed.
    /// </summary>
    public async Task<IReadOnlyList<long>> ImportAsync(string opmlPath, CancellationToken ct)
    {
        await using var stream = File.OpenRead(opmlPath);
        return await ImportAsync(stream, keepRemoved: true, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Imports an OPML document; throws <see cref="System.Xml.XmlException"/> for a broken one, adding
    /// nothing. <paramref name="keepRemoved"/> false (an operator's explicit import) adds removed sources again.
    /// </summary>
    public async Task<IReadOnlyList<long>> ImportAsync(Stream opml, bool keepRemoved, CancellationToken ct)
    {
        var origin = self.Value;
        var sources = OpmlDocument.Read(opml, origin);
        var removed = keepRemoved ? await store.ListRemovedFeedUrlsAsync(ct).ConfigureAwait(false) : new HashSet<string>();
        await FollowThisServiceAsync(sources, origin, ct).ConfigureAwait(false);
        // One transaction for the file: a thousand sources read at every start cost one commit, not a thousand.
        return await store.AddSourcesAsync(sources.Where(s => !removed.Contains(s.FeedUrl)).ToList(), time.GetUtcNow(), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A source on this service (the sample blog, written as a path in the OPML) that was stored under
    /// another loopback address (the service listened on another port then) moves to this address with
    /// its posts and comments, rather than being polled where nothing answers.
    /// </summary>
    private async Task FollowThisServiceAsync(IReadOnlyList<SourceDefinition> sources, Uri origin, CancellationToken ct)
    {
        var here = origin.GetLeftPart(UriPartial.Authority);
        var local = sources.Where(s => s.FeedUrl.StartsWith(origin.AbsoluteUri, StringComparison.Ordinal)).Select(s => new Uri(s.FeedUrl).PathAndQuery).ToHashSet();
        if (local.Count == 0)
        {
            return;
        }

        var stored = await store.ListSourcesAsync(ct).ConfigureAwait(false);
        var storedUrls = stored.Select(s => s.FeedUrl).ToHashSet(StringComparer.Ordinal);
        foreach (var source in stored)
        {
            if (Uri.TryCreate(source.FeedUrl, UriKind.Absolute, out var url) && url.IsLoopback && local.Contains(url.PathAndQuery)
                && url.GetLeftPart(UriPartial.Authority) is var there && there != here && !storedUrls.Contains(here + url.PathAndQuery))
            {
                await store.MoveSourceOriginAsync(source.Id, there, here, ct).ConfigureAwait(false);
            }
        }
    }
}
