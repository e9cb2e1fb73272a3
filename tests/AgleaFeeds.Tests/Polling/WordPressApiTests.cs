using AgleaFeeds.Fetching;
using AgleaFeeds.Polling;

namespace AgleaFeeds.Tests.Polling;

public class WordPressApiTests
{
    private static FetchResult WithLink(string link) => new()
    {
        Outcome = FetchOutcome.Ok,
        RequestedUrl = new Uri("https://blog.example/feed/"),
        Headers = new Dictionary<string, string> { ["Link"] = link },
    };

    [Theory]
    [InlineData("<https://blog.example/wp-json/>; rel=\"https://api.w.org/\"", "https://blog.example/wp-json/")]
    [InlineData("<https://blog.example/?p=4>; rel=shortlink, <https://blog.example/wp-json/>; rel=\"https://api.w.org/\"", "https://blog.example/wp-json/")]
    [InlineData("<https://blog.example/?rest_route=/>; rel=\"https://api.w.org/\"", "https://blog.example/?rest_route=/")]
    public void RootFrom_LinkHeader_IsTheApiRoot(string header, string root)
    {
        Assert.Equal(new Uri(root), WordPressApi.RootFrom(WithLink(header), new Uri("https://blog.example/feed/")));
    }

    [Theory]
    [InlineData("<https://elsewhere.example/wp-json/>; rel=\"https://api.w.org/\"")]
    [InlineData("<javascript:alert(1)>; rel=\"https://api.w.org/\"")]
    [InlineData("<https://blog.example/wp-json/>; rel=\"alternate\"")]
    public void RootFrom_ForeignOrOtherLinks_AreNotFollowed(string header)
    {
        Assert.Null(WordPressApi.RootFrom(WithLink(header), new Uri("https://blog.example/feed/")));
    }

    [Theory]
    [InlineData("https://blog.example/wp-json/", "https://blog.example/wp-json/wp/v2/comments?per_page=100&page=2")]
    [InlineData("https://blog.example/wp-json", "https://blog.example/wp-json/wp/v2/comments?per_page=100&page=2")]
    [InlineData("https://blog.example/?rest_route=/", "https://blog.example/?rest_route=%2Fwp%2Fv2%2Fcomments&per_page=100&page=2")]
    public void Route_PrettyAndPlainRoots_BuildTheRouteUrl(string root, string expected)
    {
        Assert.Equal(expected, WordPressApi.Route(new Uri(root), "wp/v2/comments", "per_page=100&page=2").ToString());
    }
}
