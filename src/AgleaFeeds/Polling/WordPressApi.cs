using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgleaFeeds.Fetching;
using AgleaFeeds.Storage;

namespace AgleaFeeds.Polling;

/// <summary>What one read of the WordPress REST API gave: the items, the totals it announced, and whether every page was read.</summary>
public sealed record ApiRead<T>(IReadOnlyList<T> Items, int? Total, bool Complete, string? Error)
{
    /// <summary>Why the read stopped short without failing (the page limit).</summary>
    public string? Warning { get; init; }
}

/// <summary>
/// Reads a WordPress blog's public REST API (no credentials): <c>/wp/v2/posts</c> and
/// <c>/wp/v2/comments</c>, 100 a page, through the same fetcher as the feeds (limits, network guard,
/// politeness). It lists every published post and every approved comment (type comment; pingbacks and
/// trackbacks are not in it) with its post, parent, author, URL, time and rendered content.
/// </summary>
public sealed partial class WordPressApi(FeedFetcher fetcher)
{
    private const int PerPage = 100;

    /// <summary>
    /// The API root a response names in its <c>Link: &lt;…/wp-json/&gt;; rel="https://api.w.org/"</c> header, when it is
    /// on the same host as <paramref name="site"/> (a blog cannot send the service to read someone else's API).
    /// </summary>
    public static Uri? RootFrom(FetchResult fetch, Uri site)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(site);
        if (!fetch.Headers.TryGetValue("Link", out var header))
        {
            return null;
        }

        foreach (Match m in ApiLink().Matches(header))
        {
            if (Uri.TryCreate(site, m.Groups[1].Value.Trim(), out var root) && Safety.SafeUrl.IsHttp(root)
                && string.Equals(root.Host, site.Host, StringComparison.OrdinalIgnoreCase))
            {
                return root;
            }
        }

