using System.Text;
using System.Xml.Linq;

namespace AgleaFeeds.Parsing;

/// <summary>
/// The LINQ to XML reader that takes what System.ServiceModel.Syndication refuses: RSS of any version, in
/// any namespace or none, with or without its channel; Atom 1.0, 0.3 and the drafts between, with text
/// constructs of any type (MIME types, base64); elements repeated, empty or with children. It reads each
/// field on its own, so one odd element costs that element, never the entry or the feed.
/// </summary>
internal static class TolerantReader
{
    private static readonly XNamespace Dc = Namespaces.DublinCore;
    private static readonly XNamespace DcTerms = Namespaces.DcTerms;
    private static readonly XNamespace Media = Namespaces.Media;
    private static readonly XNamespace ContentNs = Namespaces.Content;
    private static readonly XNamespace Wfw = Namespaces.Wfw;
    private static readonly XNamespace Slash = Namespaces.Slash;
    private static readonly XNamespace Thr = Namespaces.Threading;
    private static readonly XNamespace Sy = Namespaces.Syndication;
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";

    /// <summary>Whether a root element is an RSS or Atom document this reader can take.</summary>
    public static bool Reads(XElement root) =>
        root.Name.LocalName is "rss" || (root.Name.LocalName == "feed" && IsAtom(root.Name.Namespace));

    /// <summary>Atom 1.0, 0.3 and the IETF drafts between them (purl.org/atom/ns#draft-…).</summary>
    public static bool IsAtom(XNamespace ns) =>
        ns == Namespaces.Atom10 || ns.NamespaceName.StartsWith("http://purl.org/atom/ns#", StringComparison.Ordinal);

    /// <summary>Reads an RSS or Atom document; the caller has checked <see cref="Reads"/>.</summary>
    public static ParsedFeed Read(XDocument doc, List<string> problems)
    {
        var root = doc.Root!;
        return root.Name.LocalName == "rss" ? ReadRss(root, problems) : ReadAtom(root, problems);
    }

    private static ParsedFeed ReadRss(XElement root, List<string> problems)
    {
        var ns = root.Name.Namespace;
        // RSS without <channel> puts the channel's elements and the items straight under <rss>.
        var channel = Child(root, ns, "channel") ?? root;
        var items = channel.Elements().Where(e => e.Name.LocalName == "item" && (e.Name.Namespace == ns || e.Name.Namespace == XNamespace.None)).ToList();
        if (items.Count == 0)
        {
            items = root.Descendants().Where(e => e.Name.LocalName == "item").ToList();
        }

        var dates = new DateReader();
        var entries = items.Select(item =>
        {
            var guid = Text(Child(item, ns, "guid"));
            var link = Resolve(Child(item, ns, "link"), Text(Child(item, ns, "link"))) ?? (LooksLikeUrl(guid) ? guid : null);
            return new ParsedEntry
            {
                Guid = guid,
                Link = link,
                Title = Text(Child(item, ns, "title")) ?? Text(item.Element(Dc + "title")),
                PublishedAt = dates.Read(Child(item, ns, "pubDate")) ?? dates.Read(item.Element(Dc + "date")) ?? dates.Read(item.Element(DcTerms + "issued")) ?? dates.Read(item.Element(DcTerms + "created")),
                UpdatedAt = dates.Read(item.Element(DcTerms + "modified")),
                Author = SyndicationReader.PersonName(Text(item.Element(Dc + "creator")) ?? Text(Child(item, ns, "author"))),
                SummaryHtml = Markup(Child(item, ns, "description")) ?? MediaDescription(item),
                ContentHtml = Markup(item.Element(ContentNs + "encoded")),
                Categories = item.Elements().Where(e => (e.Name.LocalName == "category" && (e.Name.Namespace == ns || e.Name.Namespace == XNamespace.None)) || e.Name == Dc + "subject")
                    .Select(Text).OfType<string>().Distinct().ToList(),
                CommentsUrl = Text(Child(item, ns, "comments")),
                CommentFeedUrl = Text(item.Element(Wfw + "commentRss")),
                CommentCount = SyndicationReader.Int(Text(item.Element(Slash + "comments")) ?? Text(item.Element(Thr + "total"))),
                Enclosures = item.Elements().Where(e => e.Name.LocalName == "enclosure" && Attr(e, "url") is not null)
                    .Select(e => new Enclosure(Resolve(e, Attr(e, "url"))!, Attr(e, "type"), Length(Attr(e, "length")))).ToList(),
            };
        }).ToList();
        dates.Report(problems);
        return new ParsedFeed
        {
            Format = $"RSS {(string?)root.Attribute("version") ?? "(no version)"}",
            Title = Text(Child(channel, ns, "title")) ?? Text(channel.Element(Dc + "title")),
            SiteUrl = Text(Child(channel, ns, "link")),
            Generator = Text(Child(channel, ns, "generator")),
            UpdateInterval = SyndicationReader.Int(Text(Child(channel, ns, "ttl"))) is { } ttl and > 0 ? TimeSpan.FromMinutes(ttl)
                : SyndicationReader.UpdateInterval(Text(channel.Element(Sy + "updatePeriod")), Text(channel.Element(Sy + "updateFrequency"))),
            Entries = entries,
        };
    }

