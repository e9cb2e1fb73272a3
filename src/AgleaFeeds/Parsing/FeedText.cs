using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace AgleaFeeds.Parsing;

/// <summary>
/// Turns the bytes of a feed into XML text the readers accept: picks the encoding (BOM, then HTTP
/// charset, then the XML declaration, checked against the bytes), drops characters XML forbids, and
/// rewrites HTML entities that no DTD defines. Each repair is reported as a problem.
/// </summary>
internal static partial class FeedText
{
    static FeedText() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The XML settings every feed and OPML document is read with: no DTD, no resolver.</summary>
    public static XmlReaderSettings SafeSettings { get; } = new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CheckCharacters = true,
        MaxCharactersFromEntities = 1024,
    };

    /// <summary>Decodes and repairs a document; problems get one line per kind of repair.</summary>
    /// <remarks>
    /// Decoded into a pooled buffer: as a string, a feed is twice its bytes (a 45 KB posts feed is a 90 KB string, on
    /// the large object heap, which only a full collection frees). Documents that need a repair, a rare case, are
    /// repaired as strings.
    /// </remarks>
    internal static FeedDocument Prepare(ReadOnlySpan<byte> bytes, string? httpCharset, List<string> problems)
    {
        var encoding = Choose(bytes, httpCharset, problems, out var skip);
        var document = FeedDocument.Decode(encoding, bytes[skip..]);
        if (VerifyAll(document.Span) && !NeedsEntityRepair(document.Span))
        {
            return document;
        }

        using (document)
        {
            return FeedDocument.Of(RepairEntities(RemoveInvalidCharacters(document.Span.ToString(), problems), problems));
        }
    }

    /// <summary>
    /// The encoding a document's bytes are read with: BOM, then the declared charsets checked against the bytes, then
    /// UTF-8, then Windows-1252; and how many leading bytes (a byte order mark) are skipped.
    /// </summary>
    private static Encoding Choose(ReadOnlySpan<byte> bytes, string? httpCharset, List<string> problems, out int skip)
    {
        skip = 0;
        var bom = DetectBom(bytes, out var bomLength);
        var declared = DeclaredEncoding(bytes);
        var http = GetEncoding(httpCharset);
        if (bom is not null)
        {
            if (http is not null && http.CodePage != bom.CodePage && !IsAscii(http))
            {
                problems.Add($"Parsing: HTTP says charset {httpCharset} but the byte order mark says {bom.WebName}; used {bom.WebName}.");
            }

            skip = bomLength;
            return bom;
        }

        // XML 1.0 Appendix F: without a byte order mark, UTF-16 and UTF-32 show in the zero bytes around "<".
        if (ZeroPattern(bytes) is { } wide)
        {
            if (http is not null && http.CodePage != wide.CodePage && http is not (UnicodeEncoding or UTF32Encoding))
            {
                problems.Add($"Parsing: HTTP says charset {httpCharset} but the bytes are {wide.WebName}; read as {wide.WebName}.");
            }

            return wide;
        }

        var claimed = http ?? GetEncoding(declared);
        var claimedName = http is not null ? $"HTTP charset {httpCharset}" : $"XML declaration encoding {declared}";
        if (claimed is UnicodeEncoding or UTF32Encoding)
        {
            return claimed;
        }

        if (IsValidUtf8(bytes))
        {
            if (claimed is not null && claimed.CodePage != Encoding.UTF8.CodePage && !IsAllAscii(bytes))
            {
                problems.Add($"Parsing: {claimedName} does not match the bytes, which are UTF-8; read as UTF-8.");
            }

            return Encoding.UTF8;
        }

        if (claimed is not null && claimed.CodePage != Encoding.UTF8.CodePage)
        {
            if (http is not null && declared is not null && GetEncoding(declared) is { } d && d.CodePage != http.CodePage)
            {
                problems.Add($"Parsing: HTTP charset {httpCharset} and XML declaration {declared} disagree; used the HTTP charset.");
            }

            return claimed;
        }

        problems.Add($"Parsing: the bytes are not valid UTF-8{(claimed is null ? string.Empty : $" although the {claimedName} says so")}; read as Windows-1252.");
        return Encoding.GetEncoding(1252);
    }

    /// <summary>UTF-32 or UTF-16 (big or little endian) told by where the zero bytes are in the first four.</summary>
    internal static Encoding? ZeroPattern(ReadOnlySpan<byte> b) => b switch
    {
        [0, 0, 0, not 0, ..] => new UTF32Encoding(bigEndian: true, byteOrderMark: false),
        [not 0, 0, 0, 0, ..] => new UTF32Encoding(bigEndian: false, byteOrderMark: false),
        [0, not 0, 0, not 0, ..] => Encoding.BigEndianUnicode,
        [not 0, 0, not 0, 0, ..] => Encoding.Unicode,
        _ => null,
    };

    internal static Encoding? DetectBom(ReadOnlySpan<byte> b, out int length)
    {
        (Encoding? encoding, length) = b switch
        {
            [0xEF, 0xBB, 0xBF, ..] => ((Encoding?)Encoding.UTF8, 3),
            [0, 0, 0xFE, 0xFF, ..] => (new UTF32Encoding(bigEndian: true, byteOrderMark: true), 4),
            [0xFF, 0xFE, 0, 0, ..] => (Encoding.UTF32, 4),
            [0xFF, 0xFE, ..] => (Encoding.Unicode, 2),
            [0xFE, 0xFF, ..] => (Encoding.BigEndianUnicode, 2),
            _ => (null, 0),
        };
        return encoding;
    }

    private static string? DeclaredEncoding(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.ASCII.GetString(bytes[..Math.Min(bytes.Length, 256)]);
        var match = XmlDeclarationEncoding().Match(head);
        return match.Success ? match.Groups[1].Value : null;
    }

    internal static Encoding? GetEncoding(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        try
        {
            var encoding = Encoding.GetEncoding(name.Trim());
            // ISO-8859-1 labels mean Windows-1252 on the web (WHATWG Encoding).
            return encoding.CodePage == 28591 ? Encoding.GetEncoding(1252) : encoding;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static bool IsAscii(Encoding e) => e.CodePage is 20127;

    private static bool IsAllAscii(ReadOnlySpan<byte> bytes) => System.Text.Ascii.IsValid(bytes);

    private static bool IsValidUtf8(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    /// <summary>Drops characters that XML 1.0 forbids (control characters, lone surrogates).</summary>
    public static string RemoveInvalidCharacters(string text, List<string> problems)
    {
        if (VerifyAll(text))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        var removed = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[++i]);
            }
            else if (XmlConvert.IsXmlChar(c))
            {
                sb.Append(c);
            }
            else
            {
                removed++;
            }
        }

        problems.Add($"Parsing: removed {removed} character(s) that XML does not allow (control characters).");
        return sb.ToString();
    }

    private static bool VerifyAll(ReadOnlySpan<char> span)
    {
        // Vectorized first: almost every feed has neither control characters nor surrogates.
        if (span.IndexOfAny(ForbiddenXmlChars) >= 0)
        {
            return false;
        }

        // Surrogates (emoji, historic scripts) are allowed in pairs only, a high one before a low one.
        var rest = span;
        for (var i = rest.IndexOfAnyInRange('\uD800', '\uDFFF'); i >= 0; i = rest.IndexOfAnyInRange('\uD800', '\uDFFF'))
        {
            if (!char.IsHighSurrogate(rest[i]) || i + 1 >= rest.Length || !char.IsLowSurrogate(rest[i + 1]))
            {
                return false;
            }

            rest = rest[(i + 2)..];
        }

        return true;
    }

    /// <summary>
    /// Outside CDATA sections, replaces HTML named entities with the characters they stand for and
    /// escapes stray ampersands, so a reader without a DTD does not reject the document.
    /// </summary>
    public static string RepairEntities(string text, List<string> problems)
    {
        if (!NeedsEntityRepair(text))
        {
            return text;
        }

        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        var html = 0;
        var stray = 0;
        var parts = CdataSection().Split(text);
        var sb = new StringBuilder(text.Length);
        foreach (var part in parts)
        {
            if (part.StartsWith("<![CDATA[", StringComparison.Ordinal))
            {
                sb.Append(part);
                continue;
            }

            var repaired = Ampersand().Replace(part, m =>
            {
                if (m.Groups["num"].Success)
                {
                    return m.Value;
                }

                if (!m.Groups["name"].Success)
                {
                    stray++;
                    return "&amp;";
                }

                var name = m.Groups["name"].Value;
                if (name is "amp" or "lt" or "gt" or "quot" or "apos")
                {
                    return m.Value;
                }

                var decoded = name == "ellipsis" ? "…" : WebUtility.HtmlDecode(m.Value);
                if (decoded == m.Value)
                {
                    unknown.Add(m.Value);
                    return "&amp;" + name + ";";
                }

                html++;
                // Escape what the entity stands for when it is itself markup-significant.
                return decoded switch { "<" => "&lt;", ">" => "&gt;", "&" => "&amp;", _ => decoded };
            });
            sb.Append(repaired);
        }

        if (html > 0)
        {
            problems.Add($"Parsing: replaced {html} HTML entit{(html == 1 ? "y" : "ies")} that XML does not define.");
        }

        if (unknown.Count > 0)
        {
            problems.Add($"Parsing: kept {string.Join(", ", unknown)} as text: no such entity.");
        }

        if (stray > 0)
        {
            problems.Add($"Parsing: escaped {stray} bare ampersand(s).");
        }

        return sb.ToString();
    }

    /// <summary>True when some ampersand is neither a character reference nor one of XML's five entities.</summary>
    private static bool NeedsEntityRepair(ReadOnlySpan<char> span)
    {
        for (var i = span.IndexOf('&'); i >= 0; i = span.IndexOf('&'))
        {
            span = span[(i + 1)..];
            var end = span.IndexOf(';');
            if (end <= 0 || end > 32)
            {
                return true;
            }

            var name = span[..end];
            var ok = name[0] == '#'
                ? name.Length > 1 && (name[1] is 'x' or 'X' ? name.Length > 2 && name[2..].ContainsAnyExcept(HexDigits) == false : name[1..].ContainsAnyExcept(Digits) == false)
                : name is "amp" or "lt" or "gt" or "quot" or "apos";
            if (!ok)
            {
                return true;
            }
        }

        return false;
    }

    private static readonly System.Buffers.SearchValues<char> ForbiddenXmlChars = System.Buffers.SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\uFFFE\uFFFF");

    private static readonly System.Buffers.SearchValues<char> Digits = System.Buffers.SearchValues.Create("0123456789");
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    [GeneratedRegex(@"<\?xml[^>]*\bencoding\s*=\s*[""']([A-Za-z0-9._:-]+)[""']")]
    private static partial Regex XmlDeclarationEncoding();

    [GeneratedRegex(@"(<!\[CDATA\[.*?\]\]>)", RegexOptions.Singleline)]
    private static partial Regex CdataSection();

    [GeneratedRegex(@"&(?:(?<num>#[0-9]+;|#[xX][0-9a-fA-F]+;)|(?<name>[A-Za-z][A-Za-z0-9]{0,31});)?")]
    private static partial Regex Ampersand();
}
