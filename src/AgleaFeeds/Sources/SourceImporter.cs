using AgleaFeeds.Storage;

namespace AgleaFeeds.Sources;

/// <summary>Adds the sources of an OPML file to the store; importing the same file again adds nothing.</summary>
public sealed class SourceImporter(IFeedStore store, TimeProvider time)
{
    /// <summary>Imports an OPML file; returns the ids of its sources (existing or new).</summary>
    public async Task<IReadOnlyList<long>> ImportAsync(string opmlPath, CancellationToken ct)
    {
        await using var stream = File.OpenRead(opmlPath);
        var ids = new List<long>();
        foreach (var source in OpmlDocument.Read(stream))
        {
            ids.Add(await store.AddSourceAsync(source, time.GetUtcNow(), ct).ConfigureAwait(false));
        }

        return ids;
    }
}
