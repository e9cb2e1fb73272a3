using System.Text;
using AgleaFeeds.Scraping;

namespace AgleaFeeds.Tests.Scraping;

public class HtmlTextTests
{
    static HtmlTextTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Theory]
    [InlineData("<meta charset=\"euc-kr\">", null, "euc-kr")]
    [InlineData("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">", null, "shift_jis")]
    [InlineData("<meta charset=\"euc-kr\">", "utf-8", "utf-8")]
    [InlineData("<title>x</title>", null, "utf-8")]
    public void Decode_HttpCharsetThenMetaThenUtf8_PicksTheEncoding(string head, string? httpCharset, string encoding)
    {
        var text = "<html><head>" + head + "</head><body>東京</body></html>";
        var bytes = Encoding.GetEncoding(encoding).GetBytes(text);

        Assert.Contains("東京", HtmlText.Decode(bytes, httpCharset), StringComparison.Ordinal);
    }
}
