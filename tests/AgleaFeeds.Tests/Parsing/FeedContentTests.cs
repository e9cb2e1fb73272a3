using System.Text;
using AgleaFeeds.Parsing;

namespace AgleaFeeds.Tests.Parsing;

/// <summary>What an entry holds beyond its text: enclosures, xml:base and relative links, authors, links from ids.</summary>
public class FeedContentTests
{
    private static ParsedFeed Parse(string xml, string? documentUrl = null)
    {
        var result = FeedParser.Parse(Encoding.UTF8.GetBytes(xml), null, documentUrl is null ? null : new Uri(documentUrl));
        Assert.True(result.Feed is not null, result.Error);
        return result.Feed;
    }

    [Fact]
    public void Parse_PodcastRss_ModelsEveryEnclosure()
    {
        var feed = Parse("""
            <?xml version="1.0"?><rss version="2.0"><channel><title>Pod</title><link>https://pod.example/</link><description>d</description>
            <item><title>Episode 1</title><link>https://pod.example/1</link><enclosure url="https://cdn.pod.example/1.mp3" length="12345678" type="audio/mpeg"/>
            <enclosure url="https://cdn.pod.example/1.ogg" type="audio/ogg"/></item></channel></rss>
            """);

        Assert.Equal(
            [new Enclosure("https://cdn.pod.example/1.mp3", "audio/mpeg", 12345678), new Enclosure("https://cdn.pod.example/1.ogg", "audio/ogg", null)],
            Assert.Single(feed.Entries).Enclosures);
    }

    [Fact]
    public void Parse_AtomEnclosureLinkAndXmlBase_ResolveAgainstTheBaseInScope()
    {
        var feed = Parse("""
            <?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://site.example/blog/"><title>B</title><id>urn:b</id><updated>2025-03-14T09:30:00Z</updated>
            <entry xml:base="posts/"><title>E</title><id>urn:e</id><updated>2025-03-14T09:30:00Z</updated><link href="first.html"/>
            <link rel="enclosure" href="/media/talk.mp3" type="audio/mpeg" length="99"/></entry></feed>
            """);

        var entry = Assert.Single(feed.Entries);
        Assert.Equal("https://site.example/blog/posts/first.html", entry.Link);
        Assert.Equal(new Enclosure("https://site.example/media/talk.mp3", "audio/mpeg", 99), Assert.Single(entry.Enclosures));
    }

    [Fact]
    public void Parse_RelativeLinksWithoutXmlBase_ResolveAgainstTheDocumentUrl()
    {
        var feed = Parse("""
            <?xml version="1.0"?><rss version="2.0"><channel><title>B</title><link>/</link><description>d</description>
            <item><title>One</title><link>/2025/03/one/</link><comments>/2025/03/one/#comments</comments></item></channel></rss>
            """, "https://blog.example/feed/");

        Assert.Equal("https://blog.example/", feed.SiteUrl);
        Assert.Equal("https://blog.example/2025/03/one/", feed.Entries[0].Link);
        Assert.Equal("https://blog.example/2025/03/one/#comments", feed.Entries[0].CommentsUrl);
    }

    [Theory]
    [InlineData("ann@example.com (Ann Lee)", "Ann Lee")]
    [InlineData("Ann Lee <ann@example.com>", "Ann Lee")]
    [InlineData("Ann Lee", "Ann Lee")]
    [InlineData("ann@example.com", "ann@example.com")]
    public void Parse_RssAuthorForms_GiveTheName(string author, string name)
    {
        var feed = Parse($"""
            <?xml version="1.0"?><rss version="2.0"><channel><title>B</title><link>https://b.example/</link><description>d</description>
            <item><title>One</title><link>https://b.example/1</link><author>{System.Security.SecurityElement.Escape(author)}</author></item></channel></rss>
            """);

        Assert.Equal(name, feed.Entries[0].Author);
    }

    [Fact]
    public void Parse_EntryWithoutLink_TakesAGuidOrIdThatIsAWebAddress()
    {
        var rss = Parse("""
            <?xml version="1.0"?><rss version="2.0"><channel><title>B</title><link>https://b.example/</link><description>d</description>
            <item><title>One</title><guid>https://b.example/posts/1</guid></item><item><title>Two</title><guid isPermaLink="false">tag:b.example,2025:2</guid></item></channel></rss>
            """);
        var atom = Parse("""
            <?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>B</title><id>urn:b</id><updated>2025-03-14T09:30:00Z</updated>
            <entry><title>E</title><id>https://b.example/entries/7</id><updated>2025-03-14T09:30:00Z</updated></entry></feed>
            """);

        Assert.Equal("https://b.example/posts/1", rss.Entries[0].Link);
        Assert.Null(rss.Entries[1].Link);
        Assert.Equal("https://b.example/entries/7", atom.Entries[0].Link);
    }

