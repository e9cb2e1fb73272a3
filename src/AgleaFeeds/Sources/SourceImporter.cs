using AgleaFeeds.Storage;

namespace AgleaFeeds.Sources;

/// <summary>Adds the sources of an OPML file to the store; importing the same file again adds nothing.</summary>
public sealed class SourceImporter(IFeedStore store, TimeProvider time)
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
        var sources = OpmlDocument.Read(opml);
        var removed = keepRemoved ? await store.ListRemovedFeedUrlsAsync(ct).ConfigureAwait(false) : new HashSet<string>();
        var ids = new List<long>();
        foreach (var source in sources.Where(s => !removed.Contains(s.FeedUrl)))
        {
            ids.Add(await store.AddSourceAsync(source, time.GetUtcNow(), ct).ConfigureAwait(false));
        }

        return ids;
    }
}
