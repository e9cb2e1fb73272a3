using System.Text;
using AgleaFeeds.Parsing;

namespace AgleaFeeds.Tests.Parsing;

/// <summary>Feeds written by an attacker: every field that is read as HTML nests 100,000 elements, links carry script.</summary>
public class HostileFeedTests
{
    private static readonly string Deep = string.Concat(Enumerable.Repeat("<b>", 100_000)) + "deep";
    private static readonly string DeepEscaped = System.Security.SecurityElement.Escape(Deep);

    private static ParseResult Parse(string xml) => FeedParser.Parse(Encoding.UTF8.GetBytes(xml));

    [Fact]
    public void Parse_AtomWithEveryHtmlFieldNestedDeep_KeepsTheEntryAndReportsIt()
    {
        var result = Parse($"""
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title type="html">{DeepEscaped}</title><id>urn:x</id><updated>2025-03-14T09:30:00Z</updated>
            <entry><title type="html">{DeepEscaped}</title><id>urn:e1</id><updated>2025-03-14T09:30:00Z</updated><link href="https://blog.example/p1/"/>
            <summary type="html">{DeepEscaped}</summary><content type="html">{DeepEscaped}</content></entry></feed>
            """);

        Assert.Null(result.Error);
        var entry = Assert.Single(result.Feed!.Entries);
        Assert.Equal("https://blog.example/p1/", entry.Link);
        Assert.Null(entry.Title);
        Assert.Null(entry.ContentHtml);
        Assert.Null(entry.SummaryHtml);
        Assert.Contains(result.Problems, p => p.Contains("nests more than 256", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_RssWithDeepDescriptionAndContent_DropsThoseFieldsOnly()
    {
        var result = Parse($"""
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>{DeepEscaped}</title><link>https://blog.example/</link>
            <item><title>{DeepEscaped}</title><link>https://blog.example/p1/</link><description>{DeepEscaped}</description><content:encoded><![CDATA[{Deep}]]></content:encoded></item>
            <item><title>Fine</title><link>https://blog.example/p2/</link><description>&lt;p&gt;ok&lt;/p&gt;</description></item></channel></rss>
            """);

        Assert.Null(result.Error);
        Assert.Equal(2, result.Feed!.Entries.Count);
        Assert.Null(result.Feed.Entries[0].ContentHtml);
        Assert.Null(result.Feed.Entries[0].SummaryHtml);
        Assert.Equal("<p>ok</p>", result.Feed.Entries[1].SummaryHtml);
        Assert.Contains(result.Problems, p => p.Contains("nests more than 256", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_XmlNestedHundredThousandDeep_RefusedWithAnError()
    {
        var deepXml = string.Concat(Enumerable.Repeat("<div>", 100_000)) + string.Concat(Enumerable.Repeat("</div>", 100_000));
        var result = Parse($"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><content type="xhtml">{deepXml}</content></entry></feed>""");

        Assert.Null(result.Feed);
        Assert.Contains("nests elements more than 256 deep", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("javascript:alert(document.domain)")]
    [InlineData("data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("java&#9;script:alert(1)")]
    public void Parse_ScriptLinks_DroppedAndReported(string link)
    {
        var result = Parse($"""
            <rss version="2.0" xmlns:wfw="http://wellformedweb.org/CommentAPI/"><channel><title>t</title><link>{link}</link>
            <item><title>x</title><link>{link}</link><guid>https://blog.example/?p=1</guid><comments>{link}</comments><wfw:commentRss>{link}</wfw:commentRss></item></channel></rss>
            """);

        var entry = Assert.Single(result.Feed!.Entries);
        Assert.Null(entry.Link);
        Assert.Null(entry.CommentsUrl);
        Assert.Null(entry.CommentFeedUrl);
        Assert.Null(result.Feed.SiteUrl);
        Assert.Contains(result.Problems, p => p.Contains("not http or https", StringComparison.Ordinal));
    }
}
