using System.Net;
using System.Text.RegularExpressions;
using AgleaFeeds.Model;
using AgleaFeeds.Parsing;
using AgleaFeeds.Storage;

namespace AgleaFeeds.Polling;

/// <summary>Turns parsed entries into store upserts: natural keys for posts, WordPress ids and post links for comments.</summary>
internal static partial class FeedMapping
{
    /// <summary>
    /// Keys posts by guid, else link, else a content hash. A guid repeated inside one feed for a
    /// different post falls back to the link (then the hash), so distinct posts never collapse;
    /// an exact repeat is dropped.
    /// </summary>
    public static IReadOnlyList<PostUpsert> ToPosts(ParsedFeed feed, List<string> problems)
    {
        var byKey = new Dictionary<string, PostUpsert>(StringComparer.Ordinal);
        var posts = new List<PostUpsert>(feed.Entries.Count);
        var collisions = 0;
        foreach (var entry in feed.Entries)
        {
            var hash = "sha256:" + ContentHash.Of(entry.Title, entry.Link, entry.SummaryHtml, entry.ContentHtml);
            var post = new PostUpsert
            {
                Key = entry.Guid ?? entry.Link ?? hash,
                Guid = entry.Guid,
                Link = entry.Link,
                Title = entry.Title,
                Author = entry.Author,
                PublishedAt = entry.PublishedAt,
                UpdatedAt = entry.UpdatedAt,
                Categories = entry.Categories,
                SummaryHtml = entry.SummaryHtml,
                ContentHtml = entry.ContentHtml,
                CommentsUrl = entry.CommentsUrl,
                CommentFeedUrl = entry.CommentFeedUrl,
                FeedCommentCount = entry.CommentCount,
                Enclosures = entry.Enclosures,
            };
            if (byKey.TryGetValue(post.Key, out var seen))
            {
                if (seen.Link == post.Link && seen.Title == post.Title && seen.ContentHtml == post.ContentHtml)
                {
                    continue;
                }

                collisions++;
                post = post with { Key = post.Link is { } link && !byKey.ContainsKey(link) ? link : hash };
                if (byKey.ContainsKey(post.Key))
                {
                    continue;
                }
            }

            byKey.Add(post.Key, post);
            posts.Add(post);
        }

        if (collisions > 0)
        {
            problems.Add($"Parsing: {collisions} entr{(collisions == 1 ? "y" : "ies")} repeated another entry's guid; keyed by link or content instead.");
        }

        return posts;
    }

    /// <summary>
    /// Maps a WordPress comment feed: the comment id from the permalink (…/#comment-N) or guid (…#comment-N),
    /// the post from the permalink without its fragment. <paramref name="postLink"/> is the post of a per-post feed.
    /// </summary>
    public static IReadOnlyList<CommentUpsert> ToComments(ParsedFeed feed, string seenIn, string? postLink, string? postGuid)
    {
        var comments = new List<CommentUpsert>(feed.Entries.Count);
        foreach (var entry in feed.Entries)
        {
            var wpId = CommentId(entry.Link) ?? CommentId(entry.Guid);
            var link = postLink ?? PostOf(entry.Link) ?? PostOf(entry.Guid);
            if (link is null)
            {
                continue;
            }

            var html = entry.ContentHtml ?? entry.SummaryHtml;
            long? parent = null;
            if (feed.IsWordPress && html is not null && StripReplyPrefix(html) is { } stripped)
            {
                (html, parent) = stripped;
            }

            var title = CommentTitle().Match(entry.Title ?? string.Empty);
            comments.Add(new CommentUpsert
            {
                PostLink = link,
                PostGuid = postGuid ?? (entry.Guid is { } g && CommentId(g) is not null ? StripFragment(g) : null),
                PostTitle = title.Success ? WebUtility.HtmlDecode(title.Groups[1].Value) : null,
                Key = wpId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? entry.Guid ?? entry.Link ?? "sha256:" + ContentHash.Of(entry.Author, entry.ContentHtml),
                WordPressId = wpId,
                ParentWordPressId = parent,
                Guid = entry.Guid,
                Link = entry.Link,
                Author = entry.Author,
                PublishedAt = entry.PublishedAt ?? entry.UpdatedAt,
                ContentHtml = html,
                // Plain text from the HTML, once: WordPress's feed description escapes markup twice.
                ContentText = Safety.HtmlFragment.ToText(html)?.Trim(),
                SeenIn = seenIn,
            });
        }

        return comments;
    }

