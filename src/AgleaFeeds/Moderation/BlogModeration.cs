using System.Security.Cryptography;
using AgleaFeeds.Fetching;
using AgleaFeeds.Model;
using AgleaFeeds.Polling;
using AgleaFeeds.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Moderation;

/// <summary>What one run of pushes did, and when the next push is due.</summary>
public sealed record PushRun(int Pushed, int Retrying, int Failed, int Conflicts, DateTimeOffset? NextAt)
{
    public override string ToString() =>
        Pushed + Retrying + Failed + Conflicts == 0 ? "nothing to push" : $"{Pushed} pushed, {Retrying} to retry, {Failed} failed, {Conflicts} conflicts";
}

/// <summary>What one read of a blog's moderation queue did.</summary>
public sealed record BlogRead(int Added, int Changed, string? Error);

/// <summary>
/// Two-way moderation with a source's WordPress: connecting (the credentials checked at once, the password kept
/// encrypted), reading what only the blog's moderators see (held and spam comments, with e-mail, IP and user
/// agent), importing the blog's decisions as labels, and pushing this service's decisions back, with retries and
/// a conflict check: a comment decided on the blog since it was read keeps the blog's state.
/// </summary>
public sealed partial class BlogModeration(
    IFeedStore store,
    IBlogSyncStore sync,
    WordPressModerationApi api,
    FeedFetcher fetcher,
    ISecretBox secrets,
    IOptions<BlogModerationOptions> options,
    TimeProvider time,
    ILogger<BlogModeration> logger)
{
    /// <summary>
    /// Checks the credentials against the source's WordPress (<c>users/me?context=edit</c>) and, when they work and
    /// may moderate, keeps them (the password encrypted). The answer says plainly what is wrong otherwise.
    /// </summary>
    public async Task<ConnectionCheck> ConnectAsync(long sourceId, string? siteUrl, string user, string password, bool pushVerdicts, string origin, string who, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(user) || string.IsNullOrWhiteSpace(password))
        {
            return new ConnectionCheck("Give the WordPress user name and an application password (Users → Profile → Application Passwords).");
        }

        if (await store.GetSourceAsync(sourceId, ct).ConfigureAwait(false) is not { } source)
        {
            return new ConnectionCheck("There is no such source.");
        }

        if (await FindRootAsync(source, siteUrl, ct).ConfigureAwait(false) is not { } root)
        {
            return new ConnectionCheck($"\"{siteUrl}\" is not a web address on the source's own site ({Site(source)}): credentials are only sent to the blog they belong to.");
        }

        // WordPress shows application passwords in groups of four ("abcd efgh …"); it accepts them with or without the spaces.
        var credential = new BasicCredential(user.Trim(), password.Trim());
        var check = await api.CheckAsync(root, credential, ct).ConfigureAwait(false);
        if (!check.Ok)
        {
            LogConnectRefused(logger, source.Title, root, check.Error!);
            return check;
        }

        var now = time.GetUtcNow();
        await sync.SaveConnectionAsync(new BlogConnection
        {
            SourceId = sourceId,
            ApiRoot = root.ToString(),
            User = credential.User,
            Secret = secrets.Protect(password.Trim()),
            Origin = origin,
            PushVerdicts = pushVerdicts,
            ConnectedAt = now,
            ConnectedBy = who,
            CheckedAt = now,
        }, ct).ConfigureAwait(false);
        LogConnected(logger, source.Title, root, credential.User);
        return check;
    }

    /// <summary>Whether a source's stored connection already uses these credentials (configuration read again at start).</summary>
    public bool SameCredentials(BlogConnection connection, string user, string password)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.User == user.Trim() && Credential(connection) is { } c && c.SamePassword(password.Trim());
    }

    /// <summary>The API root for a connection: the one the source found, or the one the site's pages name, on the site's own host.</summary>
    private async Task<Uri?> FindRootAsync(Source source, string? siteUrl, CancellationToken ct)
    {
        var site = Uri.TryCreate(string.IsNullOrWhiteSpace(siteUrl) ? Site(source) : siteUrl.Trim(), UriKind.Absolute, out var s) && Safety.SafeUrl.IsHttp(s) ? s : null;
        var feed = new Uri(source.FeedUrl);
        if (site is null || !string.Equals(site.IdnHost, feed.IdnHost, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(siteUrl) && Uri.TryCreate(source.ApiRoot, UriKind.Absolute, out var known))
        {
            return known;
        }

        var page = await fetcher.FetchAsync(new FetchRequest(site), ct).ConfigureAwait(false);
        return WordPressApi.RootFrom(page, site) ?? new Uri(new Uri(site.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/"), "wp-json/");
    }

    private static string Site(Source source) =>
        source.SiteUrl is { Length: > 0 } s ? s : new Uri(source.FeedUrl).GetLeftPart(UriPartial.Authority) + "/";

    /// <summary>The connection's credentials, or null (recorded on the connection) when the password can no longer be decrypted.</summary>
    private BasicCredential? Credential(BlogConnection connection)
    {
        try
        {
            return new BasicCredential(connection.User, secrets.Unprotect(connection.Secret));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private const string Undecryptable = "The stored application password cannot be decrypted (the Data Protection keys beside the data were replaced or lost): connect the source again.";

    /// <summary>Reads a connected blog's held comments (and its newest spam) into the store; a held comment gone from the list is asked for by id.</summary>
    public async Task<BlogRead> ReadAsync(BlogConnection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var o = options.Value;
        var now = time.GetUtcNow();
        if (Credential(connection) is not { } credential)
        {
            await sync.RecordConnectionCheckAsync(connection.SourceId, now, Undecryptable, ct).ConfigureAwait(false);
            return new BlogRead(0, 0, Undecryptable);
        }

        var root = new Uri(connection.ApiRoot);
        var held = await api.ReadCommentsAsync(root, credential, BlogStatuses.Hold, o.MaxHeldPerRead, ct).ConfigureAwait(false);
        if (held.Error is { } error)
        {
            await sync.RecordConnectionCheckAsync(connection.SourceId, now, error, ct).ConfigureAwait(false);
            return new BlogRead(0, 0, error);
        }

        var published = await OnPublishedPostsAsync(connection.SourceId, ct).ConfigureAwait(false);
        var (added, changed) = await sync.SaveBlogCommentsAsync(connection.SourceId, published(held.Items), asLabels: false, now, ct).ConfigureAwait(false);
        if (o.MaxSpamPerRead > 0)
        {
            var spam = await api.ReadCommentsAsync(root, credential, BlogStatuses.Spam, o.MaxSpamPerRead, ct).ConfigureAwait(false);
            if (spam.Error is { } spamError)
            {
                await sync.RecordConnectionCheckAsync(connection.SourceId, now, spamError, ct).ConfigureAwait(false);
                return new BlogRead(added, changed, spamError);
            }

            var (a, c) = await sync.SaveBlogCommentsAsync(connection.SourceId, published(spam.Items), asLabels: false, now, ct).ConfigureAwait(false);
            (added, changed) = (added + a, changed + c);
        }

        // Held here but no longer in the blog's (complete) list: someone decided in wp-admin; ask for each.
        if (held.Complete)
        {
            var stillHeld = held.Items.Select(i => i.WordPressId).OfType<long>().ToHashSet();
            foreach (var id in (await sync.ListHeldOnBlogAsync(connection.SourceId, ct).ConfigureAwait(false)).Where(id => !stillHeld.Contains(id)))
            {
                var answer = await api.GetStatusAsync(root, credential, id, ct).ConfigureAwait(false);
                if (answer.Error is not null && !answer.Gone)
                {
                    continue;
                }

                changed += await sync.ApplyBlogStatusAsync(connection.SourceId, id, answer.Status, answer.Gone, now, ct).ConfigureAwait(false);
            }
        }

        await sync.RecordConnectionCheckAsync(connection.SourceId, now, null, ct).ConfigureAwait(false);
        return new BlogRead(added, changed, null);
    }

    /// <summary>
    /// Only comments on the posts the blog publishes (known to the store and not hidden): with a moderator's
    /// credentials the API also lists comments on private posts and drafts, which must never be stored.
    /// </summary>
    private async Task<Func<IReadOnlyList<CommentUpsert>, List<CommentUpsert>>> OnPublishedPostsAsync(long sourceId, CancellationToken ct)
    {
        var posts = (await store.ListPostsAsync(sourceId, ct).ConfigureAwait(false)).Where(p => !p.Hidden).ToList();
        var ids = posts.Select(p => p.WordPressId).OfType<long>().ToHashSet();
        var links = posts.Select(p => p.Link).OfType<string>().Select(l => l.TrimEnd('/')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return comments => comments.Where(c => (c.PostWordPressId is { } post && ids.Contains(post)) || (c.PostLink.Length > 0 && links.Contains(c.PostLink.TrimEnd('/')))).ToList();
    }

    /// <summary>
    /// Imports the blog's approved and spam comments (newest first, up to WordPress:HistoryLimit of each) as labels
    /// for this blog's model and the next retrain; returns how many labels the blog's decisions give now.
    /// </summary>
    public async Task<int> ImportHistoryAsync(BlogConnection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var limit = options.Value.HistoryLimit;
        var now = time.GetUtcNow();
        if (Credential(connection) is not { } credential)
        {
            await sync.RecordConnectionCheckAsync(connection.SourceId, now, Undecryptable, ct).ConfigureAwait(false);
            return 0;
        }

        var root = new Uri(connection.ApiRoot);
        var published = await OnPublishedPostsAsync(connection.SourceId, ct).ConfigureAwait(false);
        foreach (var status in new[] { "approve", BlogStatuses.Spam })
        {
            if (limit == 0)
            {
                break;
            }

            var read = await api.ReadCommentsAsync(root, credential, status, limit, ct).ConfigureAwait(false);
            if (read.Error is { } error)
            {
                await sync.RecordConnectionCheckAsync(connection.SourceId, now, $"importing the blog's history: {error}", ct).ConfigureAwait(false);
                return 0;
            }

            foreach (var chunk in published(read.Items).Chunk(500))
            {
                await sync.SaveBlogCommentsAsync(connection.SourceId, chunk, asLabels: true, now, ct).ConfigureAwait(false);
            }
        }

        var labels = await sync.CountBlogLabelsAsync(ct).ConfigureAwait(false);
        await sync.RecordHistoryImportAsync(connection.SourceId, labels, now, ct).ConfigureAwait(false);
        LogImported(logger, labels, connection.ApiRoot);
        return labels;
    }

    /// <summary>Pushes every decision due now to its blog; returns what happened and when the next is due.</summary>
    public async Task<PushRun> PushDueAsync(CancellationToken ct)
    {
        var (pushed, retrying, failed, conflicts) = (0, 0, 0, 0);
        var connections = (await sync.ListConnectionsAsync(ct).ConfigureAwait(false)).ToDictionary(c => c.SourceId);
        var delays = options.Value.RetryDelays;
        while (true)
        {
            var due = await sync.ListDuePushesAsync(time.GetUtcNow(), 50, ct).ConfigureAwait(false);
            if (due.Count == 0)
            {
                break;
            }

            foreach (var push in due)
            {
                var (outcome, answer, blogStatus) = connections.TryGetValue(push.SourceId, out var connection)
                    ? await PushAsync(connection, push, ct).ConfigureAwait(false)
                    : (PushOutcome.Failed, "the source is no longer connected to its WordPress", (string?)null);
                DateTimeOffset? retryAt = null;
                if (outcome == PushOutcome.Retry)
                {
                    if (push.Attempts < delays.Count)
                    {
                        retryAt = time.GetUtcNow() + delays[push.Attempts];
                        answer += $" (attempt {push.Attempts + 1} of {delays.Count + 1}; next at {retryAt:HH:mm:ss} UTC)";
                    }
                    else
                    {
                        outcome = PushOutcome.Failed;
                        answer += $" (attempt {push.Attempts + 1} of {delays.Count + 1}: given up)";
                    }
                }

                await sync.RecordPushAsync(push, outcome, answer, blogStatus, retryAt, time.GetUtcNow(), ct).ConfigureAwait(false);
                _ = outcome switch
                {
                    PushOutcome.Pushed => pushed++,
                    PushOutcome.Retry => retrying++,
                    PushOutcome.Failed => failed++,
                    _ => conflicts++,
                };
                if (outcome is PushOutcome.Failed or PushOutcome.Conflict)
                {
                    LogPushProblem(logger, push.CommentId, push.Wanted, outcome, answer ?? string.Empty);
                }
            }
        }

        return new PushRun(pushed, retrying, failed, conflicts, await sync.NextPushAtAsync(ct).ConfigureAwait(false));
    }

    /// <summary>One push: the blog's status asked first (a decision taken there since the read wins), then set.</summary>
    private async Task<(PushOutcome Outcome, string? Answer, string? BlogStatus)> PushAsync(BlogConnection connection, BlogPush push, CancellationToken ct)
    {
        if (Credential(connection) is not { } credential)
        {
            return (PushOutcome.Failed, Undecryptable, null);
        }

        var root = new Uri(connection.ApiRoot);
        var now = await api.GetStatusAsync(root, credential, push.WordPressId, ct).ConfigureAwait(false);
        if (now.Gone)
        {
            return (PushOutcome.Conflict, $"the comment was deleted on the blog; {push.DecidedBy}'s decision ({push.Wanted}) was not pushed", null);
        }

        if (now.Error is { } error)
        {
            return (now.Transient ? PushOutcome.Retry : PushOutcome.Failed, $"WordPress: {error}", null);
        }

        if (now.Status == push.Wanted)
        {
            return (PushOutcome.Pushed, $"already {push.Wanted} on the blog", now.Status);
        }

        if (now.Status != push.LastRead)
        {
            return (PushOutcome.Conflict,
                $"changed on the blog to {now.Status} since it was read ({push.LastRead}): {push.DecidedBy}'s decision ({push.Wanted}) was not pushed, the blog keeps its state",
                now.Status);
        }

        var set = await api.SetStatusAsync(root, credential, push.WordPressId, push.Wanted, ct).ConfigureAwait(false);
        if (set.Status == push.Wanted)
        {
            return (PushOutcome.Pushed, $"WordPress answered: {set.Status}", set.Status);
        }

        return set.Error is { } setError
            ? (set.Transient ? PushOutcome.Retry : PushOutcome.Failed, $"WordPress: {setError}", null)
            : (PushOutcome.Failed, $"WordPress answered {set.Status}, not {push.Wanted}", null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected {Source} to its WordPress at {Root} as {User}")]
    private static partial void LogConnected(ILogger logger, string source, Uri root, string user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connecting {Source} to its WordPress at {Root} failed: {Error}")]
    private static partial void LogConnectRefused(ILogger logger, string source, Uri root, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported the blog's history at {Root}: {Count} labels from the blogs' own decisions")]
    private static partial void LogImported(ILogger logger, int count, string root);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing comment {CommentId} ({Wanted}) to its blog: {Outcome}: {Answer}")]
    private static partial void LogPushProblem(ILogger logger, long commentId, string wanted, PushOutcome outcome, string answer);
}
