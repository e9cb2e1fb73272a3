using System.Xml.Linq;

namespace AgleaFeeds.Parsing;

/// <summary>Reads RSS 1.0 and 0.90 (RDF), which System.ServiceModel.Syndication does not, through LINQ to XML; the other formats it refuses go to <see cref="TolerantReader"/>.</summary>
internal static class LegacyFeedReader
{
    private static readonly XNamespace Rdf = Namespaces.Rdf;
    private static readonly XNamespace Dc = Namespaces.DublinCore;
    private static readonly XNamespace DcTerms = Namespaces.DcTerms;
    private static readonly XNamespace ContentNs = Namespaces.Content;
    private static readonly XNamespace Wfw = Namespaces.Wfw;
    private static readonly XNamespace Slash = Namespaces.Slash;

    /// <summary>Reads RSS 1.0 or 0.90: a channel and items that are siblings under rdf:RDF.</summary>
    public static ParsedFeed ReadRdf(XDocument doc, List<string> problems)
    {
        var root = doc.Root!;
        XNamespace ns = root.Elements().FirstOrDefault(e => e.Name.LocalName == "channel")?.Name.Namespace ?? Namespaces.Rss10;
        var channel = root.Element(ns + "channel");
        var dates = new TolerantReader.DateReader();
        var entries = root.Elements(ns + "item").Select(item => new ParsedEntry
        {
            Guid = Value(item.Attribute(Rdf + "about")) ?? Value(item.Element(ns + "link")),
            Link = Value(item.Element(ns + "link")),
            Title = Value(item.Element(ns + "title")),
            PublishedAt = dates.Read(item.Element(Dc + "date")) ?? dates.Read(item.Element(DcTerms + "issued")) ?? dates.Read(item.Element(DcTerms + "created"))
                ?? dates.Read(item.Element(DcTerms + "modified")),
            Author = Value(item.Element(Dc + "creator")),
            SummaryHtml = Value(item.Element(ns + "description")),
            ContentHtml = Value(item.Element(ContentNs + "encoded")),
            Categories = item.Elements(Dc + "subject").Select(Value).OfType<string>().ToList(),
            CommentFeedUrl = Value(item.Element(Wfw + "commentRss")),
            CommentCount = SyndicationReader.Int(Value(item.Element(Slash + "comments"))),
        }).ToList();
        dates.Report(problems);
        return new ParsedFeed
        {
            Format = ns == Namespaces.Rss090 ? "RSS 0.90" : "RSS 1.0",
            Title = Value(channel?.Element(ns + "title")),
            SiteUrl = Value(channel?.Element(ns + "link")),
            Entries = entries,
        };
    }

    private static string? Value(XElement? e) => SyndicationReader.NullIfEmpty(e?.Value.Trim());

    private static string? Value(XAttribute? a) => SyndicationReader.NullIfEmpty(a?.Value.Trim());
}
