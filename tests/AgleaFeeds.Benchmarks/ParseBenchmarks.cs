using System.Text;
using System.Xml;
using AgleaFeeds.Parsing;
using BenchmarkDotNet.Attributes;

namespace AgleaFeeds.Benchmarks;

/// <summary>
/// Parsing a WordPress posts feed of 200 items (content:encoded, dc:creator, categories, comment
/// extensions), against the floor: a bare XmlReader reading every node of the same bytes. The ratio is
/// what the parser adds; items/s = 200 / mean.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class ParseBenchmarks
{
    private byte[] _feed = [];

    [GlobalSetup]
    public void Setup()
    {
        var sb = new StringBuilder("""
            <?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" xmlns:slash="http://purl.org/rss/1.0/modules/slash/">
            <channel><title>AGLA</title><atom:link href="https://blog.example.org/feed/" rel="self" type="application/rss+xml" /><link>https://blog.example.org</link><description>Community</description>
            <lastBuildDate>Fri, 14 Mar 2025 09:30:00 +0000</lastBuildDate><language>en-US</language><sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>1</sy:updateFrequency><generator>https://wordpress.org/?v=6.7</generator>
            """);
        for (var i = 0; i < 200; i++)
        {
            sb.Append($"""
                <item><title>Post {i}: Jack Ma&#8217;s Advice &#8211; Learn from Failure</title><link>https://blog.example.org/2025/03/post-{i}/</link>
                <comments>https://blog.example.org/2025/03/post-{i}/#comments</comments><dc:creator><![CDATA[Author {i % 7}]]></dc:creator>
                <pubDate>Fri, 14 Mar 2025 09:{i % 60:00}:00 +0000</pubDate><category><![CDATA[Community]]></category><category><![CDATA[Events]]></category>
                <guid isPermaLink="false">https://blog.example.org/?p={i}</guid><description><![CDATA[Summary of post {i} &#8230;]]></description>
                <content:encoded><![CDATA[<p>Paragraph one of post {i}, with <a href="https://example.com/{i}">a link</a> and “quotes”.</p>{string.Concat(Enumerable.Repeat("<p>More text to make the content realistic in length, about a thousand characters in all.</p>", 10))}]]></content:encoded>
                <wfw:commentRss>https://blog.example.org/2025/03/post-{i}/feed/</wfw:commentRss><slash:comments>{i % 13}</slash:comments></item>
                """);
        }

        _feed = Encoding.UTF8.GetBytes(sb.Append("</channel></rss>").ToString());
        if (FeedParser.Parse(_feed).Feed?.Entries.Count != 200)
        {
            throw new InvalidOperationException("Benchmarks: the generated feed does not parse to 200 items.");
        }
    }

    [Benchmark(Baseline = true, Description = "XmlReader scan of every node (baseline)")]
    public int ScanOnly()
    {
        using var reader = XmlReader.Create(new MemoryStream(_feed), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null });
        var nodes = 0;
        while (reader.Read())
        {
            nodes += reader.NodeType == XmlNodeType.Text || reader.NodeType == XmlNodeType.CDATA ? reader.Value.Length > 0 ? 1 : 0 : 1;
        }

        return nodes;
    }

    [Benchmark(Description = "FeedParser.Parse, 200 WordPress items")]
    public int Parse() => FeedParser.Parse(_feed).Feed!.Entries.Count;
}
