using AgleaFeeds.Parsing;

namespace AgleaFeeds.Tests.Parsing;

public class FeedParserTests
{
    private static ParseResult Parse(string file, string? charset = null) => FeedParser.Parse(TestFiles.Bytes("feeds", file), charset);

    [Theory]
    [InlineData("wordpress-posts.xml", "RSS 2.0", "AGLA Blog", 4)]
    [InlineData("wordpress-comments.xml", "RSS 2.0", "Comments for AGLA Blog", 10)]
    [InlineData("wordpress-com.xml", "RSS 2.0", "Community Notes", 1)]
    [InlineData("rss092.xml", "RSS 0.92", "Old School Blog", 2)]
    [InlineData("rss10-rdf.xml", "RSS 1.0", "RDF Blog", 2)]
    [InlineData("atom10.xml", "Atom 1.0", "AGLA Blog", 1)]
    [InlineData("atom03.xml", "Atom 0.3", "Legacy Atom", 2)]
    public void Parse_EachFormat_ReadsTitleAndEntries(string file, string format, string title, int entries)
    {
        var result = Parse(file);

        Assert.Null(result.Error);
        Assert.Equal(format, result.Feed!.Format);
        Assert.Equal(title, result.Feed.Title);
        Assert.Equal(entries, result.Feed.Entries.Count);
    }