        return null;
    }

    /// <summary>The URL of a route (e.g. "wp/v2/posts") with a query, for a pretty (/wp-json/) or plain (?rest_route=/) root.</summary>
    public static Uri Route(Uri root, string route, string query)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (root.Query.Contains("rest_route=", StringComparison.Ordinal))
        {
            var builder = new UriBuilder(root);
            var rest = root.Query.TrimStart('?').Split('&').Select(p => p.StartsWith("rest_route=", StringComparison.Ordinal)
                ? "rest_route=" + Uri.EscapeDataString(Uri.UnescapeDataString(p["rest_route=".Length..]).TrimEnd('/') + "/" + route) : p);
            builder.Query = string.Join('&', rest) + "&" + query;
            return builder.Uri;
        }

        return new Uri(new Uri(root.ToString().TrimEnd('/') + "/"), route + "?" + query);
    }

    /// <summary>Reads published posts, most recently modified first: every page, or only the first (only those modified since <paramref name="since"/>, when given).</summary>
    public Task<ApiRead<PostUpsert>> ReadPostsAsync(Uri root, bool everyPage, int maxPages, DateTimeOffset? since, CancellationToken ct) =>
        ReadAsync(root, "wp/v2/posts", "orderby=modified&order=desc&_embed=author,wp:term" + Since("modified_after", since), everyPage, maxPages, ToPost, ct);

    /// <summary>Reads approved comments, newest first: every page, or only the first (only those written since <paramref name="since"/>, when given).</summary>
    public Task<ApiRead<CommentUpsert>> ReadCommentsAsync(Uri root, bool everyPage, int maxPages, DateTimeOffset? since, CancellationToken ct) =>
        ReadAsync(root, "wp/v2/comments", "orderby=date_gmt&order=desc" + Since("after", since), everyPage, maxPages, ToComment, ct);

    /// <summary>How many items a collection ("wp/v2/posts", "wp/v2/comments") holds: its X-WP-Total, from a one-item page of ids.</summary>
    public async Task<ApiRead<long>> CountAsync(Uri root, string route, CancellationToken ct)
    {
        var url = Route(root, route, "_fields=id&per_page=1");
        var fetch = await fetcher.FetchAsync(new FetchRequest(url), ct).ConfigureAwait(false);
        return fetch.Outcome != FetchOutcome.Ok
            ? new ApiRead<long>([], null, false, $"WordPress API: {url.PathAndQuery}: {fetch.Error ?? "not modified"}")
            : new ApiRead<long>([], Header(fetch, "X-WP-Total"), true, null);
    }

    /// <summary>
    /// A date filter with a day of slack: WordPress reads it in the blog's own time zone (up to 14 hours off
    /// UTC), and a blog's clock may be off too. Older WordPress ignores the parameter: the newest page is read.
    /// </summary>
    private static string Since(string name, DateTimeOffset? since) =>
        since is { } s ? $"&{name}={Uri.EscapeDataString((s.UtcDateTime - TimeSpan.FromDays(1)).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture))}" : string.Empty;

    /// <summary>Reads the ids of every approved comment (a small answer per page): the authoritative list for removals.</summary>
    public async Task<ApiRead<long>> ReadCommentIdsAsync(Uri root, int maxPages, CancellationToken ct)
    {
        var read = await ReadAsync<long?>(root, "wp/v2/comments", "orderby=id&order=asc&_fields=id", true, maxPages, e => Long(e, "id"), ct).ConfigureAwait(false);
        return new ApiRead<long>(read.Items.OfType<long>().ToList(), read.Total, read.Complete, read.Error ?? read.Warning);
    }

    /// <summary>Reads the ids of every published post: the authoritative list of what the blog still publishes.</summary>
    public async Task<ApiRead<long>> ReadPostIdsAsync(Uri root, int maxPages, CancellationToken ct)
    {
        var read = await ReadAsync<long?>(root, "wp/v2/posts", "orderby=id&order=asc&_fields=id", true, maxPages, e => Long(e, "id"), ct).ConfigureAwait(false);
        return new ApiRead<long>(read.Items.OfType<long>().ToList(), read.Total, read.Complete, read.Error ?? read.Warning);
    }

    /// <summary>Reads the comments with the given ids (those an id list named that the store has never seen).</summary>
    public async Task<ApiRead<CommentUpsert>> ReadCommentsByIdAsync(Uri root, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var items = new List<CommentUpsert>();
        foreach (var chunk in ids.Chunk(PerPage))
        {
            var include = string.Join(',', chunk.Select(i => i.ToString(CultureInfo.InvariantCulture)));
            var read = await ReadAsync(root, "wp/v2/comments", $"include={include}", false, 1, ToComment, ct).ConfigureAwait(false);
            if (read.Error is not null)
            {
                return read with { Items = items };
            }

            items.AddRange(read.Items);
        }

        return new ApiRead<CommentUpsert>(items, null, true, null);
    }

    /// <summary>
    /// Reads a collection page by page (100 a page), with a moderator's credentials when given; stops after
    /// <paramref name="maxPages"/> pages or <paramref name="maxItems"/> items.
    /// </summary>
    internal async Task<ApiRead<T>> ReadAsync<T>(Uri root, string route, string query, bool everyPage, int maxPages, Func<JsonElement, T?> map, CancellationToken ct,
        BasicCredential? credential = null, int maxItems = int.MaxValue)
    {
        var items = new List<T>();
        int? total = null;
        for (var page = 1; ; page++)
        {
            var url = Route(root, route, $"{query}&per_page={Math.Min(PerPage, Math.Max(1, maxItems - items.Count))}&page={page}");
            var fetch = await fetcher.FetchAsync(new FetchRequest(url) { Credential = credential, KeepErrorBody = credential is not null }, ct).ConfigureAwait(false);
            if (!fetch.IsSuccess || fetch.Outcome != FetchOutcome.Ok)
            {
                return new ApiRead<T>(items, total, false, $"WordPress API: {url.PathAndQuery}: {WordPressErrors.Explain(fetch) ?? fetch.Error ?? "not modified"}");
            }

            total ??= Header(fetch, "X-WP-Total");
            var pages = Header(fetch, "X-WP-TotalPages") ?? 1;
            try
            {
                // The API's answers are flat; a document nested deeper than 64 is refused, not followed.
                using var json = JsonDocument.Parse(fetch.Body, new JsonDocumentOptions { MaxDepth = 64 });
                if (json.RootElement.ValueKind != JsonValueKind.Array)
                {
                    return new ApiRead<T>(items, total, false, $"WordPress API: {url.PathAndQuery} did not answer with a list.");
                }

                foreach (var element in json.RootElement.EnumerateArray())
                {
                    if (element.ValueKind == JsonValueKind.Object && map(element) is { } item)
                    {
                        items.Add(item);
                    }
                }
            }
            catch (JsonException ex)
            {
                return new ApiRead<T>(items, total, false, $"WordPress API: {url.PathAndQuery} is not valid JSON: {ex.Message}");
            }

            if (!everyPage || page >= pages || items.Count >= maxItems)
            {
                return new ApiRead<T>(items, total, page >= pages, null);
            }

            if (page >= maxPages)
            {
                return new ApiRead<T>(items, total, false, null) { Warning = $"WordPress API: stopped after {page} pages of {route} (limit Polling:MaxBackfillPages); {pages - page} more not read." };
            }
        }
    }

    private static int? Header(FetchResult fetch, string name) =>
        fetch.Headers.TryGetValue(name, out var value) && int.TryParse(value.Split(',')[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static PostUpsert? ToPost(JsonElement e)
    {
        if (Long(e, "id") is not { } id || Rendered(e, "guid") is not { } guid)
        {
            return null;
        }

        var link = Safety.SafeUrl.Http(String(e, "link"));
        var isProtected = e.TryGetProperty("content", out var content) && content.TryGetProperty("protected", out var p) && p.ValueKind == JsonValueKind.True;
        var categories = new List<string>();
        string? author = null;
        if (e.TryGetProperty("_embedded", out var embedded) && embedded.ValueKind == JsonValueKind.Object)
        {
            if (embedded.TryGetProperty("author", out var authors) && authors.ValueKind == JsonValueKind.Array && authors.GetArrayLength() > 0)
            {
                author = String(authors[0], "name");
            }

            if (embedded.TryGetProperty("wp:term", out var groups) && groups.ValueKind == JsonValueKind.Array)
            {
                foreach (var group in groups.EnumerateArray().Where(g => g.ValueKind == JsonValueKind.Array))
                {
                    categories.AddRange(group.EnumerateArray().Where(t => String(t, "taxonomy") == "category").Select(t => Text(String(t, "name"))).OfType<string>());
                }
            }
        }

        return new PostUpsert
        {
            Key = WebUtility.HtmlDecode(guid),
            Guid = WebUtility.HtmlDecode(guid),
            Link = link,
            Title = Text(Rendered(e, "title")),
            Author = author,
            PublishedAt = Gmt(String(e, "date_gmt")),
            UpdatedAt = Gmt(String(e, "modified_gmt")),
            Categories = categories,
            SummaryHtml = isProtected ? null : Rendered(e, "excerpt")?.Trim(),
            ContentHtml = isProtected ? null : Rendered(e, "content")?.Trim(),
            CommentFeedUrl = link is null ? null : link.TrimEnd('/') + "/feed/",
            WordPressId = id,
            ContentRank = ContentRanks.Api,
        };
    }

    /// <summary>A comment of the API; with context=edit also what only a moderator sees (e-mail, IP, user agent, status on the blog).</summary>
    internal static CommentUpsert? ToComment(JsonElement e)
    {
        if (Long(e, "id") is not { } id || Long(e, "post") is not { } post)
        {
            return null;
        }

        var link = Safety.SafeUrl.Http(String(e, "link"));
        var html = Rendered(e, "content")?.Trim();
        return new CommentUpsert
        {
            PostLink = FeedMapping.PostOf(link) ?? string.Empty,
            PostWordPressId = post,
            Key = id.ToString(CultureInfo.InvariantCulture),
            WordPressId = id,
            ParentWordPressId = Long(e, "parent") is { } parent and > 0 ? parent : null,
            Link = link,
            Author = Text(String(e, "author_name")),
            AuthorUrl = Safety.SafeUrl.Http(String(e, "author_url")),
            PublishedAt = Gmt(String(e, "date_gmt")),
            ContentHtml = html,
            ContentText = Safety.HtmlFragment.ToText(html)?.Trim(),
            Type = String(e, "type") is { Length: > 0 } type ? type : "comment",
            AuthorEmail = String(e, "author_email") is { Length: > 0 } email ? email : null,
            AuthorIp = String(e, "author_ip") is { Length: > 0 } ip ? ip : null,
            UserAgent = String(e, "author_user_agent") is { Length: > 0 } agent ? agent : null,
            BlogStatus = e.TryGetProperty("author_email", out _) ? String(e, "status") : null,
            SeenIn = "api",
            ContentRank = ContentRanks.Api,
        };
    }

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    private static string? Rendered(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? String(v, "rendered") : null;

    /// <summary>Plain text of a rendered title or name: entities decoded once, markup dropped.</summary>
    private static string? Text(string? html) => Safety.HtmlFragment.ToText(html)?.Trim() is { Length: > 0 } t ? t : null;

    /// <summary>WordPress's *_gmt fields are UTC without a zone ("2025-03-01T12:00:00").</summary>
    private static DateTimeOffset? Gmt(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d) ? d : null;

    [GeneratedRegex(@"<([^>]+)>\s*;[^,]*rel=""?https://api\.w\.org/""?", RegexOptions.IgnoreCase)]
    private static partial Regex ApiLink();
}
