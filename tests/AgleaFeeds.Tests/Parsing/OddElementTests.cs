using System.Text;
using AgleaFeeds.Parsing;

namespace AgleaFeeds.Tests.Parsing;

/// <summary>
/// Every element the readers read, repeated, empty, self-closed and with child elements: the parse
/// ends (never loops), and one odd element costs at most that element, never the feed or the entry.
/// </summary>
public class OddElementTests
{
    private const string RssNamespaces = """xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:slash="http://purl.org/rss/1.0/modules/slash/" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0" """;

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        string[] rssItem = ["title", "link", "description", "pubDate", "guid", "author", "category", "comments", "enclosure", "source", "content:encoded", "dc:creator", "dc:date", "wfw:commentRss", "slash:comments"];
        string[] rssChannel = ["title", "link", "description", "language", "lastBuildDate", "pubDate", "ttl", "generator", "image", "category", "sy:updatePeriod", "sy:updateFrequency", "atom:link"];
        string[] atomEntry = ["title", "link", "id", "updated", "published", "author", "summary", "content", "category", "thr:total"];
        string[] atomFeed = ["title", "id", "updated", "link", "author", "generator", "subtitle"];
        foreach (var variant in new[] { "twice", "empty", "self-closed", "children" })
        {
            foreach (var e in rssItem)
            {
                data.Add("rss-item", e, variant);
            }

            foreach (var e in rssChannel)
            {
                data.Add("rss-channel", e, variant);
            }

            foreach (var e in atomEntry)
            {
                data.Add("atom-entry", e, variant);
            }

            foreach (var e in atomFeed)
            {
                data.Add("atom-feed", e, variant);
            }
        }

        return data;
    }

    private static string Odd(string element, string variant, string sample) => variant switch
    {
        "twice" => sample + sample,
        "empty" => $"<{element}></{element}>",
        "self-closed" => $"<{element}/>",
        _ => $"<{element}><b>bold</b><i>child</i></{element}>",
    };

    private static string Sample(string element) => element switch
    {
        "link" or "comments" or "wfw:commentRss" or "atom:link" => $"<{element}>https://blog.example/p1/</{element}>",
        "pubDate" or "lastBuildDate" => $"<{element}>Fri, 14 Mar 2025 09:30:00 +0000</{element}>",
        "updated" or "published" or "dc:date" => $"<{element}>2025-03-14T09:30:00Z</{element}>",
        "enclosure" => """<enclosure url="https://blog.example/a.mp3" type="audio/mpeg" length="123"/>""",
        "slash:comments" or "thr:total" or "ttl" or "sy:updateFrequency" => $"<{element}>3</{element}>",
        "sy:updatePeriod" => $"<{element}>hourly</{element}>",
        "author" => $"<{element}><name>Ann</name></{element}>",
        _ => $"<{element}>text of {element}</{element}>",
    };

    private static string Document(string where, string element, string variant)
    {
        var odd = Odd(element, variant, where.StartsWith("atom", StringComparison.Ordinal) && element == "link" ? """<link href="https://blog.example/p1/"/>""" : Sample(element));
        return where switch
        {
            "rss-item" => $"""<?xml version="1.0"?><rss version="2.0" {RssNamespaces}><channel><title>Blog</title><link>https://blog.example/</link><description>d</description><item><title>Kept</title>{odd}<guid>https://blog.example/?p=1</guid></item></channel></rss>""",
            "rss-channel" => $"""<?xml version="1.0"?><rss version="2.0" {RssNamespaces}><channel><title>Blog</title>{odd}<item><title>Kept</title><guid>https://blog.example/?p=1</guid></item></channel></rss>""",
            "atom-entry" => $"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0"><title>Blog</title><id>urn:f</id><updated>2025-03-14T09:30:00Z</updated><entry><title>Kept</title><id>urn:e1</id>{odd}<updated>2025-03-14T09:30:00Z</updated></entry></feed>""",
            _ => $"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>{odd}<id>urn:f</id><updated>2025-03-14T09:30:00Z</updated><entry><title>Kept</title><id>urn:e1</id><updated>2025-03-14T09:30:00Z</updated></entry></feed>""",
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Parse_OddElement_EndsAndKeepsTheFeedAndTheEntry(string where, string element, string variant)
    {
        var xml = Document(where, element, variant);

        var parse = Task.Run(() => FeedParser.Parse(Encoding.UTF8.GetBytes(xml)));
        var finished = await Task.WhenAny(parse, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.True(finished == parse, $"the parse of {element} ({variant}) in {where} did not end");
        var result = await parse;
        Assert.True(result.Feed is not null, $"{element} ({variant}) in {where} refused the feed: {result.Error}");
        var entry = Assert.Single(result.Feed.Entries);
        if (element != "title")
        {
            Assert.Equal("Kept", entry.Title);
        }
    }

    [Fact]
    public void Parse_PastItsNodeBudget_IsAnErrorOnTheFeed()
    {
        var xml = Document("rss-item", "title", "twice");

        var result = FeedParser.Parse(Encoding.UTF8.GetBytes(xml), null, TimeSpan.FromSeconds(10), maxNodes: 10);

        Assert.Null(result.Feed);
        Assert.Equal("Parsing: gave up after 10 XML nodes (limit of one feed); the feed is too large.", result.Error);
    }

    [Fact]
    public void BudgetedReader_ACallerThatLoopsWithoutReading_IsStoppedByTheTimeBudget()
    {
        using var inner = System.Xml.XmlReader.Create(new StringReader("<rss><channel/></rss>"));
        using var reader = new BudgetedXmlReader(inner, TimeSpan.FromMilliseconds(50), 1000);
        reader.Read();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        // What the dc:creator bug did: ask the reader about the same node forever.
        Action loop = () =>
        {
            while (true)
            {
                _ = reader.NodeType == System.Xml.XmlNodeType.Element && reader.LocalName == "rss";
            }
        };
        var ex = Assert.Throws<ParseBudgetException>(loop);

        Assert.StartsWith("Parsing: gave up after 0.1 s", ex.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
    }

    public static TheoryData<string> WideEncodings() => new() { "utf-16LE", "utf-16BE", "utf-32LE", "utf-32BE" };

    [Theory]
    [MemberData(nameof(WideEncodings))]
    public void Parse_Utf16AndUtf32WithoutByteOrderMark_AreReadByTheirZeroBytes(string name)
    {
        var encoding = name switch
        {
            "utf-16LE" => (Encoding)new UnicodeEncoding(bigEndian: false, byteOrderMark: false),
            "utf-16BE" => new UnicodeEncoding(bigEndian: true, byteOrderMark: false),
            "utf-32LE" => new UTF32Encoding(bigEndian: false, byteOrderMark: false),
            _ => new UTF32Encoding(bigEndian: true, byteOrderMark: false),
        };
        var xml = Document("rss-item", "comments", "empty").Replace("<?xml version=\"1.0\"?>", $"<?xml version=\"1.0\" encoding=\"{name[..6]}\"?>", StringComparison.Ordinal)
            .Replace("<title>Kept</title>", "<title>서울 – Café</title>", StringComparison.Ordinal);

        var result = FeedParser.Parse(encoding.GetBytes(xml));

        Assert.True(result.Feed is not null, result.Error);
        Assert.Equal("서울 – Café", Assert.Single(result.Feed.Entries).Title);
    }
}
