using System.Text;
using AgleaFeeds.Model;
using AgleaFeeds.Scraping;

namespace AgleaFeeds.Tests.Scraping;

public class PostPageParserTests
{
    private static PostPage Parse(string file, string url = "https://blog.example.org/post/", ScraperRules? rules = null)
    {
        var bytes = TestFiles.Bytes("pages", file);
        var result = PostPageParser.Parse(HtmlText.Decode(bytes, null), new Uri(url), rules);
        Assert.Null(result.Error);
        return result.Page!;
    }

    private static string Tree(PostPage page) =>
        string.Join(" ", page.Comments.Select(c => $"{c.WordPressId}<{c.ParentWordPressId?.ToString() ?? "-"}@{c.Depth}"));

    [Theory]
    [InlineData("classic-html5.html", "2<-@1 3<2@2 4<3@3 5<-@1 6<-@1 8<-@1", 6)]
    [InlineData("classic-old.html", "11<-@1 12<11@2", 2)]
    [InlineData("block-theme.html", "21<-@1 22<21@2 23<22@3 24<-@1", 4)]
    [InlineData("wordpress-com.html", "31<-@1 32<31@2", 2)]
    [InlineData("malformed-unclosed.html", "41<-@1 42<-@1", 2)]
    public void Parse_EachMarkupFamily_ReadsEveryCommentWithParentAndDepth(string file, string tree, int announced)
    {
        var page = Parse(file);

        Assert.Equal(tree, Tree(page));
        Assert.Equal(announced, page.AnnouncedCommentCount);
        Assert.True(page.HasCommentList);
    }

    [Theory]
    [InlineData("classic-html5.html", "Our Community Garden", "Jo Smith", "2025-04-02T08:00:00Z")]
    [InlineData("classic-old.html", "Hello world!", "admin", "2014-06-01T10:00:00Z")]
    [InlineData("block-theme.html", "Spring Fair", "Lee Park", "2025-05-09T12:00:00Z")]
    [InlineData("wordpress-com.html", "Picnic", "notesteam", "2025-06-01T08:00:00Z")]
    public void Parse_EachMarkupFamily_ReadsThePost(string file, string title, string author, string published)
    {
        var page = Parse(file);

        Assert.Equal(title, page.Title);
        Assert.Equal(author, page.Author);
        Assert.Equal(DateTimeOffset.Parse(published, System.Globalization.CultureInfo.InvariantCulture), page.PublishedAt);
        Assert.False(string.IsNullOrWhiteSpace(page.ContentHtml));
    }

    [Fact]
    public void Parse_PostFieldsAreNeverTakenFromTheComments_AndTheCommentsKeepTheirs()
    {
        // The post names no author, date or category of its own; its one comment has all three, in the markup
        // the post-level rules look for. They stay the comment's.
        const string Html = """
            <!doctype html><html><head><title>Garden</title></head><body><article><h1 class="entry-title">Garden</h1>
            <div class="entry-content"><p>Body</p></div></article><div id="comments"><h2 class="comments-title">One thought on &ldquo;Garden&rdquo;</h2>
            <ol class="comment-list"><li id="comment-7" class="comment depth-1"><article class="comment-body">
            <div class="comment-author vcard"><b class="fn"><a class="url" rel="author" href="https://reader.example/">Reader</a></b></div>
            <div class="comment-metadata"><a href="https://blog.example.org/post/#comment-7"><time class="entry-date" datetime="2025-04-02T10:00:00+00:00">April 2</time></a></div>
            <a rel="category tag" href="https://blog.example.org/category/spam/">Spam</a>
            <div class="comment-content"><p>Nice garden.</p></div></article></li></ol></div></body></html>
            """;

        var result = PostPageParser.Parse(Html, new Uri("https://blog.example.org/post/"));

        var page = result.Page!;
        Assert.Equal("Garden", page.Title);
        Assert.Null(page.Author);
        Assert.Null(page.PublishedAt);
        Assert.Empty(page.Categories);
        Assert.Equal("<p>Body</p>", page.ContentHtml);
        var comment = Assert.Single(page.Comments);
        Assert.Equal("Reader", comment.Author);
        Assert.Equal(new DateTimeOffset(2025, 4, 2, 10, 0, 0, TimeSpan.Zero), comment.PublishedAt);
        Assert.Equal("Nice garden.", comment.ContentText);
    }

    [Fact]
    public void Parse_ClassicHtml5_ReadsCommentDetails()
    {
        var page = Parse("classic-html5.html", "https://blog.example.org/2025/04/02/community-garden/");
        var maria = page.Comments.Single(c => c.WordPressId == 2);
        var korean = page.Comments.Single(c => c.WordPressId == 3);
        var chloe = page.Comments.Single(c => c.WordPressId == 4);

        Assert.Equal(["Community"], page.Categories);
        Assert.Equal(["garden", "volunteering"], page.Tags);
        Assert.Equal(new DateTimeOffset(2025, 4, 3, 10, 0, 0, TimeSpan.Zero), page.ModifiedAt);
        Assert.Equal("Maria Gonzalez", maria.Author);
        Assert.Equal("https://maria.example.com/", maria.AuthorUrl);
        Assert.StartsWith("https://secure.gravatar.com/avatar/", maria.AvatarUrl, StringComparison.Ordinal);
        Assert.Equal("https://blog.example.org/2025/04/02/community-garden/#comment-2", maria.Permalink);
        Assert.Equal("We planted tomatoes & basil — it’s going well.", maria.ContentText);
        Assert.Equal(new DateTimeOffset(2025, 4, 2, 20, 15, 0, TimeSpan.Zero), maria.PublishedAt);
        Assert.Equal("이서준", korean.Author);
        Assert.Equal("텃밭 정말 멋져요! 🌱🌻", korean.ContentText);
        Assert.Equal("Third level — “quoted” & done.", chloe.ContentText);
        Assert.Null(chloe.AuthorUrl);
    }

