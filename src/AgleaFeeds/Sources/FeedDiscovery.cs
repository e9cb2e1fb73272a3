using AgleaFeeds.Fetching;
using AgleaFeeds.Parsing;
using AgleaFeeds.Scraping;
using AgleaFeeds.Storage;
using HtmlAgilityPack;

namespace AgleaFeeds.Sources;

/// <summary>What discovery found: a source to add, or why there is none.</summary>
public sealed record DiscoveryResult(SourceDefinition? Source, string? Error);

/// <summary>
/// Finds a blog's feed from the address a person pastes: the address itself when it is a feed,
/// otherwise the page's <c>&lt;link rel="alternate"&gt;</c> RSS/Atom feeds (the posts feed before a
/// comments feed, as WordPress lists them), otherwise WordPress's <c>/feed/</c>. Every candidate is
/// fetched (with the fetcher's limits) and parsed before it is offered.
/// </summary>
public sealed class FeedDiscovery(FeedFetcher fetcher)
{
    private static readonly string[] FeedTypes = ["application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml"];

    public async Task<DiscoveryResult> DiscoverAsync(string? address, CancellationToken ct)
    {
        var text = address?.Trim() ?? string.Empty;
        if (text.Length > 0 && !text.Contains("://", StringComparison.Ordinal))
        {
            text = "https://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return new DiscoveryResult(null, $"\"{address}\" is not a web address.");
        }

        var page = await fetcher.FetchAsync(new FetchRequest(url), ct).ConfigureAwait(false);
        if (page.Outcome != FetchOutcome.Ok)
        {
            return new DiscoveryResult(null, page.Error ?? $"Fetching: {url} answered {page.StatusCode}.");
        }

        var at = page.FinalUrl ?? url;
        if (FeedParser.Parse(page.Body, page.Charset, at).Feed is { } direct)
        {
            return new DiscoveryResult(Define(direct, at), null);
        }

        var tried = new List<string>();
        foreach (var candidate in Candidates(HtmlText.Decode(page.Body, page.Charset), at))
        {
            var feed = await fetcher.FetchAsync(new FetchRequest(candidate), ct).ConfigureAwait(false);
            var parsed = feed.Outcome == FetchOutcome.Ok ? FeedParser.Parse(feed.Body, feed.Charset, feed.FinalUrl ?? candidate) : null;
            if (parsed?.Feed is { } found)
            {
                return new DiscoveryResult(Define(found, feed.FinalUrl ?? candidate), null);
            }

            tried.Add($"{candidate} ({feed.Error ?? parsed?.Error})");
        }

        return new DiscoveryResult(null, $"Discovery: no RSS or Atom feed found at {at}" + (tried.Count > 0 ? $"; tried {string.Join(", ", tried)}." : "."));
    }

    /// <summary>The page's alternate feeds, posts feeds first, then WordPress's /feed/ under the page.</summary>
    internal static IEnumerable<Uri> Candidates(string html, Uri pageUrl)
    {
        // Nested beyond the limit: only the well-known address is left to try.
        var doc = Safety.HtmlFragment.TryLoad(html, 1000, out _) ?? new HtmlDocument();

        var baseUrl = doc.DocumentNode.SelectSingleNode("//base[@href]") is { } b && Uri.TryCreate(pageUrl, b.GetAttributeValue("href", string.Empty), out var declared) ? declared : pageUrl;
        var links = (doc.DocumentNode.SelectNodes("//link[@href]") ?? Enumerable.Empty<HtmlNode>())
            .Where(l => l.GetAttributeValue("rel", string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("alternate", StringComparer.OrdinalIgnoreCase)
                && FeedTypes.Contains(l.GetAttributeValue("type", string.Empty).Trim(), StringComparer.OrdinalIgnoreCase))
            .Select(l => (Title: HtmlEntity.DeEntitize(l.GetAttributeValue("title", string.Empty)), Href: HtmlEntity.DeEntitize(l.GetAttributeValue("href", string.Empty))))
            .Where(l => Uri.TryCreate(baseUrl, l.Href, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps))
            .OrderBy(l => IsCommentsFeed(l.Title, l.Href) ? 1 : 0)
            .Select(l => new Uri(baseUrl, l.Href))
            .ToList();
        links.Add(new Uri(new Uri(pageUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/"), "feed/"));
        return links.Distinct();
    }

    private static bool IsCommentsFeed(string title, string href) =>
        title.Contains("comments", StringComparison.OrdinalIgnoreCase) || href.Contains("/comments/feed", StringComparison.OrdinalIgnoreCase);

    private static SourceDefinition Define(ParsedFeed feed, Uri feedUrl) =>
        new(string.IsNullOrWhiteSpace(feed.Title) ? feedUrl.Host : feed.Title.Trim(), feedUrl.AbsoluteUri, feed.SiteUrl);
}
