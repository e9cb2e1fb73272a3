using AgleaFeeds.Safety;

namespace AgleaFeeds.Tests.Safety;

public class MarkupDepthTests
{
    private static string Nested(string tag, int depth) => string.Concat(Enumerable.Repeat($"<{tag}>", depth)) + "x";

    [Theory]
    [InlineData("div")]
    [InlineData("b")]
    [InlineData("span")]
    public void HtmlExceeds_HundredThousandNestedElements_True(string tag) =>
        Assert.True(MarkupDepth.HtmlExceeds(Nested(tag, 100_000), 256));

    [Fact]
    public void HtmlExceeds_SelfClosedDivs_CountAsNested()
    {
        // HTML ignores "/>" on a div: a browser (and AngleSharp) nests every one of them.
        Assert.True(MarkupDepth.HtmlExceeds(string.Concat(Enumerable.Repeat("<div/>", 1000)), 256));
    }

    [Theory]
    [InlineData(10_000, "<p>para</p>")]
    [InlineData(10_000, "<p>unclosed paragraph")]
    [InlineData(10_000, "<li>unclosed item")]
    [InlineData(10_000, "<br><img src=x><hr>")]
    [InlineData(1_000, "<svg><path d='M0 0'/></svg>")]
    [InlineData(1, "<script>if (a < b) { x = '<div><div><div>'; }</script>")]
    [InlineData(1, "<!-- <div><div><div> -->")]
    [InlineData(5_000, "<a title='>'>link</a>")]
    public void HtmlExceeds_WideButShallowMarkup_False(int repeat, string piece)
    {
        var html = "<div>" + string.Concat(Enumerable.Repeat(piece, repeat)) + "</div>";

        Assert.False(MarkupDepth.HtmlExceeds(html, 8));
    }

    [Fact]
    public void HtmlExceeds_RealPagesOfTheSampleBlog_False()
    {
        var folder = Path.Combine(AgleaFeeds.Testing.Repository.Root, "feeds", "samples", "agla");
        foreach (var page in Directory.EnumerateFiles(folder, "*.html", SearchOption.AllDirectories))
        {
            Assert.False(MarkupDepth.HtmlExceeds(File.ReadAllText(page), 100), page);
        }
    }

    [Fact]
    public void XmlExceeds_DeepDocument_TrueAndShallowFalse()
    {
        var deep = string.Concat(Enumerable.Repeat("<a>", 100_000)) + string.Concat(Enumerable.Repeat("</a>", 100_000));

        Assert.True(MarkupDepth.XmlExceeds(deep, 256));
        Assert.False(MarkupDepth.XmlExceeds("<rss><channel><item><title>t</title></item></channel></rss>", 256));
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(3, true)]
    public void XmlExceeds_CountsTheDepthAReaderSees(int cap, bool exceeds)
    {
        // The root is depth 0, so the self-closed <d/> is at depth 3 (a reader refuses it under a cap of 3, as the old pass did); what only looks like tags is not counted: self-closed
        // elements, comments, CDATA, processing instructions, a DOCTYPE's subset and '>' or '<'-free quotes.
        const string xml = """
            <?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><a><!-- <x><x><x> --><b/><b attr="a>b" other='>'><c><![CDATA[<x><x><x><x>]]><?pi <x><x> ?>
            <d/></c></b></a>
            """;

        Assert.Equal(exceeds, MarkupDepth.XmlExceeds(xml, cap));
        using var reader = System.Xml.XmlReader.Create(new StringReader(xml), new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Ignore, XmlResolver = null });
        var deepest = 0;
        while (reader.Read())
        {
            deepest = reader.NodeType == System.Xml.XmlNodeType.Element ? Math.Max(deepest, reader.Depth) : deepest;
        }

        Assert.Equal(3, deepest);
    }
}
