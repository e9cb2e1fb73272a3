using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.XPath;
using AgleaFeeds.Model;
using AgleaFeeds.Parsing;
using HtmlAgilityPack;

namespace AgleaFeeds.Scraping;

/// <summary>Reads a WordPress post page with HtmlAgilityPack: the post, and its comments with their threads.</summary>
public static partial class PostPageParser
{
    /// <summary>Parses one page; never throws for hostile or foreign markup.</summary>
    public static PageParseResult Parse(string html, Uri pageUrl, ScraperRules? rules = null, int maxNestingDepth = 1000)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(pageUrl);
        var r = (rules ?? ScraperRules.Default).Over(ScraperRules.Default);
        // Measured before HtmlAgilityPack builds anything: its parse of deep nesting is quadratic.
        if (Safety.HtmlFragment.TryLoad(html, maxNestingDepth, out _, fixNestedTags: true) is not { } doc)
        {
            return new PageParseResult { Error = $"Scraping: the page nests elements more than {maxNestingDepth} deep (limit Scraping:MaxNestingDepth); refused as hostile or broken." };
        }

        try
        {
            return Read(doc, pageUrl, r, new XPathCache());
        }
        catch (XPathException ex)
        {
            return new PageParseResult { Error = $"Scraping: a scraper rule is not valid XPath: {ex.Message}" };
        }
    }

    private static PageParseResult Read(HtmlDocument doc, Uri pageUrl, ScraperRules r, XPathCache cache)
    {
        var root = doc.DocumentNode;
        var list = First(cache, root, r.CommentList!)?.Node;
        var content = First(cache, root, r.Content!)?.Node;
        if (list is null && content is null)
        {
            return new PageParseResult { Error = "Scraping: not a WordPress post page: no entry content and no comment list found." };
        }

        var problems = new List<string>();
        var comments = new List<PageComment>();
        // The post's own fields (and the comment page marker) are looked for outside the comment list: a
        // comment's links, times and authors are never the post's, and on a page of 200 comments the list is
        // most of the document, which every "//" rule would otherwise walk again. It is put back before its
        // comments are read (their rules may look outside it too).
        // Set aside through the parent's child collection: HtmlNode.RemoveChild and InsertAfter also walk the whole
        // list to keep the document's id index, twice the list's size in work for nothing read here.
        var contentHtml = content?.InnerHtml.Trim();
        var listParent = list?.ParentNode;
        var listIndex = listParent?.ChildNodes.IndexOf(list!) ?? -1;
        listParent?.ChildNodes.RemoveAt(listIndex);
        int? page;
        PostPage post;
        try
        {
            page = PageNumber(pageUrl) ?? CurrentPageMarker(root);
            post = ReadPost(cache, root, pageUrl, r, list, contentHtml, page, comments);
        }
        finally
        {
            listParent?.ChildNodes.Insert(listIndex, list!);
        }

        if (list is not null)
        {
            ReadThread(cache, list, parent: null, depth: 1, r, pageUrl, page, comments, problems);
        }

        return new PageParseResult { Page = post, Problems = problems };
    }

    /// <summary>The post's fields; <paramref name="comments"/> is filled afterwards (the page holds the list itself).</summary>
    private static PostPage ReadPost(XPathCache cache, HtmlNode root, Uri pageUrl, ScraperRules r, HtmlNode? list, string? contentHtml, int? page, List<PageComment> comments)
    {
        return new PostPage
        {
            Title = Text(First(cache, root, r.Title!)?.Value),
            Author = Text(First(cache, root, r.Author!)?.Value),
            ContentHtml = contentHtml,
            PublishedAt = Date(First(cache, root, r.Published!)?.Value),
            ModifiedAt = Date(First(cache, root, r.Modified!)?.Value),
            Categories = All(cache, root, r.Categories!).Select(v => Text(v.Value)).OfType<string>().Distinct().ToList(),
            Tags = All(cache, root, r.Tags!).Select(v => Text(v.Value)).OfType<string>().Distinct().ToList(),
            AnnouncedCommentCount = HeadingCount(Text(First(cache, root, r.CommentsHeading!)?.Value)),
            Comments = comments,
            HasCommentList = list is not null,
            CommentPage = page,
            WordPressId = PostId(root),
            CanonicalUrl = root.SelectSingleNode("//link[@rel='canonical']") is { } canonical
                && Uri.TryCreate(pageUrl, HtmlEntity.DeEntitize(canonical.GetAttributeValue("href", string.Empty)).Trim(), out var c) && c.Scheme is "http" or "https" ? c : null,
            HasCommentForm = root.SelectSingleNode("//*[@id='respond'] | //form[@id='commentform']") is not null,
            CommentPageLinks = All(cache, root, r.CommentPageLinks!)
                .Select(v => Uri.TryCreate(pageUrl, HtmlEntity.DeEntitize(v.Value).Trim(), out var u) ? u : null)
                .OfType<Uri>()
                .Select(u => new UriBuilder(u) { Fragment = string.Empty }.Uri)
                .Where(u => u != pageUrl)
                .Distinct()
                .ToList(),
        };
    }

    /// <summary>Finds every comment in the thread first, so a comment's own details can be told from its replies'.</summary>
    private static void ReadThread(XPathCache cache, HtmlNode list, long? parent, int depth, ScraperRules r, Uri pageUrl, int? page, List<PageComment> output, List<string> problems)
    {
        var items = new List<(HtmlNode Node, long Id, long? Parent, int Depth)>();
        Collect(cache, list, parent, depth, r, items, problems);
        var owners = items.Select(i => i.Node).ToHashSet();
        // Each rule is evaluated once over the whole list and its matches handed to the comment that
        // owns them (the nearest comment above), rather than once per comment over its replies too.
        var content = Assign(cache, list, r.CommentContent!, owners);
        var author = Assign(cache, list, r.CommentAuthor!, owners);
        var authorUrl = Assign(cache, list, r.CommentAuthorUrl!, owners);
        var avatar = Assign(cache, list, r.CommentAvatar!, owners);
        var time = Assign(cache, list, r.CommentTime!, owners);
        var permalink = Assign(cache, list, r.CommentPermalink!, owners);
        var awaiting = Assign(cache, list, r.CommentAwaitingModeration!, owners);
        foreach (var (item, id, parentId, level) in items)
        {
            var classes = ClassList(item.GetAttributeValue("class", string.Empty));
            var type = classes.Contains("pingback") ? "pingback" : classes.Contains("trackback") ? "trackback" : "comment";
            var contentNode = content.GetValueOrDefault(item)?.Node;
            var contentHtml = contentNode?.InnerHtml.Trim() ?? OldStyleContent(item);
            output.Add(new PageComment
            {
                WordPressId = id,
                ParentWordPressId = parentId,
                Depth = level,
                Type = type,
                Author = Text(author.GetValueOrDefault(item)?.Value),
                AuthorUrl = Url(pageUrl, authorUrl.GetValueOrDefault(item)?.Value),
                AvatarUrl = Url(pageUrl, avatar.GetValueOrDefault(item)?.Value),
                PublishedAt = Date(time.GetValueOrDefault(item)?.Value),
                Permalink = Url(pageUrl, permalink.GetValueOrDefault(item)?.Value) ?? new UriBuilder(pageUrl) { Fragment = $"comment-{id}" }.Uri.ToString(),
                ContentHtml = string.IsNullOrEmpty(contentHtml) ? null : contentHtml,
                ContentText = contentNode is not null ? Text(Safety.HtmlFragment.TextOf(contentNode)) : contentHtml is null ? null : Text(Safety.HtmlFragment.ToText(contentHtml, 4096)),
                AwaitingModeration = awaiting.ContainsKey(item),
                CommentPage = page,
            });
        }
    }

    /// <summary>For each comment, the first match of the first alternative that has one inside the comment itself (not in its replies).</summary>
    private static Dictionary<HtmlNode, Match> Assign(XPathCache cache, HtmlNode list, string xpath, HashSet<HtmlNode> owners)
    {
        var found = new Dictionary<HtmlNode, Match>();
        foreach (var alternative in xpath.Split(" | ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var before = found.Count;
            var claimed = new HashSet<HtmlNode>(found.Keys);
            foreach (var match in All(cache, list, alternative))
            {
                if (OwningComment(match.Node, owners) is { } owner && !claimed.Contains(owner) && !string.IsNullOrWhiteSpace(match.Value))
                {
                    found.TryAdd(owner, match);
                }
            }

            if (found.Count == owners.Count)
            {
                break;
            }
        }

        return found;
    }

    /// <summary>Walks a list and its reply lists: recursive only in thread depth (WordPress caps threads at 10; the nesting limit caps a hostile page).</summary>
    private static void Collect(XPathCache cache, HtmlNode list, long? parent, int depth, ScraperRules r, List<(HtmlNode, long, long?, int)> items, List<string> problems)
    {
        foreach (var item in All(cache, list, r.CommentItems!).Select(v => v.Node))
        {
            if (CommentId(item) is not { } id)
            {
                problems.Add($"Scraping: skipped a comment without a WordPress id ({Truncate(item.Id ?? item.Name)}).");
                continue;
            }

            items.Add((item, id, parent, depth));
            foreach (var replies in All(cache, item, r.ReplyLists!).Select(v => v.Node))
            {
                Collect(cache, replies, id, depth + 1, r, items, problems);
            }
        }
    }

    /// <summary>Older themes put the comment's paragraphs straight into its body, beside author and meta.</summary>
    private static string? OldStyleContent(HtmlNode item)
    {
        var body = item.ChildNodes.FirstOrDefault(n => (n.Id ?? string.Empty).StartsWith("div-comment-", StringComparison.Ordinal)) ?? item;
        var paragraphs = body.ChildNodes.Where(n => n.Name is "p" or "blockquote" or "ul" or "ol" && !(n.Id ?? string.Empty).StartsWith("comment-", StringComparison.Ordinal)
            && !ClassList(n.GetAttributeValue("class", string.Empty)).Overlaps(["children", "comment-author", "comment-meta", "commentmetadata", "reply"]));
        var html = string.Concat(paragraphs.Select(p => p.OuterHtml)).Trim();
        return html.Length == 0 ? null : html;
    }

    /// <summary>The post's WordPress id: the shortlink (?p=N), else the body's postid-N class.</summary>
    private static long? PostId(HtmlNode root)
    {
        var shortlink = root.SelectSingleNode("//link[@rel='shortlink']")?.GetAttributeValue("href", string.Empty) ?? string.Empty;
        var m = ShortlinkId().Match(HtmlEntity.DeEntitize(shortlink));
        if (!m.Success)
        {
            m = BodyPostId().Match(root.SelectSingleNode("//body")?.GetAttributeValue("class", string.Empty) ?? string.Empty);
        }

        return m.Success && long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    private static long? CommentId(HtmlNode item)
    {
        // The id is on the item (li#comment-N, li#li-comment-N) or, in some themes, on its first element.
        var m = CommentIdPattern().Match(item.Id ?? string.Empty);
        if (!m.Success && item.ChildNodes.FirstOrDefault(n => n.NodeType == HtmlNodeType.Element) is { } body)
        {
            m = CommentIdPattern().Match(body.Id ?? string.Empty);
        }

        return m.Success && long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    /// <summary>The first match of the first alternative that matches (alternatives split on " | " are tried in order).</summary>
    private static Match? First(XPathCache cache, HtmlNode context, string xpath)
    {
        foreach (var alternative in xpath.Split(" | ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var match = All(cache, context, alternative).FirstOrDefault(m => !string.IsNullOrWhiteSpace(m.Value));
            if (match is not null)
            {
                return match;
            }
        }

        return null;
    }

    private static HtmlNode? OwningComment(HtmlNode node, HashSet<HtmlNode> comments)
    {
        for (var n = node; n is not null; n = n.ParentNode)
        {
            if (comments.Contains(n))
            {
                return n;
            }
        }

        return null;
    }

    /// <summary>Evaluates XPath through HtmlAgilityPack's navigator, so attribute steps yield the attribute's value.</summary>
    private static IEnumerable<Match> All(XPathCache cache, HtmlNode context, string xpath)
    {
        var navigator = context.CreateNavigator();
        var iterator = navigator.Select(cache.Get(xpath));
        while (iterator.MoveNext())
        {
            if (iterator.Current is HtmlNodeNavigator current)
            {
                yield return current.NodeType == XPathNodeType.Element ? new Match(current.CurrentNode, null) : new Match(current.CurrentNode, current.Value ?? string.Empty);
            }
        }
    }

    private static string? Text(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var text = Whitespace().Replace(HtmlEntity.DeEntitize(value), " ").Trim();
        return text.Length == 0 ? null : text;
    }

    private static string? Url(Uri page, string? value) =>
        value is not null && Uri.TryCreate(page, HtmlEntity.DeEntitize(value).Trim(), out var url) && url.Scheme is "http" or "https" ? url.ToString() : null;

    private static DateTimeOffset? Date(string? value)
    {
        var text = Text(value);
        if (text is null)
        {
            return null;
        }

        if (DateParser.TryParse(text, out var date))
        {
            return date;
        }

        // Older themes print "March 14, 2025 at 11:02 am" in the blog's own zone, which the page does not name.
        var cleaned = text.Replace(" at ", " ", StringComparison.OrdinalIgnoreCase);
        return DateTimeOffset.TryParse(cleaned, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date) ? date.ToUniversalTime() : null;
    }

    /// <summary>The count in "4 thoughts on …", "One reply on …", "2 Responses to …", "Comments (5)".</summary>
    internal static int? HeadingCount(string? heading)
    {
        if (heading is null)
        {
            return null;
        }

        // The count comes before the quoted title ("One response to “Weekly notes 16”"): the title's own numbers are not it.
        var quote = heading.IndexOfAny(['“', '"', '«', '‘', '„', '「']);
        if (quote > 0)
        {
            heading = heading[..quote];
        }

        var number = FirstNumber().Match(heading);
        if (number.Success && int.TryParse(number.Value.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        return OneWord().IsMatch(heading) ? 1 : NoWord().IsMatch(heading) ? 0 : null;
    }

    /// <summary>The comment page a URL points at (/comment-page-N/ or ?cpage=N), or null.</summary>
    internal static int? PageNumber(Uri url)
    {
        var m = CommentPagePattern().Match(url.AbsolutePath + url.Query);
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static int? CurrentPageMarker(HtmlNode root)
    {
        var current = root.SelectSingleNode(CurrentPagePath);
        return current is not null && int.TryParse(Safety.HtmlFragment.TextOf(current).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    // contains(@class, …) first: a cheap test false for nearly every element, so the token test (which builds strings) runs on few.
    private static readonly XPathExpression CurrentPagePath = XPathExpression.Compile(
        "//*[(contains(@class, 'pagination') or contains(@class, 'comment-navigation')) and (contains(concat(' ', normalize-space(@class), ' '), ' comments-pagination ') "
        + "or contains(concat(' ', normalize-space(@class), ' '), ' comment-navigation ') or contains(concat(' ', normalize-space(@class), ' '), ' wp-block-comments-pagination '))]"
        + "//*[contains(@class, 'current') and contains(concat(' ', normalize-space(@class), ' '), ' current ')]");

    private static HashSet<string> ClassList(string classes) => [.. classes.Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    private static string Truncate(string s) => s.Length > 40 ? s[..40] + "…" : s;

    [GeneratedRegex(@"^(?:li-)?comment-(\d+)$")]
    private static partial Regex CommentIdPattern();

    [GeneratedRegex(@"[?&]p=(\d+)(?:&|$)")]
    private static partial Regex ShortlinkId();

    [GeneratedRegex(@"(?:^|\s)postid-(\d+)(?:\s|$)")]
    private static partial Regex BodyPostId();

    [GeneratedRegex(@"(?:/comment-page-|[?&]cpage=)(\d+)")]
    private static partial Regex CommentPagePattern();

    [GeneratedRegex(@"\d[\d,]*")]
    private static partial Regex FirstNumber();

    [GeneratedRegex(@"^\s*one\b", RegexOptions.IgnoreCase)]
    private static partial Regex OneWord();

    [GeneratedRegex(@"^\s*no\b", RegexOptions.IgnoreCase)]
    private static partial Regex NoWord();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>A node matched by a rule; an element's text is built only when asked for (it can be a whole thread's).</summary>
    private sealed class Match(HtmlNode node, string? value)
    {
        public HtmlNode Node => node;

        public string Value => value ??= Safety.HtmlFragment.TextOf(node);
    }

    /// <summary>Each XPath alternative compiled once per page instead of once per comment.</summary>
    private sealed class XPathCache
    {
        private readonly Dictionary<string, XPathExpression> _compiled = new(StringComparer.Ordinal);

        public XPathExpression Get(string xpath)
        {
            if (!_compiled.TryGetValue(xpath, out var expression))
            {
                _compiled[xpath] = expression = XPathExpression.Compile(xpath);
            }

            return expression;
        }
    }
}

/// <summary>The outcome of parsing a post page: the page, or why there is none.</summary>
public sealed record PageParseResult
{
    public PostPage? Page { get; init; }
    public string? Error { get; init; }
    public IReadOnlyList<string> Problems { get; init; } = [];
}
