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
}
