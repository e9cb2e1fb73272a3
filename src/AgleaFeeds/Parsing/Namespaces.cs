namespace AgleaFeeds.Parsing;

/// <summary>XML namespaces of the feed formats and the extensions WordPress uses.</summary>
internal static class Namespaces
{
    public const string Atom10 = "http://www.w3.org/2005/Atom";
    public const string Atom03 = "http://purl.org/atom/ns#";
    public const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    public const string Rss10 = "http://purl.org/rss/1.0/";
    public const string Rss090 = "http://my.netscape.com/rdf/simple/0.9/";
    public const string Content = "http://purl.org/rss/1.0/modules/content/";
    public const string DublinCore = "http://purl.org/dc/elements/1.1/";
    public const string DcTerms = "http://purl.org/dc/terms/";
    public const string Media = "http://search.yahoo.com/mrss/";
    public const string Wfw = "http://wellformedweb.org/CommentAPI/";
    public const string Slash = "http://purl.org/rss/1.0/modules/slash/";
    public const string Syndication = "http://purl.org/rss/1.0/modules/syndication/";
    public const string Threading = "http://purl.org/syndication/thread/1.0";
}
