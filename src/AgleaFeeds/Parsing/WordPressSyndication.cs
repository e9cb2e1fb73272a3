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
                UpdatePeriod = reader.ReadElementContentAsString().Trim();
                return true;
            case (Namespaces.Syndication, "updateFrequency"):
                UpdateFrequency = reader.ReadElementContentAsString().Trim();
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

    protected override bool TryParseElement(XmlReader reader, string version)
    {
        switch (reader.NamespaceURI, reader.LocalName)
        {
            case (Namespaces.Content, "encoded"):
                ContentEncoded = reader.ReadElementContentAsString();
                return true;
            case (Namespaces.DublinCore, "creator"):
                Creator ??= reader.ReadElementContentAsString().Trim();
                return true;
            case ("", "comments"):
                Comments = reader.ReadElementContentAsString().Trim();
                return true;
            case (Namespaces.Wfw, "commentRss"):
                CommentRss = reader.ReadElementContentAsString().Trim();
                return true;
            case (Namespaces.Slash, "comments"):
            case (Namespaces.Threading, "total"):
                CommentCount = reader.ReadElementContentAsString().Trim();
                return true;
            default:
                return false;
        }
    }
}