    private static ParsedFeed ReadAtom(XElement root, List<string> problems)
    {
        var ns = root.Name.Namespace;
        var dates = new DateReader();
        var feedAuthor = Text(root.Element(ns + "author")?.Element(ns + "name"));
        var entries = root.Elements(ns + "entry").Select(entry =>
        {
            var id = Text(entry.Element(ns + "id"));
            var link = AlternateLink(entry, ns) ?? (LooksLikeUrl(id) ? id : null);
            return new ParsedEntry
            {
                Guid = id,
                Link = link,
                Title = PlainText(Construct(entry.Element(ns + "title"), problems)),
                PublishedAt = dates.Read(entry.Element(ns + "published")) ?? dates.Read(entry.Element(ns + "issued")) ?? dates.Read(entry.Element(ns + "created"))
                    ?? dates.Read(entry.Element(DcTerms + "issued")) ?? dates.Read(entry.Element(DcTerms + "created")) ?? dates.Read(entry.Element(Dc + "date")),
                UpdatedAt = dates.Read(entry.Element(ns + "updated")) ?? dates.Read(entry.Element(ns + "modified")) ?? dates.Read(entry.Element(DcTerms + "modified")),
                Author = SyndicationReader.PersonName(Text(entry.Element(ns + "author")?.Element(ns + "name")) ?? Text(entry.Element(ns + "author")?.Element(ns + "email")) ?? feedAuthor),
                SummaryHtml = ContentUrls.Absolute(Construct(entry.Element(ns + "summary"), problems), BaseOf(entry)) ?? MediaDescription(entry),
                ContentHtml = ContentUrls.Absolute(Construct(entry.Element(ns + "content"), problems), BaseOf(entry.Element(ns + "content") ?? entry)),
                Categories = entry.Elements(ns + "category").Select(c => Attr(c, "label") ?? Attr(c, "term") ?? Text(c)).OfType<string>().Distinct().ToList(),
                CommentsUrl = entry.Elements(ns + "link").Where(l => Attr(l, "rel") == "replies" && Attr(l, "type") == "text/html").Select(l => Attr(l, "href")).FirstOrDefault(h => h is not null),
                CommentFeedUrl = entry.Elements(ns + "link").Where(l => Attr(l, "rel") == "replies" && Attr(l, "type") != "text/html").Select(l => Attr(l, "href")).FirstOrDefault(h => h is not null),
                CommentCount = SyndicationReader.Int(Text(entry.Element(Thr + "total"))),
                Enclosures = entry.Elements(ns + "link").Where(l => Attr(l, "rel") == "enclosure" && Attr(l, "href") is not null)
                    .Select(l => new Enclosure(Resolve(l, Attr(l, "href"))!, Attr(l, "type"), Length(Attr(l, "length")))).ToList(),
            };
        }).ToList();
        dates.Report(problems);
        return new ParsedFeed
        {
            Format = ns == Namespaces.Atom10 ? "Atom 1.0" : ns == Namespaces.Atom03 ? "Atom 0.3" : $"Atom ({ns.NamespaceName})",
            Title = PlainText(Construct(root.Element(ns + "title"), problems)),
            SiteUrl = AlternateLink(root, ns),
            Generator = Text(root.Element(ns + "generator")),
            Entries = entries,
        };
    }

    /// <summary>Media RSS's description, as escaped text (YouTube: media:group/media:description).</summary>
    private static string? MediaDescription(XElement e) =>
        Text(e.Element(Media + "group")?.Element(Media + "description") ?? e.Element(Media + "description")) is { } text ? System.Net.WebUtility.HtmlEncode(text) : null;

    /// <summary>The first child named <paramref name="name"/> in the document's namespace or in none.</summary>
    private static XElement? Child(XElement parent, XNamespace ns, string name) =>
        parent.Element(ns + name) ?? (ns != XNamespace.None ? parent.Element(name) : null);

    private static string? AlternateLink(XElement parent, XNamespace ns) =>
        parent.Elements(ns + "link").Where(l => Attr(l, "rel") is null or "alternate").Select(l => Resolve(l, Attr(l, "href") ?? Text(l))).FirstOrDefault(h => h is not null);

    /// <summary>A reference resolved against the xml:base in scope at <paramref name="at"/> (outermost first); as written when none is.</summary>
    private static string? Resolve(XElement? at, string? reference)
    {
        if (at is null || reference is null || Uri.TryCreate(reference, UriKind.Absolute, out _) && !reference.StartsWith('/'))
        {
            return reference;
        }

        var baseUri = BaseOf(at);
        return baseUri is not null && Uri.TryCreate(baseUri, reference, out var resolved) ? resolved.ToString() : reference;
    }

