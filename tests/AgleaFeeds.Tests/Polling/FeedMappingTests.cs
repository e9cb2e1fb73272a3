using AgleaFeeds.Parsing;
using AgleaFeeds.Polling;

namespace AgleaFeeds.Tests.Polling;

public class FeedMappingTests
{
    [Fact]
    public void ToPosts_RepeatedGuids_KeepsDistinctPostsAndDropsExactRepeats()
    {
        var problems = new List<string>();
        var feed = FeedParser.Parse(TestFiles.Bytes("feeds", "duplicate-guids.xml")).Feed!;

        var posts = FeedMapping.ToPosts(feed, problems);

        Assert.Equal(["One", "Two", "Three"], posts.Select(p => p.Title));
        Assert.Equal(3, posts.Select(p => p.Key).Distinct().Count());
        Assert.Equal("same", posts[0].Key);
        Assert.Equal("https://dup.example.com/two", posts[1].Key);
        Assert.StartsWith("sha256:", posts[2].Key, StringComparison.Ordinal);
        Assert.Contains(problems, p => p.Contains("repeated another entry's guid", StringComparison.Ordinal));
    }

    [Fact]
    public void ToPosts_NoGuid_KeysByLink()
    {
        var feed = FeedParser.Parse(TestFiles.Bytes("feeds", "rss092.xml")).Feed!;

        var posts = FeedMapping.ToPosts(feed, []);

        Assert.Equal(["http://old.example.com/first", "http://old.example.com/second"], posts.Select(p => p.Key));
    }

    [Fact]
    public void ToComments_WordPressSiteCommentsFeed_LinksEachCommentToItsPost()
    {
        var feed = FeedParser.Parse(TestFiles.Bytes("feeds", "wordpress-comments.xml")).Feed!;

        var comments = FeedMapping.ToComments(feed, "comments-feed", null, null);

        var spam = comments.Single(c => c.WordPressId == 103);
        Assert.Equal("103", spam.Key);
        Assert.Equal("http://127.0.0.1:5080/samples/agla/2025/03/14/jack-mas-advice-learn-from-failure-and-share-your-success/", spam.PostLink);
        Assert.Equal("http://127.0.0.1:5080/samples/agla/?p=41", spam.PostGuid);
        Assert.Equal("Jack Ma’s Advice – Learn from Failure and Share Your Success", spam.PostTitle);
        Assert.Equal("Best Cheap SEO Services", spam.Author);
        Assert.Contains("cheap-seo-backlinks", spam.ContentHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<", spam.ContentText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://blog.example/feed/", "https://blog.example/comments/feed/")]
    [InlineData("https://blog.example/feed", "https://blog.example/comments/feed/")]
    [InlineData("https://blog.example/blog/feed/atom/", "https://blog.example/blog/comments/feed/")]
    [InlineData("https://blog.example/?feed=rss2", "https://blog.example/?feed=comments-rss2")]
    [InlineData("https://blog.example/comments/feed/", null)]
    [InlineData("https://blog.example/rss.xml", null)]
    public void SiteCommentsFeed_WordPressFeedUrls_PointsAtTheCommentsFeed(string feed, string? expected)
    {
        Assert.Equal(expected, FeedMapping.SiteCommentsFeed(feed));
    }

    [Theory]
    [InlineData("<p>In reply to <a href=\"https://blog.example/2025/03/post/comment-page-1/#comment-20\">김민준</a>.</p>\n<p>Thank you.</p>\n", 20, "<p>Thank you.</p>\n")]
    [InlineData("<p>En réponse à <a href=\"https://blog.example/p/#comment-7\">Anne</a>.</p><p>Merci</p>", 7, "<p>Merci</p>")]
    [InlineData("In reply to <a href=\"https://blog.example/p/#comment-3\">Bob</a>.\n\nPlain reply", 3, "Plain reply")]
    public void StripReplyPrefix_WordPressFeedOnlyPrefix_IsRemovedAndNamesTheParent(string html, long parent, string rest)
    {
        var stripped = FeedMapping.StripReplyPrefix(html);

        Assert.Equal((rest, parent), stripped);
    }

    [Theory]
    [InlineData("<p>See <a href=\"https://blog.example/p/#comment-3\">this comment</a> and the rest of my long argument.</p>")]
    [InlineData("<p>Thanks, great post.</p>")]
    public void StripReplyPrefix_OrdinaryComment_IsLeftAlone(string html)
    {
        Assert.Null(FeedMapping.StripReplyPrefix(html));
    }

    [Fact]
    public void ToComments_WordPressReplyInTheCommentsFeed_HasCleanContentPlainTextAndParent()
    {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <channel><title>Comments for Blog</title><link>https://blog.example</link><description>d</description>
            <generator>https://wordpress.org/?v=6.1.9</generator>
            <item><title>Comment on Post by Lena</title>
              <link>https://blog.example/2025/03/post/comment-page-2/#comment-21</link>
              <dc:creator><![CDATA[Lena]]></dc:creator><pubDate>Mon, 03 Mar 2025 14:00:00 +0000</pubDate>
              <guid isPermaLink="false">https://blog.example/?p=5#comment-21</guid>
              <description><![CDATA[In reply to &lt;a href=&quot;https://blog.example/2025/03/post/comment-page-1/#comment-20&quot;&gt;Kim&lt;/a&gt;.

            Thanks &amp; <b>more</b> 🙂]]></description>
              <content:encoded><![CDATA[<p>In reply to <a href="https://blog.example/2025/03/post/comment-page-1/#comment-20">Kim</a>.</p>
            <p>Thanks &amp; <b>more</b> <img src="https://s.w.org/images/core/emoji/14.0.0/72x72/1f642.png" alt="🙂" class="wp-smiley" style="height: 1em; max-height: 1em;" /></p>
            ]]></content:encoded></item>
            </channel></rss>
            """;
        var feed = FeedParser.Parse(System.Text.Encoding.UTF8.GetBytes(xml)).Feed!;

        var comment = Assert.Single(FeedMapping.ToComments(feed, "comments-feed", null, null));

        Assert.Equal(20, comment.ParentWordPressId);
        Assert.Equal(21, comment.WordPressId);
        Assert.Equal("https://blog.example/2025/03/post/", comment.PostLink);
        Assert.Equal("https://blog.example/?p=5", comment.PostGuid);
        Assert.DoesNotContain("In reply to", comment.ContentHtml, StringComparison.Ordinal);
        Assert.Equal("Thanks & more 🙂", comment.ContentText);
    }

    [Theory]
    [InlineData("https://blog.example/2025/03/post/comment-page-3/#comment-9", "https://blog.example/2025/03/post/")]
    [InlineData("https://blog.example/?p=5&cpage=2#comment-9", "https://blog.example/?p=5")]
    [InlineData("https://blog.example/2025/03/post/#comment-9", "https://blog.example/2025/03/post/")]
    public void PostOf_CommentPermalinks_ArePostAddresses(string link, string post)
    {
        Assert.Equal(post, FeedMapping.PostOf(link));
    }
}