    [Fact]
    public void Parse_WordPressPostsFeed_ReadsWordPressExtensions()
    {
        var feed = Parse("wordpress-posts.xml").Feed!;
        var jackMa = feed.Entries[0];

        Assert.True(feed.IsWordPress);
        Assert.Equal(TimeSpan.FromHours(1), feed.UpdateInterval);
        Assert.Equal("Jack Ma’s Advice – Learn from Failure and Share Your Success", jackMa.Title);
        Assert.Equal("Eun 'Anna' Kim", jackMa.Author);
        Assert.Equal("http://127.0.0.1:5080/samples/agla/?p=41", jackMa.Guid);
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 9, 30, 0, TimeSpan.Zero), jackMa.PublishedAt);
        Assert.Equal(["Leadership", "Interviews"], jackMa.Categories);
        Assert.StartsWith("<p>When Jack Ma spoke", jackMa.ContentHtml);
        Assert.EndsWith("[&#8230;]", jackMa.SummaryHtml);
        Assert.Equal(4, jackMa.CommentCount);
        Assert.EndsWith("/jack-mas-advice-learn-from-failure-and-share-your-success/feed/", jackMa.CommentFeedUrl);
        Assert.EndsWith("/jack-mas-advice-learn-from-failure-and-share-your-success/#comments", jackMa.CommentsUrl);
    }

    [Fact]
    public void Parse_Atom10WithThreading_ReadsRepliesAndCount()
    {
        var entry = Parse("atom10.xml").Feed!.Entries.Single();

        Assert.Equal("Jack Ma’s Advice – Learn from Failure and Share Your Success", entry.Title);
        Assert.Equal("https://agla.example.org/jack-ma/", entry.Link);
        Assert.Equal("https://agla.example.org/jack-ma/feed/atom/", entry.CommentFeedUrl);
        Assert.Equal(4, entry.CommentCount);
        Assert.Equal("Eun 'Anna' Kim", entry.Author);
        Assert.Equal("<p>When Jack Ma spoke to young founders.</p>", entry.ContentHtml);
    }

    [Fact]
    public void Parse_Atom03_ReadsEscapedAndInlineContent()
    {
        var entries = Parse("atom03.xml").Feed!.Entries;

        Assert.Equal("<p>Hello <b>old</b> world</p>", entries[0].ContentHtml);
        Assert.Contains("<p>Inline</p>", entries[1].ContentHtml);
        Assert.Equal(new DateTimeOffset(2004, 6, 1, 15, 0, 0, TimeSpan.Zero), entries[0].PublishedAt);
        Assert.Equal("Legacy Author", entries[0].Author);
    }

    [Fact]
    public void Parse_Rdf_ReadsDublinCore()
    {
        var entry = Parse("rss10-rdf.xml").Feed!.Entries[0];

        Assert.Equal("Ada", entry.Author);
        Assert.Equal(new DateTimeOffset(2025, 2, 1, 1, 0, 0, TimeSpan.Zero), entry.PublishedAt);
        Assert.Equal(["News"], entry.Categories);
        Assert.Equal("<p>Alpha body</p>", entry.ContentHtml);
    }

    [Fact]
    public void Parse_BadDates_KeepsEveryEntryAndReportsTheUnreadableOne()
    {
        var result = Parse("bad-dates.xml");
        var dates = result.Feed!.Entries.Select(e => e.PublishedAt).ToList();

        Assert.Equal(new DateTimeOffset(2025, 6, 10, 11, 0, 0, TimeSpan.Zero), dates[0]);
        Assert.Equal(new DateTimeOffset(2025, 6, 10, 11, 0, 0, TimeSpan.Zero), dates[1]);
        Assert.Equal(new DateTimeOffset(2025, 6, 10, 11, 0, 0, TimeSpan.Zero), dates[2]);
        Assert.Null(dates[3]);
        Assert.Contains(result.Problems, p => p.Contains("1 unreadable date", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_HtmlEntitiesAndControlCharacters_RepairsAndReports()
    {
        var result = Parse("entities-control.xml");
        var feed = result.Feed!;

        Assert.Equal("Entities\u00a0Blog", feed.Title);
        Assert.Equal("Café & Bar © 2025 …", feed.Entries[0].Title);
        Assert.Equal("https://ent.example.com/1?a=1&b=2", feed.Entries[0].Link);
        Assert.Equal("Read more… &bogus; AT&T", feed.Entries[0].SummaryHtml);
        Assert.Equal("Control chars", feed.Entries[1].Title);
        Assert.Equal("CDATA keeps &nbsp; as is", feed.Entries[1].SummaryHtml);
        Assert.Contains(result.Problems, p => p.Contains("control characters", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Contains("&bogus;", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_WordPressComEllipsisEntity_KeepsTheFeed()
    {
        var entry = Parse("wordpress-com.xml").Feed!.Entries.Single();

        Assert.Equal("Join us for the spring cleanup…", entry.SummaryHtml);
        Assert.Equal(3, entry.CommentCount);
        Assert.Equal("notesteam", entry.Author);
    }

    [Fact]
    public void Parse_DoctypeWithExternalEntity_NeverResolvesIt()
    {
        var result = Parse("doctype-xxe.xml");

        Assert.Null(result.Error);
        var title = result.Feed!.Entries.Single().Title!;
        Assert.DoesNotContain("root:", title, StringComparison.Ordinal);
        Assert.StartsWith("Safe", title, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("utf8-declared-latin1.xml", null, "Café Ünïcode 서울")]
    [InlineData("utf8-declared-latin1.xml", "ISO-8859-1", "Café Ünïcode 서울")]
    [InlineData("cp1252-declared-utf8.xml", null, "Café Ünïcode")]
    [InlineData("cp1252-declared-utf8.xml", "windows-1252", "Café Ünïcode")]
    [InlineData("utf16-bom.xml", null, "Café Ünïcode 서울")]
    [InlineData("utf16-bom.xml", "utf-8", "Café Ünïcode 서울")]
    [InlineData("utf8-bom-no-decl.xml", "iso-8859-1", "Café Ünïcode 서울")]
    public void Parse_WrongOrMissingDeclaredEncoding_ReadsTheRealText(string file, string? httpCharset, string title)
    {
        var result = Parse(file, httpCharset);

        Assert.Null(result.Error);
        Assert.Equal(title, result.Feed!.Title);
    }

    [Fact]
    public void Parse_Utf8BytesDeclaredLatin1_ReportsTheMismatch()
    {
        var result = Parse("utf8-declared-latin1.xml", "ISO-8859-1");

        Assert.Contains(result.Problems, p => p.Contains("which are UTF-8", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("html-page.html", "Parsing: expected a feed but got an HTML page.")]
    [InlineData("garbage.txt", "Parsing: the feed is not well-formed XML")]
    public void Parse_NotAFeed_ReturnsAClearError(string file, string error)
    {
        var result = Parse(file);

        Assert.Null(result.Feed);
        Assert.StartsWith(error, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<?xml version=\"1.0\"?><opml version=\"2.0\"><body/></opml>", "Parsing: unable to detect feed format (root element <opml>).")]
    [InlineData("", "Parsing: the response is empty.")]
    [InlineData("<rss version=\"2.0\"><channel><title>cut off", "Parsing: the feed is not well-formed XML")]
    public void Parse_UnreadableDocuments_ReturnErrorsNamingTheStage(string text, string error)
    {
        var result = FeedParser.Parse(System.Text.Encoding.UTF8.GetBytes(text));

        Assert.StartsWith(error, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("utf-16")]
    public void Parse_EmojiInTitleAndEntry_KeptWithoutAnyRepair(string charset)
    {
        var xml = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Meetup 🙌</title><link>https://blog.example.org/</link>"
            + "<item><title>좋은 기사 😀</title><link>https://blog.example.org/a/</link><description>Thanks 👍🏽</description></item></channel></rss>";
        var bytes = System.Text.Encoding.GetEncoding(charset).GetBytes(xml);

        var result = FeedParser.Parse(bytes, charset);

        Assert.Null(result.Error);
        Assert.Empty(result.Problems);
        Assert.Equal("Meetup 🙌", result.Feed!.Title);
        Assert.Equal("좋은 기사 😀", result.Feed.Entries.Single().Title);
    }

    [Fact]
    public void Parse_ShortFeedAfterALongOne_ReadsOnlyItsOwnText()
    {
        // Decoded text lives in pooled buffers: a buffer a long feed used is handed to the next parse.
        var items = string.Concat(Enumerable.Range(0, 400).Select(i => $"<item><title>Long {i}</title><link>https://a.example/{i}</link></item>"));
        var longFeed = System.Text.Encoding.UTF8.GetBytes($"<rss version=\"2.0\"><channel><title>Long</title>{items}</channel></rss>");
        var shortFeed = System.Text.Encoding.UTF8.GetBytes("<rss version=\"2.0\"><channel><title>Short</title><item><title>Only</title><link>https://b.example/1</link></item></channel></rss>");

        Assert.Equal(400, FeedParser.Parse(longFeed).Feed!.Entries.Count);
        var result = FeedParser.Parse(shortFeed);

        Assert.Null(result.Error);
        Assert.Empty(result.Problems);
        Assert.Equal("Only", Assert.Single(result.Feed!.Entries).Title);
    }
}