    /// <summary>The xml:base in scope at an element, outermost first; null when none is absolute.</summary>
    private static Uri? BaseOf(XElement at)
    {
        Uri? baseUri = null;
        foreach (var e in at.AncestorsAndSelf().Reverse())
        {
            if ((string?)e.Attribute(XNamespace.Xml + "base") is { } b)
            {
                baseUri = baseUri is null ? (Uri.TryCreate(b.Trim(), UriKind.Absolute, out var abs) ? abs : null)
                    : (Uri.TryCreate(baseUri, b.Trim(), out var rel) ? rel : baseUri);
            }
        }

        return baseUri;
    }

    private static long? Length(string? value) => long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    /// <summary>An element's text: its text nodes and its children's, trimmed; null when empty.</summary>
    private static string? Text(XElement? e) => SyndicationReader.NullIfEmpty(e?.Value.Trim());

    private static string? Attr(XElement e, string name) => SyndicationReader.NullIfEmpty(((string?)e.Attribute(name))?.Trim());

    /// <summary>An RSS field read as HTML: escaped HTML as text, or markup written inline as child elements.</summary>
    private static string? Markup(XElement? e) =>
        e is null ? null : e.HasElements ? SyndicationReader.NullIfEmpty(HtmlOf(e)) : Text(e);

    /// <summary>
    /// An Atom text construct as HTML: type text (or a text/* MIME type) escaped, html as is, xhtml (or an XML
    /// MIME type) as its markup, base64 (Atom 0.3 mode="base64", or a binary MIME type) decoded when it is text.
    /// </summary>
    internal static string? Construct(XElement? e, List<string> problems)
    {
        if (e is null)
        {
            return null;
        }

        var type = (Attr(e, "type") ?? "text").ToLowerInvariant();
        var mode = Attr(e, "mode")?.ToLowerInvariant();
        if (mode == "base64" || (type.Contains('/') && !type.StartsWith("text/", StringComparison.Ordinal) && !type.Contains("xml", StringComparison.Ordinal) && !e.HasElements))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(e.Value.Trim()));
                return SyndicationReader.NullIfEmpty(type is "text/plain" or "text" ? System.Net.WebUtility.HtmlEncode(decoded) : decoded);
            }
            catch (FormatException)
            {
                problems.Add("Parsing: ignored a base64 text construct that is not base64.");
                return null;
            }
        }

        if (e.HasElements || type is "xhtml" || mode == "xml" || type.EndsWith("xml", StringComparison.Ordinal))
        {
            // xhtml wraps its markup in one div; XML MIME types are the markup itself.
            var body = e.Elements().Count() == 1 && e.Elements().First().Name.LocalName == "div" && !e.Nodes().OfType<XText>().Any(t => t.Value.Trim().Length > 0)
                ? e.Elements().First() : e;
            return SyndicationReader.NullIfEmpty(HtmlOf(body));
        }

        return type is "html" or "text/html" || mode == "escaped" ? Text(e) : Text(e) is { } plain ? System.Net.WebUtility.HtmlEncode(plain) : null;
    }

    /// <summary>The markup inside an element as HTML: XHTML's namespace dropped, so that it is not repeated on every element.</summary>
    private static string HtmlOf(XElement body)
    {
        var copy = new XElement(body);
        foreach (var element in copy.DescendantsAndSelf())
        {
            if (element.Name.Namespace == Xhtml)
            {
                element.Name = element.Name.LocalName;
            }

            element.Attributes().Where(a => a.IsNamespaceDeclaration && a.Value == Xhtml.NamespaceName).Remove();
        }

        return string.Concat(copy.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting))).Trim();
    }

    /// <summary>A title as plain text, from the HTML a text construct became.</summary>
    private static string? PlainText(string? html) => html is null ? null : SyndicationReader.NullIfEmpty(Safety.HtmlFragment.ToText(html)?.Trim());

    private static bool LooksLikeUrl(string? value) =>
        value is not null && Uri.TryCreate(value, UriKind.Absolute, out var uri) && Safety.SafeUrl.IsHttp(uri);

    /// <summary>Reads dates, counting the unreadable ones for one report.</summary>
    internal sealed class DateReader
    {
        private int _bad;

        public DateTimeOffset? Read(XElement? e)
        {
            if (Text(e) is not { } s)
            {
                return null;
            }

            if (DateParser.TryParse(s, out var d))
            {
                return d;
            }

            _bad++;
            return null;
        }

        public void Report(List<string> problems)
        {
            if (_bad > 0)
            {
                problems.Add($"Parsing: {_bad} unreadable date(s) left empty.");
            }
        }
    }
}
