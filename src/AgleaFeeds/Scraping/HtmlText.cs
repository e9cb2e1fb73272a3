using System.Text;
using System.Text.RegularExpressions;
using AgleaFeeds.Parsing;

namespace AgleaFeeds.Scraping;

/// <summary>Decodes a page's bytes ourselves (never HtmlAgilityPack's platform default): BOM, HTTP charset, meta charset, UTF-8.</summary>
internal static partial class HtmlText
{
    public static string Decode(ReadOnlySpan<byte> bytes, string? httpCharset)
    {
        if (FeedText.DetectBom(bytes, out var bomLength) is { } bom)
        {
            return bom.GetString(bytes[bomLength..]);
        }

        var encoding = FeedText.GetEncoding(httpCharset) ?? FeedText.GetEncoding(MetaCharset(bytes)) ?? Encoding.UTF8;
        return encoding.GetString(bytes);
    }

    private static string? MetaCharset(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.ASCII.GetString(bytes[..Math.Min(bytes.Length, 2048)]);
        var match = MetaCharsetPattern().Match(head);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"<meta[^>]+charset\s*=\s*[""']?\s*([A-Za-z0-9._:-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex MetaCharsetPattern();
}
