using System.Xml.Linq;

namespace AgleaFeeds.Parsing;

/// <summary>Reads the formats System.ServiceModel.Syndication does not: RSS 1.0 (RDF), RSS 0.90 and Atom 0.3, through LINQ to XML.</summary>
internal static class LegacyFeedReader
{
    private static readonly XNamespace Rdf = Namespaces.Rdf;
    private static readonly XNamespace Dc = Namespaces.DublinCore;
    private static readonly XNamespace ContentNs = Namespaces.Content;
    private static readonly XNamespace Wfw = Namespaces.Wfw;
    private static readonly XNamespace Slash = Namespaces.Slash;
    private static readonly XNamespace Atom03 = Namespaces.Atom03;

    /// <summary>Reads RSS 1.0 or 0.90: a channel and items that are siblings under rdf:RDF.</summary>
    public static ParsedFeed ReadRdf(XDocument doc, List<string> problems)
    {
        var root = doc.Root!;
        XNamespace ns = root.Elements().FirstOrDefault(e => e.Name.LocalName == "channel")?.Name.Namespace ?? Namespaces.Rss10;
        var channel = root.Element(ns + "channel");
        var badDates = 0;
        var entries = root.Elements(ns + "item").Select(item =>
        {
            var date = Value(item.Element(Dc + "date")) ?? Value(item.Element((XNamespace)Namespaces.DcTerms + "issued")) ?? Value(item.Element((XNamespace)Namespaces.DcTerms + "created"))
                ?? Value(item.Element((XNamespace)Namespaces.DcTerms + "modified"));
            DateTimeOffset? published = null;
            if (date is not null)
            {
                if (DateParser.TryParse(date, out var d))
                {
                    published = d;
                }
                else
                {
                    badDates++;
                }
            }

            return new ParsedEntry
            {
                Guid = Value(item.Attribute(Rdf + "about")) ?? Value(item.Element(ns + "link")),
                Link = Value(item.Element(ns + "link")),
                Title = Value(item.Element(ns + "title")),
                PublishedAt = published,
                Author = Value(item.Element(Dc + "creator")),
                SummaryHtml = Value(item.Element(ns + "description")),
                ContentHtml = Value(item.Element(ContentNs + "encoded")),
                Categories = item.Elements(Dc + "subject").Select(Value).OfType<string>().ToList(),
                CommentFeedUrl = Value(item.Element(Wfw + "commentRss")),
                CommentCount = SyndicationReader.Int(Value(item.Element(Slash + "comments"))),
            };
        }).ToList();
        if (badDates > 0)
        {
            problems.Add($"Parsing: {badDates} unreadable date(s) left empty.");
        }

        return new ParsedFeed
        {
            Format = ns == Namespaces.Rss090 ? "RSS 0.90" : "RSS 1.0",
            Title = Value(channel?.Element(ns + "title")),
            SiteUrl = Value(channel?.Element(ns + "link")),
            Entries = entries,
        };
    }

    /// <summary>Reads RSS 0.91/0.92/0.93/0.94 (and any other non-2.0 version): channel and items without namespaces.</summary>
    public static ParsedFeed ReadRss09x(XDocument doc, string format, List<string> problems)
    {
        var channel = doc.Root!.Element("channel");
        var badDates = 0;
        var entries = (channel?.Elements("item") ?? []).Select(item =>
        {
            DateTimeOffset? published = null;
            if (Value(item.Element("pubDate")) is { } date)
            {
                if (DateParser.TryParse(date, out var d))
                {
                    published = d;
                }
                else
                {
                    badDates++;
                }
            }

            return new ParsedEntry
            {
                Guid = Value(item.Element("guid")),
                Link = Value(item.Element("link")),
                Title = Value(item.Element("title")),
                PublishedAt = published,
                Author = Value(item.Element(Dc + "creator")) ?? Value(item.Element("author")),
                SummaryHtml = Value(item.Element("description")),
                ContentHtml = Value(item.Element(ContentNs + "encoded")),
                Categories = item.Elements("category").Select(Value).OfType<string>().ToList(),
                CommentsUrl = Value(item.Element("comments")),
            };
        }).ToList();
        if (badDates > 0)
        {
            problems.Add($"Parsing: {badDates} unreadable date(s) left empty.");
        }

        return new ParsedFeed
        {
            Format = format,
            Title = Value(channel?.Element("title")),
            SiteUrl = Value(channel?.Element("link")),
            UpdateInterval = SyndicationReader.Int(Value(channel?.Element("ttl"))) is { } ttl and > 0 ? TimeSpan.FromMinutes(ttl) : null,
            Entries = entries,
        };
    }

    /// <summary>Reads Atom 0.3: like Atom 1.0 with issued/modified dates and mode="escaped" content.</summary>
    public static ParsedFeed ReadAtom03(XDocument doc, List<string> problems)
    {
        var root = doc.Root!;
        var badDates = 0;
        DateTimeOffset? Date(XElement? e)
        {
            var s = Value(e);
            if (s is null)
            {
                return null;
            }

            if (DateParser.TryParse(s, out var d))
            {
                return d;
            }

            badDates++;
            return null;
        }

        var entries = root.Elements(Atom03 + "entry").Select(entry => new ParsedEntry
        {
            Guid = Value(entry.Element(Atom03 + "id")),
            Link = AlternateLink(entry),
            Title = Value(entry.Element(Atom03 + "title")),
            PublishedAt = Date(entry.Element(Atom03 + "issued")) ?? Date(entry.Element(Atom03 + "created")),
            UpdatedAt = Date(entry.Element(Atom03 + "modified")),
            Author = Value(entry.Element(Atom03 + "author")?.Element(Atom03 + "name"))
                ?? Value(root.Element(Atom03 + "author")?.Element(Atom03 + "name")),
            SummaryHtml = ContentOf(entry.Element(Atom03 + "summary")),
            ContentHtml = ContentOf(entry.Element(Atom03 + "content")),
        }).ToList();
        if (badDates > 0)
        {
            problems.Add($"Parsing: {badDates} unreadable date(s) left empty.");
        }

        return new ParsedFeed
        {
            Format = "Atom 0.3",
            Title = Value(root.Element(Atom03 + "title")),
            SiteUrl = AlternateLink(root),
            Generator = Value(root.Element(Atom03 + "generator")),
            Entries = entries,
        };
    }

    private static string? AlternateLink(XElement parent) =>
        parent.Elements(Atom03 + "link")
            .Where(l => (string?)l.Attribute("rel") is null or "alternate")
            .Select(l => (string?)l.Attribute("href"))
            .FirstOrDefault(h => !string.IsNullOrWhiteSpace(h));

    /// <summary>Atom 0.3 content is escaped text, or inline XHTML (mode="xml"), or base64 (ignored).</summary>
    private static string? ContentOf(XElement? e)
    {
        if (e is null)
        {
            return null;
        }

        return (string?)e.Attribute("mode") switch
        {
            "xml" => SyndicationReader.NullIfEmpty(string.Concat(e.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting)))),
            "base64" => null,
            _ => Value(e),
        };
    }

    private static string? Value(XElement? e) => SyndicationReader.NullIfEmpty(e?.Value.Trim());

    private static string? Value(XAttribute? a) => SyndicationReader.NullIfEmpty(a?.Value.Trim());
}