    [Theory]
    [InlineData("text/plain", "Hello &amp; &lt;b&gt;world&lt;/b&gt;", "Hello &amp; &lt;b&gt;world&lt;/b&gt;")]
    [InlineData("application/octet-stream", "PHA+SGk8L3A+", "<p>Hi</p>")]
    public void Parse_MimeTypedContent_TextIsEscapedOtherTypesAreBase64Decoded(string type, string base64, string html)
    {
        var feed = Parse($"""
            <?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>B</title><id>urn:b</id><updated>2025-03-14T09:30:00Z</updated>
            <entry><title>E</title><id>urn:e</id><updated>2025-03-14T09:30:00Z</updated><content type="{type}">{base64}</content></entry></feed>
            """);

        Assert.Equal(html, feed.Entries[0].ContentHtml);
    }

    [Theory]
    [InlineData("<rss><channel><title>B</title><item><title>No version</title><link>https://b.example/1</link></item></channel></rss>", "No version")]
    [InlineData("<rss version=\"2.0\"><title>B</title><item><title>No channel</title><link>https://b.example/1</link></item></rss>", "No channel")]
    [InlineData("<r:rss xmlns:r=\"http://backend.userland.com/rss2\" version=\"2.0\"><r:channel><r:title>B</r:title><r:item><r:title>Namespaced</r:title><r:link>https://b.example/1</r:link></r:item></r:channel></r:rss>", "Namespaced")]
    [InlineData("<feed xmlns=\"http://purl.org/atom/ns#draft-ietf-atompub-format-08\"><title>B</title><entry><title>Draft Atom</title><id>urn:e</id><link href=\"https://b.example/1\"/></entry></feed>", "Draft Atom")]
    [InlineData("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>B</title><id>urn:b</id><updated>2025-03-14T09:30:00Z</updated><entry><title type=\"text/plain\">MIME title</title><id>urn:e</id><updated>2025-03-14T09:30:00Z</updated><content type=\"application/xhtml+xml\"><p xmlns=\"http://www.w3.org/1999/xhtml\">x</p></content><category term=\"t\"><sub/></category></entry></feed>", "MIME title")]
    public void Parse_DocumentsTheStrictReaderRefuses_AreReadTolerantlyAndSaySo(string xml, string title)
    {
        var result = FeedParser.Parse(Encoding.UTF8.GetBytes(xml));

        Assert.True(result.Feed is not null, result.Error);
        var entry = Assert.Single(result.Feed.Entries);
        Assert.Equal(title, entry.Title);
        Assert.Equal(title == "MIME title" ? null : "https://b.example/1", entry.Link);
        Assert.NotEmpty(result.Problems);
    }

    [Theory]
    [InlineData("""<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://site.example/blog/"><title>B</title><id>urn:b</id><updated>2025-03-14T09:30:00Z</updated><entry xml:base="posts/"><title>E</title><id>urn:e</id><updated>2025-03-14T09:30:00Z</updated><content type="html">&lt;p&gt;&lt;a href="more.html"&gt;more&lt;/a&gt; &lt;img src="/img/a.png"&gt; &lt;a href="https://other.example/x"&gt;x&lt;/a&gt;&lt;/p&gt;</content></entry></feed>""")]
    [InlineData("""<feed xmlns="http://purl.org/atom/ns#draft-ietf-atompub-format-08" xml:base="https://site.example/blog/"><title>B</title><entry xml:base="posts/"><title>E</title><id>urn:e</id><content type="html">&lt;p&gt;&lt;a href="more.html"&gt;more&lt;/a&gt; &lt;img src="/img/a.png"&gt; &lt;a href="https://other.example/x"&gt;x&lt;/a&gt;&lt;/p&gt;</content></entry></feed>""")]
    public void Parse_XmlBase_AppliesToRelativeAddressesInTheContent(string xml)
    {
        var content = Assert.Single(Parse(xml).Entries).ContentHtml!;

        Assert.Contains("href=\"https://site.example/blog/posts/more.html\"", content, StringComparison.Ordinal);
        Assert.Contains("src=\"https://site.example/img/a.png\"", content, StringComparison.Ordinal);
        Assert.Contains("href=\"https://other.example/x\"", content, StringComparison.Ordinal);
    }
}
