using System.ServiceModel.Syndication;
using System.Xml;

namespace AgleaFeeds.Parsing;

/// <summary>
/// A feed that reads the WordPress extensions as it parses (System.ServiceModel.Syndication's
/// TryParseElement hook), instead of buffering them as element extensions and re-reading them.
/// </summary>
internal sealed class WordPressFeed : SyndicationFeed
{
    public string? UpdatePeriod { get; private set; }

    public string? UpdateFrequency { get; private set; }

    protected override SyndicationItem CreateItem() => new WordPressItem();

    protected override bool TryParseElement(XmlReader reader, string version)
    {
        switch (reader.NamespaceURI, reader.LocalName)
        {
            case (Namespaces.Syndication, "updatePeriod"):
                UpdatePeriod = ElementText.Read(reader)?.Trim();
                return true;
            case (Namespaces.Syndication, "updateFrequency"):
                UpdateFrequency = ElementText.Read(reader)?.Trim();
                return true;
            default:
                return false;
        }
    }
}

/// <summary>An item that keeps content:encoded, dc:creator, comments, wfw:commentRss, slash:comments and thr:total.</summary>
internal sealed class WordPressItem : SyndicationItem
{
    public string? ContentEncoded { get; private set; }

    public string? Creator { get; private set; }

    public string? Comments { get; private set; }

    public string? CommentRss { get; private set; }

    public string? CommentCount { get; private set; }

    /// <summary>dc:title, dc:date, dc:subject (Dublin Core in RSS 2.0), and dcterms:issued/created/modified.</summary>
    public string? DcTitle { get; private set; }

    public string? DcDate { get; private set; }

    public string? Issued { get; private set; }

    public string? Modified { get; private set; }

    public List<string> Subjects { get; } = [];

    /// <summary>Media RSS's description (YouTube puts a video's text in media:group/media:description).</summary>
    public string? MediaDescription { get; private set; }

    protected override bool TryParseElement(XmlReader reader, string version)
    {
        // Every path reads the whole element, so the formatter's loop always moves on: a second dc:creator
        // once left the reader where it was, and the loop spun forever.
        switch (reader.NamespaceURI, reader.LocalName)
        {
            case (Namespaces.Content, "encoded"):
                ContentEncoded = ElementText.Read(reader, markup: true);
                return true;
            case (Namespaces.DublinCore, "creator"):
                var creator = ElementText.Read(reader)?.Trim();
                Creator ??= creator;
                return true;
            case ("", "comments"):
                Comments = ElementText.Read(reader)?.Trim();
                return true;
            case (Namespaces.Wfw, "commentRss"):
                CommentRss = ElementText.Read(reader)?.Trim();
                return true;
            case (Namespaces.Slash, "comments"):
            case (Namespaces.Threading, "total"):
                CommentCount = ElementText.Read(reader)?.Trim();
                return true;
            case (Namespaces.DublinCore, "title"):
                DcTitle ??= ElementText.Read(reader).Trim();
                return true;
            case (Namespaces.DublinCore, "date"):
                var date = ElementText.Read(reader).Trim();
                DcDate ??= date;
                return true;
            case (Namespaces.DublinCore, "subject"):
                Subjects.Add(ElementText.Read(reader).Trim());
                return true;
            case (Namespaces.DcTerms, "issued" or "created"):
                var issued = ElementText.Read(reader).Trim();
                Issued ??= issued;
                return true;
            case (Namespaces.Media, "group"):
                var group = (System.Xml.Linq.XElement)System.Xml.Linq.XNode.ReadFrom(reader);
                MediaDescription ??= group.Element(System.Xml.Linq.XName.Get("description", Namespaces.Media))?.Value;
                return true;
            case (Namespaces.Media, "description"):
                var description = ElementText.Read(reader);
                MediaDescription ??= description;
                return true;
            case (Namespaces.DcTerms, "modified"):
                var modified = ElementText.Read(reader).Trim();
                Modified ??= modified;
                return true;
            default:
                return false;
        }
    }
}

/// <summary>Reads an extension element whole, whatever it holds (text, nothing, child elements), leaving the reader after it.</summary>
internal static class ElementText
{
    /// <summary>
    /// The element's text (text and CDATA joined); with <paramref name="markup"/>, child elements are kept as
    /// markup (XHTML written inline), else their text. Recursive only in the element's own nesting, which
    /// the document's depth cap bounds.
    /// </summary>
    public static string Read(XmlReader reader, bool markup = false)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return string.Empty;
        }

        var depth = reader.Depth;
        reader.Read();
        string? single = null;
        System.Text.StringBuilder? joined = null;
        while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            string piece;
            switch (reader.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    piece = reader.Value;
                    reader.Read();
                    break;
                case XmlNodeType.Element:
                    piece = markup ? reader.ReadOuterXml() : Read(reader);
                    break;
                default:
                    reader.Read();
                    continue;
            }

            if (single is null && joined is null)
            {
                single = piece;
            }
            else
            {
                (joined ??= new System.Text.StringBuilder(single)).Append(piece);
            }
        }

        reader.Read();
        return joined?.ToString() ?? single ?? string.Empty;
    }
}
