using AgleaFeeds.Safety;

namespace AgleaFeeds.Tests.Safety;

public class HtmlFragmentTests
{
    [Fact]
    public void ToText_EscapedMarkup_DecodedOnce()
    {
        // A comment that shows code: the reader saw "&lt;a href=…&gt;", which is the text "<a href=…>" once decoded.
        Assert.Equal("Use <a href=x> here & there", HtmlFragment.ToText("<p>Use &lt;a href=x&gt; here &amp; there</p>"));
        Assert.Equal("&lt;b&gt;", HtmlFragment.ToText("<p>&amp;lt;b&amp;gt;</p>"));
    }

    [Fact]
    public void ToText_WordPressSmiley_BecomesItsAlt()
    {
        var html = "<p>Thanks <img draggable=\"false\" role=\"img\" class=\"emoji\" alt=\"🙂\" src=\"https://s.w.org/images/core/emoji/14.0.0/svg/1f642.svg\"> and <img class=\"wp-smiley\" alt=\":D\" src=\"x.png\"> <img src=\"photo.jpg\" alt=\"photo\"></p>";

        Assert.Equal("Thanks 🙂 and :D ", HtmlFragment.ToText(html));
    }

    [Fact]
    public void ToText_ScriptAndStyle_LeftOut() =>
        Assert.Equal("a b", HtmlFragment.ToText("a<script>alert(1)</script> <style>p{}</style>b"));

    [Fact]
    public void ToText_HundredThousandNestedElements_NullQuickly()
    {
        var html = string.Concat(Enumerable.Repeat("<b>", 100_000)) + "deep";

        Assert.Null(HtmlFragment.ToText(html));
        Assert.Null(HtmlFragment.TryLoad(html, 256, out var error));
        Assert.Contains("more than 256", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TextOf_TreeDeeperThanItsCap_ReadWithoutRecursion()
    {
        var doc = HtmlFragment.TryLoad(string.Concat(Enumerable.Repeat("<div>", 900)) + "bottom", 1000, out _)!;

        Assert.Equal("bottom", HtmlFragment.TextOf(doc.DocumentNode));
    }

    [Fact]
    public void ToText_OneCallAfterAnother_EachGetsOnlyItsOwnText()
    {
        // The builder is the thread's own and reused: nothing of one comment may reach the next.
        var long1 = string.Concat(Enumerable.Range(0, 3000).Select(i => $"<p>w{i} </p>"));
        var texts = new[] { "<p>one</p><p> two</p>", "<p>solo</p>", "<br>", long1, "<p>a &amp; b</p><p>c</p>", "<img class=\"wp-smiley\" alt=\"🙂\">" }
            .Select(h => HtmlFragment.ToText(h)).ToList();
        Assert.Equal("one two", texts[0]);
        Assert.Equal("solo", texts[1]);
        Assert.Equal(string.Empty, texts[2]);
        Assert.Equal(string.Concat(Enumerable.Range(0, 3000).Select(i => $"w{i} ")), texts[3]);
        Assert.Equal("a & bc", texts[4]);
        Assert.Equal("🙂", texts[5]);
    }
}
