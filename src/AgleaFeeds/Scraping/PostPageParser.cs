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
            return Read(doc, pageUrl, r);
        }
        catch (XPathException ex)
        {
            return new PageParseResult { Error = $"Scraping: a scraper rule is not valid XPath: {ex.Message}" };
        }
    }

    private static PageParseResult Read(HtmlDocument doc, Uri pageUrl, ScraperRules r)
    {
        var root = doc.DocumentNode;
        var list = First(root, r.CommentList!)?.Node;
        var content = First(root, r.Content!)?.Node;
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
        var contentHtml = InnerHtml(content);
        var listParent = list?.ParentNode;
        var listIndex = listParent?.ChildNodes.IndexOf(list!) ?? -1;
        listParent?.ChildNodes.RemoveAt(listIndex);
        int? page;
        PostPage post;
        try
        {
            page = PageNumber(pageUrl) ?? CurrentPageMarker(root);
            post = ReadPost(root, pageUrl, r, list, contentHtml, page, comments);
        }
        finally
        {
            listParent?.ChildNodes.Insert(listIndex, list!);
        }

        if (list is not null)
        {
            ReadThread(list, parent: null, depth: 1, r, pageUrl, page, comments, problems);
        }

        return new PageParseResult { Page = post, Problems = problems };
    }

    /// <summary>The post's fields; <paramref name="comments"/> is filled afterwards (the page holds the list itself).</summary>
    private static PostPage ReadPost(HtmlNode root, Uri pageUrl, ScraperRules r, HtmlNode? list, string? contentHtml, int? page, List<PageComment> comments)
    {
        return new PostPage
        {
            Title = Text(First(root, r.Title!)?.Value),
            Author = Text(First(root, r.Author!)?.Value),
            ContentHtml = contentHtml,
            PublishedAt = Date(First(root, r.Published!)?.Value),
            ModifiedAt = Date(First(root, r.Modified!)?.Value),
            Categories = All(root, r.Categories!).Select(v => Text(v.Value)).OfType<string>().Distinct().ToList(),
            Tags = All(root, r.Tags!).Select(v => Text(v.Value)).OfType<string>().Distinct().ToList(),
            AnnouncedCommentCount = HeadingCount(Text(First(root, r.CommentsHeading!)?.Value)),
            Comments = comments,
            HasCommentList = list is not null,
            CommentPage = page,
            WordPressId = PostId(root),
            CanonicalUrl = root.SelectSingleNode("//link[@rel='canonical']") is { } canonical
                && Uri.TryCreate(pageUrl, Decode(canonical.GetAttributeValue("href", string.Empty)).Trim(), out var c) && c.Scheme is "http" or "https" ? c : null,
            HasCommentForm = root.SelectSingleNode("//*[@id='respond'] | //form[@id='commentform']") is not null,
            CommentPageLinks = All(root, r.CommentPageLinks!)
                .Select(v => Uri.TryCreate(pageUrl, Decode(v.Value).Trim(), out var u) ? u : null)
                .OfType<Uri>()
                .Select(u => new UriBuilder(u) { Fragment = string.Empty }.Uri)
                .Where(u => u != pageUrl)
                .Distinct()
                .ToList(),
        };
    }

    /// <summary>Finds every comment in the thread first, so a comment's own details can be told from its replies'.</summary>
    private static void ReadThread(HtmlNode list, long? parent, int depth, ScraperRules r, Uri pageUrl, int? page, List<PageComment> output, List<string> problems)
    {
        var items = new List<(HtmlNode Node, long Id, long? Parent, int Depth)>();
        Collect(list, parent, depth, r, items, problems);
        var owners = new Owners(items.Select(i => i.Node));
        string[] rules = [r.CommentContent!, r.CommentAuthor!, r.CommentAuthorUrl!, r.CommentAvatar!, r.CommentTime!, r.CommentPermalink!, r.CommentAwaitingModeration!];
        var index = ClassIndex.Build(list, rules.SelectMany(Alternatives).Select(ClassPathOf).OfType<ClassPath>().Select(p => p.Class));
        // Each rule is evaluated once over the whole list and its matches handed to the comment that
        // owns them (the nearest comment above), rather than once per comment over its replies too.
        var content = Assign(index, list, r.CommentContent!, owners);
        var author = Assign(index, list, r.CommentAuthor!, owners);
        var authorUrl = Assign(index, list, r.CommentAuthorUrl!, owners);
        var avatar = Assign(index, list, r.CommentAvatar!, owners);
        var time = Assign(index, list, r.CommentTime!, owners);
        var permalink = Assign(index, list, r.CommentPermalink!, owners);
        var awaiting = Assign(index, list, r.CommentAwaitingModeration!, owners);
        foreach (var (item, id, parentId, level) in items)
        {
            var classes = ClassList(item.GetAttributeValue("class", string.Empty));
            var type = classes.Contains("pingback") ? "pingback" : classes.Contains("trackback") ? "trackback" : "comment";
            var contentMatch = content.GetValueOrDefault(item);
            var contentHtml = InnerHtml(contentMatch?.Node) ?? OldStyleContent(item);
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
                // The match's text was built when the rule checked it was not blank: not walked again.
                ContentText = contentMatch is not null ? Text(contentMatch.Value) : contentHtml is null ? null : Text(Safety.HtmlFragment.ToText(contentHtml, 4096)),
                AwaitingModeration = awaiting.ContainsKey(item),
                CommentPage = page,
            });
        }
    }

    /// <summary>For each comment, the first match of the first alternative that has one inside the comment itself (not in its replies).</summary>
    private static Dictionary<HtmlNode, Match> Assign(ClassIndex index, HtmlNode list, string xpath, Owners owners)
    {
        var found = new Dictionary<HtmlNode, Match>();
        foreach (var alternative in Alternatives(xpath))
        {
            var matches = ClassPathOf(alternative) is { } path && index.Select(path) is { } indexed
                ? indexed.Select(m => new Match(m.Node, m.Value))
                : All(list, alternative);
            foreach (var match in matches)
            {
                // An owner an earlier alternative (or an earlier match of this one) gave a value keeps it.
                if (owners.Of(match.Node) is { } owner && !found.ContainsKey(owner) && !string.IsNullOrWhiteSpace(match.Value))
                {
                    found.Add(owner, match);
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
    private static void Collect(HtmlNode list, long? parent, int depth, ScraperRules r, List<(HtmlNode, long, long?, int)> items, List<string> problems)
    {
        foreach (var item in All(list, r.CommentItems!).Select(v => v.Node))
        {
            if (CommentId(item) is not { } id)
            {
                problems.Add($"Scraping: skipped a comment without a WordPress id ({Truncate(item.Id ?? item.Name)}).");
                continue;
            }

            items.Add((item, id, parent, depth));
            foreach (var replies in All(item, r.ReplyLists!).Select(v => v.Node))
            {
                Collect(replies, id, depth + 1, r, items, problems);
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
        var m = ShortlinkId().Match(Decode(shortlink));
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
    private static Match? First(HtmlNode context, string xpath)
    {
        foreach (var alternative in Alternatives(xpath))
        {
            var match = All(context, alternative).FirstOrDefault(m => !string.IsNullOrWhiteSpace(m.Value));
            if (match is not null)
            {
                return match;
            }
        }

        return null;
    }

    /// <summary>A rule's alternatives (split on " | "), split once per rule text for the process.</summary>
    private static string[] Alternatives(string xpath) =>
        SplitRules.GetOrAdd(xpath, x => x.Split(" | ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    private static ClassPath? ClassPathOf(string alternative) => ClassPaths.GetOrAdd(alternative, ClassPath.TryParse);

    // Keyed by the rules' own texts: the built-in ones and those an operator configured, a bounded set.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> SplitRules = new(StringComparer.Ordinal);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ClassPath?> ClassPaths = new(StringComparer.Ordinal);

    // Compiled once for the process; XPathNavigator.Select evaluates a clone of the compiled query, so threads share it.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, XPathExpression> Compiled = new(StringComparer.Ordinal);

    /// <summary>Evaluates XPath through HtmlAgilityPack's navigator, so attribute steps yield the attribute's value.</summary>
    private static IEnumerable<Match> All(HtmlNode context, string xpath)
    {
        var navigator = context.CreateNavigator();
        var iterator = navigator.Select(Compiled.GetOrAdd(xpath, x => XPathExpression.Compile(x)));
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

        var decoded = Decode(value);
        var text = HasLooseWhitespace(decoded) ? Whitespace().Replace(decoded, " ").Trim() : decoded;
        return text.Length == 0 ? null : text;
    }

    /// <summary>Entities decoded; a value without '&amp;' as it is (HtmlEntity.DeEntitize copies every value it is given).</summary>
    private static string Decode(string value) => value.Contains('&', StringComparison.Ordinal) ? HtmlEntity.DeEntitize(value) : value;

    /// <summary>Whether collapsing and trimming whitespace would change the text: any but single spaces between words.</summary>
    private static bool HasLooseWhitespace(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]) && (text[i] != ' ' || i == 0 || i == text.Length - 1 || char.IsWhiteSpace(text[i + 1])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An element's inner HTML, trimmed.</summary>
    /// <remarks>
    /// HtmlAgilityPack marks every element it appended children to while parsing as changed, and for a changed element
    /// InnerHtml serializes its outer HTML as well, to cache both: WriteContentTo gives the same inner HTML in one walk.
    /// </remarks>
    private static string? InnerHtml(HtmlNode? node) => node?.WriteContentTo().Trim();

    private static string? Url(Uri page, string? value) =>
        value is not null && Uri.TryCreate(page, Decode(value).Trim(), out var url) && url.Scheme is "http" or "https" ? url.ToString() : null;

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

    /// <summary>The comments of a thread, and which one a node belongs to: the nearest at or above it.</summary>
    private sealed class Owners
    {
        private readonly HashSet<HtmlNode> _comments;
        private readonly HashSet<string> _names;

        public Owners(IEnumerable<HtmlNode> comments)
        {
            _comments = [.. comments];
            _names = _comments.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        }

        public int Count => _comments.Count;

        public HtmlNode? Of(HtmlNode node)
        {
            // Only an element named as a comment is can be one: the name test spares hashing every node on the way
            // up (a node's first hash code costs more than the rest of the walk).
            for (var n = node; n is not null; n = n.ParentNode)
            {
                if (_names.Contains(n.Name) && _comments.Contains(n))
                {
                    return n;
                }
            }

            return null;
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
