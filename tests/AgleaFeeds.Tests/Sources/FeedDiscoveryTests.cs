using AgleaFeeds.Sources;

namespace AgleaFeeds.Tests.Sources;

public sealed class FeedDiscoveryTests
{
    [Fact]
    public void Candidates_PostsFeedBeforeCommentsFeed_RelativeToBase_ThenWordPressFeed()
    {
        const string html = """
            <html><head><base href="https://blog.example.org/news/">
            <link rel="alternate" type="application/rss+xml" title="Blog &raquo; Comments Feed" href="comments/feed/">
            <link rel="stylesheet" type="text/css" href="style.css">
            <link rel="alternate" type="application/json" href="/wp-json/">
            <link rel="Alternate home" type="application/atom+xml" title="Blog &raquo; Feed" href="feed/atom/">
            <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
            </head><body></body></html>
            """;

        var candidates = FeedDiscovery.Candidates(html, new Uri("https://blog.example.org/news/a-post/?x=1"));

        Assert.Equal(
            ["https://blog.example.org/news/feed/atom/", "https://blog.example.org/news/comments/feed/", "https://blog.example.org/news/a-post/feed/"],
            candidates.Select(u => u.AbsoluteUri));
    }

    [Fact]
    public void Candidates_HostilePage_StillOffersTheWellKnownFeed()
    {
        var html = string.Concat(Enumerable.Repeat("<div>", 5000));

        Assert.Equal(["https://blog.example.org/feed/"], FeedDiscovery.Candidates(html, new Uri("https://blog.example.org")).Select(u => u.AbsoluteUri));
    }
}