    [Fact]
    public void Parse_BlockThemeTerms_TellCategoriesFromTags()
    {
        var page = Parse("block-theme.html");

        Assert.Equal(["Events"], page.Categories);
        Assert.Empty(page.Tags);
    }

    [Fact]
    public void Parse_PingbackAndHeldComment_AreTypedAndFlagged()
    {
        var page = Parse("classic-html5.html");

        var pingback = page.Comments.Single(c => c.WordPressId == 5);
        Assert.Equal("pingback", pingback.Type);
        Assert.Equal("Garden News » Weekly links", pingback.Author);
        Assert.Equal("https://gardennews.example.net/weekly-links/", pingback.AuthorUrl);
        Assert.True(page.Comments.Single(c => c.WordPressId == 6).AwaitingModeration);
        Assert.All(page.Comments.Where(c => c.WordPressId != 5), c => Assert.Equal("comment", c.Type));
    }

    [Fact]
    public void Parse_OldWalkerInLatin1_ReadsTextAndTimesWithoutTimeElements()
    {
        var page = Parse("classic-old.html");
        var first = page.Comments[0];

        Assert.Equal("<p>Café opening day.</p>", page.ContentHtml);
        Assert.Equal("Hi, this is a comment. Café!", first.ContentText);
        Assert.Equal("https://wordpress.org/", first.AuthorUrl);
        Assert.Equal(new DateTimeOffset(2014, 6, 1, 15, 42, 0, TimeSpan.Zero), first.PublishedAt);
    }

    [Fact]
    public void Parse_HundredThousandNestedDivs_IsRefusedQuickly()
    {
        var html = "<html><body><div class=\"entry-content\">" + string.Concat(Enumerable.Repeat("<div>", 100_000)) + "</body></html>";

        var result = PostPageParser.Parse(html, new Uri("https://evil.example/"));

        Assert.Null(result.Page);
        Assert.Equal("Scraping: the page nests elements more than 1000 deep (limit Scraping:MaxNestingDepth); refused as hostile or broken.", result.Error);
    }

    [Fact]
    public void Parse_NotWordPress_ReturnsAClearError()
    {
        var result = PostPageParser.Parse(Encoding.UTF8.GetString(TestFiles.Bytes("pages", "not-wordpress.html")), new Uri("https://acme.example/"));

        Assert.Equal("Scraping: not a WordPress post page: no entry content and no comment list found.", result.Error);
    }

    [Fact]
    public void Parse_CustomThemeRules_OverrideTheDefaults()
    {
        const string Html = """
            <html><body><div class="story">Body</div>
            <section class="talk"><div class="msg" id="comment-7"><span class="who">Kim</span><div class="txt">Hi</div>
              <div class="replies"><div class="msg" id="comment-8"><span class="who">Lee</span><div class="txt">Hello</div></div></div></div></section>
            </body></html>
            """;
        var rules = new ScraperRules
        {
            Content = "//div[@class='story']",
            CommentList = "//section[@class='talk']",
            CommentItems = "./div[@class='msg']",
            ReplyLists = "./div[@class='replies']",
            CommentAuthor = ".//span[@class='who']",
            CommentContent = ".//div[@class='txt']",
        };

        var result = PostPageParser.Parse(Html, new Uri("https://custom.example/p/"), rules);

        Assert.Equal("7<-@1 8<7@2", Tree(result.Page!));
        Assert.Equal(["Kim", "Lee"], result.Page!.Comments.Select(c => c.Author));
        Assert.Equal("Hello", result.Page.Comments[1].ContentText);
    }

    [Theory]
    [InlineData("4 thoughts on “Jack Ma’s Advice”", 4)]
    [InlineData("One thought on “Hello”", 1)]
    [InlineData("One reply on “Hello”", 1)]
    [InlineData("One response to “Weekly notes 16”", 1)]
    [InlineData("15 responses to “Jack Ma’s Advice”", 15)]
    [InlineData("2 thoughts on \"Top 10 lessons\"", 2)]
    [InlineData("1,024 Responses to Hello", 1024)]
    [InlineData("Comments (5)", 5)]
    [InlineData("No comments yet", 0)]
    [InlineData("Leave a comment", null)]
    public void HeadingCount_ThemesWordings_ReadTheNumber(string heading, int? count)
    {
        Assert.Equal(count, PostPageParser.HeadingCount(heading));
    }
}