    /// <summary>
    /// WordPress's comment feeds (and only they) put "In reply to &lt;a href="…#comment-N"&gt;Name&lt;/a&gt;." before a
    /// reply, in the blog's language: it is not the comment's text. Returns the content without it and the
    /// parent's id, or null when there is no such prefix.
    /// </summary>
    internal static (string Html, long Parent)? StripReplyPrefix(string html)
    {
        var m = ReplyPrefix().Match(html);
        return m.Success && long.TryParse(m.Groups[1].Value, out var parent) ? (html[m.Length..].TrimStart(), parent) : null;
    }

    /// <summary>The post a comment URL belongs to: without its fragment and its comment page (/comment-page-N/, cpage=N).</summary>
    internal static string? PostOf(string? url)
    {
        var link = StripFragment(url);
        if (link is null)
        {
            return null;
        }

        link = CommentPageSuffix().Replace(link, "/");
        return CommentPageQuery().Replace(link, string.Empty).TrimEnd('&', '?');
    }

    /// <summary>WordPress's site comment feed sits beside the posts feed: /feed/ → /comments/feed/, ?feed=rss2 → ?feed=comments-rss2.</summary>
    public static string? SiteCommentsFeed(string feedUrl)
    {
        if (!Uri.TryCreate(feedUrl, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var builder = new UriBuilder(uri);
        if (uri.AbsolutePath.EndsWith("/comments/feed/", StringComparison.Ordinal))
        {
            return null;
        }

        if (FeedPath().Match(uri.AbsolutePath) is { Success: true } m)
        {
            builder.Path = m.Groups[1].Value + "/comments/feed/";
            return builder.Uri.ToString();
        }

        if (uri.Query.Contains("feed=rss2", StringComparison.Ordinal))
        {
            builder.Query = uri.Query.TrimStart('?').Replace("feed=rss2", "feed=comments-rss2", StringComparison.Ordinal);
            return builder.Uri.ToString();
        }

        return null;
    }

    private static long? CommentId(string? url)
    {
        // Matched in place: a Match and its groups per comment were a tenth of a first sync's mapping garbage.
        if (url is null)
        {
            return null;
        }

        foreach (var m in CommentFragment().EnumerateMatches(url))
        {
            var digits = url.AsSpan(m.Index, m.Length);
            digits = digits[(digits.LastIndexOfAnyExceptInRange('0', '9') + 1)..];
            return long.TryParse(digits, out var id) ? id : null;
        }

        return null;
    }

    private static string? StripFragment(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return null;
        }

        var hash = url.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? url : url[..hash];
    }

    [GeneratedRegex(@"^\s*(?:<p>)?[^<>]{0,80}<a\s+href=""[^""]*#comment-(\d+)""[^>]*>[^<]{0,200}</a>\s*[.:。]?\s*(?:</p>|<br\s*/?>|\r?\n\r?\n)")]
    private static partial Regex ReplyPrefix();

    [GeneratedRegex(@"/comment-page-\d+/?$")]
    private static partial Regex CommentPageSuffix();

    [GeneratedRegex(@"(?<=[?&])cpage=\d+&?")]
    private static partial Regex CommentPageQuery();

    [GeneratedRegex(@"#comment-(\d+)$")]
    private static partial Regex CommentFragment();

    [GeneratedRegex(@"^Comment on (.+) by .+$", RegexOptions.Singleline)]
    private static partial Regex CommentTitle();

    [GeneratedRegex(@"^(.*?)/feed(?:/(?:rss2|atom|rss|rdf)?)?/?$")]
    private static partial Regex FeedPath();
}
