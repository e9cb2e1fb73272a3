using AgleaFeeds.Host.Dashboard;
using AgleaFeeds.Publishing;

namespace AgleaFeeds.Host.Tests.Dashboard;

public class ModerationHtmlTests
{
    private static readonly ContentSanitizer Sanitizer = new();

    [Fact]
    public void Render_RemoteImage_IsANoteWithALinkNotAnImage()
    {
        var html = ModerationHtml.Render(Sanitizer, "<p>Nice post <img src=\"https://tracker.example/pixel.gif?id=42\" alt=\"smile\"></p>", "https://blog.example/post/");

        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("[image: smile from tracker.example, not loaded <a href=\"https://tracker.example/pixel.gif?id=42\" target=\"_blank\" rel=\"nofollow noreferrer\">open</a>]", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ImageInsideALink_ShowsTheLinkTargetAndNoNestedLink()
    {
        var html = ModerationHtml.Render(Sanitizer, "<a href=\"https://cheap.example/\"><img src=\"/banner.png\"></a>", "https://blog.example/post/");

        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("[image from blog.example, not loaded]", html, StringComparison.Ordinal);
        Assert.Contains("[https://cheap.example/]", html, StringComparison.Ordinal);
    }
}
