using System.Globalization;
using AgleaFeeds.Parsing;

namespace AgleaFeeds.Tests.Parsing;

/// <summary>
/// Dates as real feeds write them, with the instant each means. Where Python's feedparser (6.0) reads
/// one otherwise, ours is the right reading, deliberately: CET/CEST/BST/JST/KST/IST/AEST are their
/// zones' offsets (feedparser: UTC); military letters other than Z are unknown, so UTC (RFC 2822; feedparser
/// inverts them); Etc/GMT+5 is five hours behind (POSIX), GMT+2 two ahead (feedparser: none); a date
/// without a zone is UTC (feedparser: none for RFC 822 without zone); basic, ordinal and week ISO 8601
/// forms are their dates (feedparser drops the time of 20250314T093000Z and reads 2025-073 as July);
/// 2025/03/14 is 14 March (feedparser: November); 24:00 is the next day's midnight (ISO 8601).
/// </summary>
public class DateParserTests
{
    [Theory]
    [InlineData("Fri, 14 Mar 2025 09:30:00 +0000", "2025-03-14T09:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 GMT", "2025-03-14T09:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 UT", "2025-03-14T09:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 Z", "2025-03-14T09:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 EST", "2025-03-14T14:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 EDT", "2025-03-14T13:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 CST", "2025-03-14T15:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 CDT", "2025-03-14T14:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 MST", "2025-03-14T16:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 MDT", "2025-03-14T15:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 PST", "2025-03-14T17:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 PDT", "2025-03-14T16:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 PT", "2025-03-14T17:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 ET", "2025-03-14T14:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 CT", "2025-03-14T15:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 MT", "2025-03-14T16:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 MET", "2025-03-14T08:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 MEST", "2025-03-14T07:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 CET", "2025-03-14T08:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 CEST", "2025-03-14T07:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 BST", "2025-03-14T08:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 JST", "2025-03-14T00:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 KST", "2025-03-14T00:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 IST", "2025-03-14T04:00:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 AEST", "2025-03-13T23:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 A", "2025-03-14T09:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 Y", "2025-03-14T09:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 Etc/GMT+5", "2025-03-14T14:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 Etc/GMT-9", "2025-03-14T00:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 GMT+2", "2025-03-14T07:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 UTC-05:30", "2025-03-14T15:00:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 +0530", "2025-03-14T04:00:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 -0800", "2025-03-14T17:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 +05:30", "2025-03-14T04:00:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30 +0000", "2025-03-14T09:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 9:30:00 +0000", "2025-03-14T09:30:00Z")]
    [InlineData("14 Mar 2025 09:30:00 +0000", "2025-03-14T09:30:00Z")]
    [InlineData("Friday, 14 Mar 2025 09:30:00 +0000", "2025-03-14T09:30:00Z")]
    [InlineData("Friday, 14 March 2025 09:30:00 +0000", "2025-03-14T09:30:00Z")]
    [InlineData("Fri, 14 March 2025 09:30:00 +0000", "2025-03-14T09:30:00Z")]
    [InlineData("Fri, 14 Mar 25 09:30:00 +0000", "2025-03-14T09:30:00Z")]
    [InlineData("Fri, 14 Mar 99 09:30:00 +0000", "1999-03-14T09:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00", "2025-03-14T09:30:00Z")]
    [InlineData("Fri 14 Mar 2025 09:30:00 +0000", "2025-03-14T09:30:00Z")]
    [InlineData("Fri, 14-Mar-2025 09:30:00 +0000", "2025-03-14T09:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 09:30:00 +0000 (UTC)", "2025-03-14T09:30:00Z")]
    [InlineData("Thu, 14 Mar 2025 09:30:00 +0000", "2025-03-14T09:30:00Z")]
    [InlineData("Fri, 7 Mar 2025 09:30:00 +0000", "2025-03-07T09:30:00Z")]
    [InlineData("Fri, 07 Mar 2025 09:30:00 +0000", "2025-03-07T09:30:00Z")]
    [InlineData("Fri Mar 14 09:30:00 2025", "2025-03-14T09:30:00Z")]
    [InlineData("Fri Mar 14 09:30:00 UTC 2025", "2025-03-14T09:30:00Z")]
    [InlineData("Fri Mar 14 09:30:00 EST 2025", "2025-03-14T14:30:00Z")]
    [InlineData("Fri Mar  7 09:30:00 2025", "2025-03-07T09:30:00Z")]
    [InlineData("2025-03-14T09:30:00Z", "2025-03-14T09:30:00Z")]
    [InlineData("2025-03-14T09:30:00+00:00", "2025-03-14T09:30:00Z")]
    [InlineData("2025-03-14T09:30:00+09:00", "2025-03-14T00:30:00Z")]
    [InlineData("2025-03-14T09:30:00-05:00", "2025-03-14T14:30:00Z")]
    [InlineData("2025-03-14T09:30:00.123Z", "2025-03-14T09:30:00.123Z")]
    [InlineData("2025-03-14T09:30:00.123456+01:00", "2025-03-14T08:30:00.123456Z")]
    [InlineData("2025-03-14T09:30Z", "2025-03-14T09:30:00Z")]
    [InlineData("2025-03-14T09:30+01:00", "2025-03-14T08:30:00Z")]
    [InlineData("2025-03-14T09:30:00", "2025-03-14T09:30:00Z")]
    [InlineData("2025-03-14T09:30:00+09", "2025-03-14T00:30:00Z")]
    [InlineData("2025-03-14 09:30:00", "2025-03-14T09:30:00Z")]
    [InlineData("2025-03-14 09:30:00 +0000", "2025-03-14T09:30:00Z")]
    [InlineData("2025-03-14 09:30:00Z", "2025-03-14T09:30:00Z")]
    [InlineData("2025-03-14T09:30:00+0100", "2025-03-14T08:30:00Z")]
    [InlineData("2025-03-14", "2025-03-14T00:00:00Z")]
    [InlineData("2025-03", "2025-03-01T00:00:00Z")]
    [InlineData("2025", "2025-01-01T00:00:00Z")]
    [InlineData("20250314T093000Z", "2025-03-14T09:30:00Z")]
    [InlineData("20250314T0930+0100", "2025-03-14T08:30:00Z")]
    [InlineData("20250314", "2025-03-14T00:00:00Z")]
    [InlineData("2025-03-14T09Z", "2025-03-14T09:00:00Z")]
    [InlineData("2025-073", "2025-03-14T00:00:00Z")]
    [InlineData("2025-W11-5", "2025-03-14T00:00:00Z")]
    [InlineData("2025W115", "2025-03-14T00:00:00Z")]
    [InlineData("14 mars 2025 09:30:00 +0000", "2025-03-14T09:30:00Z")]
    [InlineData("vendredi, 14 mars 2025 09:30:00 +0000", "2025-03-14T09:30:00Z")]
    [InlineData("ven., 14 mars 2025 09:30:00 +0100", "2025-03-14T08:30:00Z")]
    [InlineData("Fr, 14 Mär 2025 09:30:00 +0100", "2025-03-14T08:30:00Z")]
    [InlineData("14 März 2025 09:30:00 +0100", "2025-03-14T08:30:00Z")]
    [InlineData("Vie, 14 Mar 2025 09:30:00 +0000", "2025-03-14T09:30:00Z")]
    [InlineData("14 marzo 2025 09:30:00 +0000", "2025-03-14T09:30:00Z")]
    [InlineData("sex, 14 março 2025 09:30:00 -0300", "2025-03-14T12:30:00Z")]
    [InlineData("vr, 14 maart 2025 09:30:00 +0100", "2025-03-14T08:30:00Z")]
    [InlineData("2025/03/14 09:30:00", "2025-03-14T09:30:00Z")]
    [InlineData("2025/03/14", "2025-03-14T00:00:00Z")]
    [InlineData("March 14, 2025", "2025-03-14T00:00:00Z")]
    [InlineData("March 14, 2025 9:30 am", "2025-03-14T09:30:00Z")]
    [InlineData("Mar 14 2025 09:30:00 GMT+0000", "2025-03-14T09:30:00Z")]
    [InlineData("Fri, 14 Mar 2025 24:00:00 +0000", "2025-03-15T00:00:00Z")]
    [InlineData("  Fri,  14 Mar 2025   09:30:00   +0000  ", "2025-03-14T09:30:00Z")]
    [InlineData("Fri, 29 Feb 2025 09:30:00 +0000", null)]
    [InlineData("Fri, 14 Mar 2025 09:30:60 +0000", null)]
    [InlineData("Fri, 14 Mar 2025 25:30:00 +0000", null)]
    [InlineData("not a date", null)]
    [InlineData("0000-00-00 00:00:00", null)]
    [InlineData("1970-01-01T00:00:00Z", null)]
    public void TryParse_DatesRealFeedsWrite_AreTheInstantTheyMean(string text, string? expected)
    {
        var parsed = DateParser.TryParse(text, out var value);

        if (expected is null)
        {
            Assert.False(parsed, $"\"{text}\" read as {value:O}");
        }
        else
        {
            Assert.True(parsed, $"\"{text}\" not read");
            Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), value);
            Assert.Equal(TimeSpan.Zero, value.Offset);
        }
    }

    [Fact]
    public void Parse_DublinCoreInRss2AndDcTermsEverywhere_GiveTitlesDatesAndCategories()
    {
        var rss = FeedParser.Parse(System.Text.Encoding.UTF8.GetBytes("""
            <?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><channel><title>B</title><link>https://b.example/</link><description>d</description>
            <item><dc:title>From Dublin Core</dc:title><link>https://b.example/1</link><dc:date>2025-03-14T09:30:00+01:00</dc:date><dc:subject>Events</dc:subject><dc:subject>Seoul</dc:subject><dcterms:modified>2025-03-15T10:00:00Z</dcterms:modified></item>
            <item><title>Issued</title><link>https://b.example/2</link><dcterms:issued>2025-03-10</dcterms:issued></item>
            </channel></rss>
            """)).Feed!;
        var atom = FeedParser.Parse(System.Text.Encoding.UTF8.GetBytes("""
            <?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:dcterms="http://purl.org/dc/terms/"><title>B</title><id>urn:b</id><updated>2025-03-14T09:30:00Z</updated>
            <entry><title>E</title><id>urn:e</id><updated>2025-03-14T09:30:00Z</updated><dcterms:created>2025-03-01T08:00:00Z</dcterms:created></entry></feed>
            """)).Feed!;

        Assert.Equal("From Dublin Core", rss.Entries[0].Title);
        Assert.Equal(DateTimeOffset.Parse("2025-03-14T08:30:00Z", CultureInfo.InvariantCulture), rss.Entries[0].PublishedAt);
        Assert.Equal(DateTimeOffset.Parse("2025-03-15T10:00:00Z", CultureInfo.InvariantCulture), rss.Entries[0].UpdatedAt);
        Assert.Equal(["Events", "Seoul"], rss.Entries[0].Categories);
        Assert.Equal(DateTimeOffset.Parse("2025-03-10T00:00:00Z", CultureInfo.InvariantCulture), rss.Entries[1].PublishedAt);
        Assert.Equal(DateTimeOffset.Parse("2025-03-01T08:00:00Z", CultureInfo.InvariantCulture), atom.Entries[0].PublishedAt);
    }
}
