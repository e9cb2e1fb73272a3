using AgleaFeeds.Safety;

namespace AgleaFeeds.Tests.Safety;

public class SafeUrlTests
{
    [Theory]
    [InlineData("javascript:alert(document.cookie)")]
    [InlineData(" JavaScript:alert(1)")]
    [InlineData("java\tscript:alert(1)")]
    [InlineData("java\nscript:alert(1)")]
    [InlineData("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")]
    [InlineData("vbscript:msgbox(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.org/feed")]
    public void ScreenAndHttp_OtherSchemes_Null(string value)
    {
        Assert.Null(SafeUrl.Screen(value));
        Assert.Null(SafeUrl.Http(value, new Uri("https://blog.example/post/")));
    }

    [Theory]
    [InlineData("https://blog.example/2025/03/post/", "https://blog.example/2025/03/post/")]
    [InlineData("http://127.0.0.1:5080/samples/agla/?p=41", "http://127.0.0.1:5080/samples/agla/?p=41")]
    [InlineData("/2025/03/post/", "https://blog.example/2025/03/post/")]
    [InlineData("post/#comment-3", "https://blog.example/base/post/#comment-3")]
    [InlineData("?p=41", "https://blog.example/base/?p=41")]
    public void Http_WebAddresses_AbsoluteHttp(string value, string expected) =>
        Assert.Equal(expected, SafeUrl.Http(value, new Uri("https://blog.example/base/")));

    [Theory]
    [InlineData("/2025/03/post/")]
    [InlineData("post:1/x")]
    public void Screen_RelativeReferences_Kept(string value)
    {
        // "post:1/x" has a scheme ("post:"): not relative, and not http: dropped.
        Assert.Equal(value.StartsWith('/') ? value : null, SafeUrl.Screen(value));
    }

    [Theory]
    [InlineData("  HTTPS://Blog.Example/a b/ ", "https://blog.example/base/", "https://blog.example/a%20b/")]
    [InlineData("/2025/03/post/", "https://blog.example/base/", "https://blog.example/2025/03/post/")]
    [InlineData("/2025/03/post/", null, "/2025/03/post/")]
    [InlineData("post/#comment-3", null, "post/#comment-3")]
    [InlineData("java\tscript:alert(1)", "https://blog.example/base/", null)]
    [InlineData("mailto:a@blog.example", "https://blog.example/base/", null)]
    [InlineData("   ", "https://blog.example/base/", null)]
    public void Resolve_AFeedsLink_AbsoluteWhereTheBaseResolvesIt(string value, string? baseUrl, string? expected)
    {
        var resolved = SafeUrl.Resolve(value, baseUrl is null ? null : new Uri(baseUrl));

        Assert.Equal(expected, resolved);
        // The same as screening, then making absolute what can be (as the feed screen did in two steps).
        var kept = SafeUrl.Screen(value);
        Assert.Equal(kept is not null && baseUrl is not null ? SafeUrl.Http(kept, new Uri(baseUrl)) ?? kept : kept, resolved);
    }
}
