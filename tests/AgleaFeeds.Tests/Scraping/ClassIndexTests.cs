using System.Xml.XPath;
using AgleaFeeds.Safety;
using AgleaFeeds.Scraping;
using HtmlAgilityPack;

namespace AgleaFeeds.Tests.Scraping;

public class ClassIndexTests
{
    /// <summary>Every rule alternative of the built-in rules, comment rules first.</summary>
    private static readonly string[] BuiltInAlternatives = new[]
    {
        ScraperRules.Default.CommentContent, ScraperRules.Default.CommentAuthor, ScraperRules.Default.CommentAuthorUrl,
        ScraperRules.Default.CommentAvatar, ScraperRules.Default.CommentTime, ScraperRules.Default.CommentPermalink,
        ScraperRules.Default.CommentAwaitingModeration, ScraperRules.Default.Content, ScraperRules.Default.Author,
    }.SelectMany(r => r!.Split(" | ")).Select(a => a.Trim()).Select(a => a.StartsWith("//", StringComparison.Ordinal) ? "." + a : a).Distinct().ToArray();

    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(TestFiles.Data("pages"), "*.html").Order(StringComparer.Ordinal))
        {
            data.Add("pages/" + Path.GetFileName(file));
        }

        // The offline sample blog's post with the most comments.
        data.Add("feeds/samples/agla/2025/03/14/jack-mas-advice-learn-from-failure-and-share-your-success/index.html");
        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Select_BuiltInClassRules_GiveWhatXPathGives(string page)
    {
        var path = page.StartsWith("feeds/", StringComparison.Ordinal) ? Path.Combine(TestFiles.RepositoryRoot, page) : TestFiles.Data(page.Split('/'));
        var doc = HtmlFragment.TryLoad(HtmlText.Decode(File.ReadAllBytes(path), null), 1000, out _, fixNestedTags: true)!;

        var (compared, matched) = Compare(doc.DocumentNode);

        Assert.True(compared >= 20, $"only {compared} alternatives were answered from the index");
        Assert.True(page.Contains("not-wordpress", StringComparison.Ordinal) || matched > 0, "no alternative matched anything: the comparison proves nothing on this page");
    }

    [Fact]
    public void Select_OddClassAttributes_GiveWhatXPathGives()
    {
        var doc = Load("""
            <ol>
              <li class="comment	fn&#10;x"><b class=" fn ">Tab and newline</b><a class="url" href="/a" href="/b">two hrefs</a></li>
              <li class="first" class="fn"><span class="FN">upper case is another class</span><span class="fnord">not fn</span></li>
              <li><img class="avatar photo" src="/p.png" src="/q.png"><div class="comment-content"><p>Hi</p></div></li>
            </ol>
            """);

        var (compared, matched) = Compare(doc.DocumentNode);

        Assert.True(compared >= 20);
        Assert.True(matched >= 4);
    }

    [Fact]
    public void Select_SameClassNested_LeavesAStepBelowToXPath_AndAnswersTheRest()
    {
        var doc = Load("""<div class="fn"><a href="/outer">o</a><div class="fn"><a href="/inner">i</a></div></div>""");
        var index = ClassIndex.Build(doc.DocumentNode, ["fn"]);

        Assert.Null(index.Select(ClassPath.TryParse(Rule("*", "fn") + "//a/@href")!));
        Assert.Equal(["/outer", "/inner"], XPath(doc.DocumentNode, Rule("*", "fn") + "//a/@href").Select(m => m.Value));
        Assert.Equal(2, index.Select(ClassPath.TryParse(Rule("*", "fn"))!)!.Count);
        var (_, matched) = Compare(doc.DocumentNode);
        Assert.True(matched > 0);
    }

    [Theory]
    [InlineData(".//time/@datetime")]
    [InlineData("//h1[contains(@class, 'entry-title') and contains(concat(' ', normalize-space(@class), ' '), ' entry-title ')]")]
    [InlineData(".//*[contains(@class, 'fn') and contains(concat(' ', normalize-space(@class), ' '), ' url ')]")]
    [InlineData(".//*[contains(@class, 'fn')]")]
    [InlineData(".//*[contains(@class, 'fn') and contains(concat(' ', normalize-space(@class), ' '), ' fn ')]//a[1]/@href")]
    public void TryParse_OtherXPath_IsLeftToXPath(string xpath) => Assert.Null(ClassPath.TryParse(xpath));

    [Fact]
    public void TryParse_BuiltInRules_AreMostlyAnsweredFromTheIndex() =>
        Assert.True(BuiltInAlternatives.Count(a => ClassPath.TryParse(a) is not null) >= 15);

    private static string Rule(string element, string cls) =>
        $".//{element}[contains(@class, '{cls}') and contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]";

    private static HtmlDocument Load(string html) => HtmlFragment.TryLoad(html, 1000, out _, fixNestedTags: true)!;

    /// <summary>Asserts each built-in alternative the index can answer gives XPath's nodes and values in XPath's order.</summary>
    private static (int Compared, int Matched) Compare(HtmlNode root)
    {
        var paths = BuiltInAlternatives.Select(a => (Text: a, Path: ClassPath.TryParse(a))).Where(p => p.Path is not null).ToList();
        var index = ClassIndex.Build(root, paths.Select(p => p.Path!.Class));
        int compared = 0, matched = 0;
        foreach (var (text, path) in paths)
        {
            if (index.Select(path!) is not { } indexed)
            {
                continue;
            }

            var expected = XPath(root, text);
            Assert.True(expected.SequenceEqual(indexed), $"{text}: XPath gave [{Show(expected)}], the index [{Show(indexed)}]");
            compared++;
            matched += expected.Count > 0 ? 1 : 0;
        }

        return (compared, matched);
    }

    private static List<(HtmlNode Node, string? Value)> XPath(HtmlNode root, string xpath)
    {
        var result = new List<(HtmlNode, string?)>();
        var iterator = root.CreateNavigator().Select(xpath);
        while (iterator.MoveNext())
        {
            var current = (HtmlNodeNavigator)iterator.Current!;
            result.Add(current.NodeType == XPathNodeType.Element ? (current.CurrentNode, null) : (current.CurrentNode, current.Value));
        }

        return result;
    }

    private static string Show(List<(HtmlNode Node, string? Value)> matches) =>
        string.Join(", ", matches.Select(m => $"{m.Node.Name}#{m.Node.Line}:{m.Node.LinePosition}={m.Value ?? "(element)"}"));
}
