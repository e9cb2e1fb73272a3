using System.Text;
using AgleaFeeds.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Publishing;

/// <summary>The publishing runs of this process: one per process, shared by every run (across hosts, the job's lock).</summary>
public sealed class PublishedFeeds
{
    /// <summary>Gets the gate that keeps two runs of this process from publishing at once.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);
}

/// <summary>What a publish run did.</summary>
public sealed record PublishResult(int Changed, int Written, int Pinged, IReadOnlyList<string> Errors)
{
    /// <summary>Gets a one-line summary for the job's result.</summary>
    public string Summary => Changed == 0 ? "no feed changed" : $"{Changed} feed(s) changed, {Written} written, {Pinged} hub ping(s)" + (Errors.Count > 0 ? "; errors: " + string.Join("; ", Errors) : string.Empty);
}

/// <summary>
/// After a change of the store: writes a static copy of every feed (first page) to
/// Publishing:StaticFolder and pings the WebSub hub (Publishing:HubUrl) for each feed whose bytes
/// changed. The ETags published last are in the store, so an unchanged feed is neither rewritten nor
/// pinged: not after a restart, nor by a second host on the same database (a change is published once).
/// </summary>
public sealed partial class FeedPublisher(
    IFeedStore store,
    ISharedStateStore shared,
    TimeProvider time,
    FeedRenderer renderer,
    HttpClient http,
    PublishedFeeds runs,
    IOptions<PublishingOptions> options,
    Fetching.SelfOrigin self,
    ILogger<FeedPublisher> logger)
{
    /// <summary>Publishes what changed since the last run; a hub or disk failure is an error in the result, not an exception.</summary>
    public async Task<PublishResult> PublishAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.StaticFolder) && string.IsNullOrWhiteSpace(o.HubUrl))
        {
            return new PublishResult(0, 0, 0, []);
        }

        await runs.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var feeds = new List<(FeedKind Kind, long? PostId)> { (FeedKind.Posts, null), (FeedKind.Comments, null), (FeedKind.All, null) };
            for (var offset = 0; ; offset += 500)
            {
                var posts = await store.ListFeedPostsAsync(offset, 500, ct).ConfigureAwait(false);
                feeds.AddRange(posts.Select(p => (FeedKind.PostComments, (long?)p.Post.Id)));
                if (posts.Count < 500)
                {
                    break;
                }
            }

            var published = await shared.GetPublishedETagsAsync(ct).ConfigureAwait(false);
            int changed = 0, written = 0, pinged = 0;
            var errors = new List<string>();
            foreach (var (kind, postId) in feeds)
            {
                var path = CuratedFeedBuilder.PathOf(kind, postId);
                if (await renderer.RenderAsync(kind, postId, 1, ct, fresh: true).ConfigureAwait(false) is not { } feed
                    || (published.TryGetValue(path, out var etag) && etag == feed.ETag))
                {
                    continue;
                }

                changed++;
                if (!string.IsNullOrWhiteSpace(o.StaticFolder) && await WriteAsync(o.StaticFolder, path, feed.Body, errors, ct).ConfigureAwait(false))
                {
                    written++;
                }

                if (!string.IsNullOrWhiteSpace(o.HubUrl) && await PingAsync(o.HubUrl, new Uri(o.BaseUri(self), path.TrimStart('/')), errors, ct).ConfigureAwait(false))
                {
                    pinged++;
                }

                // Remembered only when everything asked for worked: a failed ping or write is retried next run.
                if (errors.Count == 0)
                {
                    await shared.SetPublishedETagAsync(path, feed.ETag, time.GetUtcNow(), ct).ConfigureAwait(false);
                }
            }

            var result = new PublishResult(changed, written, pinged, errors);
            LogPublished(logger, result.Summary);
            return result;
        }
        finally
        {
            runs.Gate.Release();
        }
    }

    private static async Task<bool> WriteAsync(string folder, string path, byte[] body, List<string> errors, CancellationToken ct)
    {
        var file = Path.GetFullPath(Path.Combine(folder, path.TrimStart('/')));
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            // Written beside and moved into place: a static server never serves half a feed.
            var temp = file + ".tmp";
            await File.WriteAllBytesAsync(temp, body, ct).ConfigureAwait(false);
            File.Move(temp, file, overwrite: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"Publishing: cannot write {file}: {ex.Message}");
            return false;
        }
    }

    private async Task<bool> PingAsync(string hub, Uri feed, List<string> errors, CancellationToken ct)
    {
        if (!Uri.TryCreate(hub, UriKind.Absolute, out var hubUri) || hubUri.Scheme is not ("http" or "https"))
        {
            errors.Add($"Publishing: Publishing:HubUrl \"{hub}\" is not an http(s) URL.");
            return false;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            using var content = new FormUrlEncodedContent([new("hub.mode", "publish"), new("hub.url", feed.ToString())]);
            using var response = await http.PostAsync(hubUri, content, timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            errors.Add($"Publishing: the hub {hub} answered HTTP {(int)response.StatusCode} for {feed}.");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            errors.Add($"Publishing: the hub {hub} could not be reached for {feed}: {ex.Message}");
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published feeds: {Summary}")]
    private static partial void LogPublished(ILogger logger, string summary);
}
