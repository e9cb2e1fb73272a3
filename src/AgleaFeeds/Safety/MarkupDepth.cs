namespace AgleaFeeds.Safety;

/// <summary>
/// Measures how deeply outside markup nests before any parser builds a tree of it. HtmlAgilityPack's
/// parse is quadratic in the nesting (100,000 levels: minutes), its InnerText and AngleSharp's
/// serializer recurse (a stack overflow kills the process: .NET cannot catch it), and AngleSharp's
/// tree building slows to minutes: so every HTML and XML document from outside is measured here
/// first, in one linear pass, and refused past a cap.
/// </summary>
public static class MarkupDepth
{
    /// <summary>The cap for fragments: titles, post and comment content, descriptions.</summary>
    public const int FragmentCap = 256;

    /// <summary>The cap for XML documents (feeds, OPML): real feeds nest under 20 levels.</summary>
    public const int XmlCap = 256;

    // Elements that never have content, and those a new sibling of the same kind closes implicitly.
    private static readonly HashSet<string> Void = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
    };

    private static readonly HashSet<string> SelfClosingSiblings = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "rb", "rt", "rp", "thead", "tbody", "tfoot",
    };

    private static readonly HashSet<string> RawText = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext",
    };

    /// <summary>
    /// True when the HTML nests elements deeper than <paramref name="cap"/> as a browser would build
    /// it, counted conservatively: implicit closes are honoured only for same-kind siblings, so the
    /// count may exceed the real depth, never fall short of it by more than the implied elements.
    /// </summary>
    public static bool HtmlExceeds(ReadOnlySpan<char> html, int cap)
    {
        // Each level is a start tag, each start tag a '<': with no more of them than the cap, nothing can exceed it.
        // Counting is one vectorized pass without the scan's stack, and nearly every comment and post body ends here.
        if (html.Count('<') <= cap)
        {
            return false;
        }

        var stack = new List<string>(64);
        var foreign = 0; // inside <svg> or <math>, where "/>" does close an element
        var i = 0;
        while (true)
        {
            var lt = html[i..].IndexOf('<');
            if (lt < 0)
            {
                return false;
            }

            i += lt + 1;
            if (i >= html.Length)
            {
                return false;
            }

            var c = html[i];
            if (c == '!' || c == '?')
            {
                // Comment, doctype, CDATA or processing instruction: nothing nests inside.
                var end = html[i..].StartsWith("!--") ? html[i..].IndexOf("-->") : html[i..].IndexOf('>');
                if (end < 0)
                {
                    return false;
                }

                i += end + 1;
                continue;
            }

            var closing = c == '/';
            var nameStart = closing ? i + 1 : i;
            if (nameStart >= html.Length || !char.IsAsciiLetter(html[nameStart]))
            {
                continue;
            }

            var nameEnd = nameStart;
            while (nameEnd < html.Length && (char.IsAsciiLetterOrDigit(html[nameEnd]) || html[nameEnd] is '-' or ':' or '_'))
            {
                nameEnd++;
            }

            var name = Intern(html[nameStart..nameEnd]);
            var tagEnd = EndOfTag(html, nameEnd, out var selfClosed);
            if (tagEnd < 0)
            {
                return false;
            }

            i = tagEnd + 1;
            if (closing)
            {
                Close(stack, name, ref foreign);
                continue;
            }

            if (Void.Contains(name) || (selfClosed && foreign > 0))
            {
                continue;
            }

            if (SelfClosingSiblings.Contains(name) && stack.Count > 0 && string.Equals(stack[^1], name, StringComparison.OrdinalIgnoreCase))
            {
                stack.RemoveAt(stack.Count - 1);
            }

            stack.Add(name);
            if (name is "svg" or "math")
            {
                foreign++;
            }

            if (stack.Count > cap)
            {
                return true;
            }

            if (RawText.Contains(name))
            {
                // Everything up to the matching end tag is text, whatever it looks like.
                var close = IndexOfEndTag(html[i..], name);
                if (close < 0)
                {
                    return false;
                }

                i += close;
            }
        }
    }

    /// <summary>
    /// True when the XML nests elements deeper than <paramref name="cap"/> (the root at depth 0, as
    /// <see cref="System.Xml.XmlReader.Depth"/> counts). One linear scan of the text with vectorized searches,
    /// no reader: comments, CDATA, processing instructions and declarations hold no elements, quoted
    /// attribute values may hold '&gt;'. On a well-formed prefix it counts exactly what a reader would;
    /// past the first error it stops caring (the reader that follows reports that error).
    /// </summary>
    public static bool XmlExceeds(ReadOnlySpan<char> xml, int cap)
    {
        var depth = 0;
        var i = 0;
        while (true)
        {
            var lt = xml[i..].IndexOf('<');
            if (lt < 0 || (i += lt + 1) >= xml.Length)
            {
                return false;
            }

            var rest = xml[i..];
            var (end, length) = rest[0] switch
            {
                '!' when rest.StartsWith("!--") => (rest.IndexOf("-->"), 3),
                '!' when rest.StartsWith("![CDATA[") => (rest.IndexOf("]]>"), 3),
                '?' => (rest.IndexOf("?>"), 2),
                _ => (TagEnd(rest), 1),
            };
            if (end < 0)
            {
                return false;
            }

            if (rest[0] == '/')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (rest[0] != '!' && rest[0] != '?')
            {
                if (depth + 1 > cap)
                {
                    return true;
                }

                depth += rest[end - 1] == '/' ? 0 : 1; // a self-closed element reaches the depth but opens nothing
            }

            i += end + length;
        }
    }

    /// <summary>Where the tag that <paramref name="tag"/> starts ends (its '&gt;'), quoted values skipped; -1 if it never does.</summary>
    private static int TagEnd(ReadOnlySpan<char> tag)
    {
        var at = 0;
        while (true)
        {
            var hit = tag[at..].IndexOfAny('>', '"', '\'');
            if (hit < 0)
            {
                return -1;
            }

            at += hit;
            if (tag[at] == '>')
            {
                return at;
            }

            var close = tag[(at + 1)..].IndexOf(tag[at]);
            if (close < 0)
            {
                return -1;
            }

            at += close + 2;
        }
    }

    private static void Close(List<string> stack, string name, ref int foreign)
    {
        // A stray end tag closes nothing; look only a few levels down, so the pass stays linear.
        for (var k = stack.Count - 1; k >= Math.Max(0, stack.Count - 32); k--)
        {
            if (string.Equals(stack[k], name, StringComparison.OrdinalIgnoreCase))
            {
                for (var j = stack.Count - 1; j >= k; j--)
                {
                    if (stack[j] is "svg" or "math")
                    {
                        foreign--;
                    }
                }

                stack.RemoveRange(k, stack.Count - k);
                return;
            }
        }
    }

    private static int EndOfTag(ReadOnlySpan<char> html, int from, out bool selfClosed)
    {
        selfClosed = false;
        char quote = '\0';
        for (var k = from; k < html.Length; k++)
        {
            var c = html[k];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                // Quotes open only where an attribute value starts (after '='), as in the HTML tokenizer.
                var prev = k - 1;
                while (prev > from && char.IsWhiteSpace(html[prev]))
                {
                    prev--;
                }

                if (html[prev] == '=')
                {
                    quote = c;
                }
            }
            else if (c == '>')
            {
                selfClosed = html[k - 1] == '/';
                return k;
            }
        }

        return -1;
    }

    private static int IndexOfEndTag(ReadOnlySpan<char> text, string name)
    {
        var offset = 0;
        while (true)
        {
            var k = text[offset..].IndexOf("</", StringComparison.Ordinal);
            if (k < 0)
            {
                return -1;
            }

            offset += k;
            var rest = text[(offset + 2)..];
            if (rest.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            {
                return offset;
            }

            offset += 2;
        }
    }

    private static string Intern(ReadOnlySpan<char> name)
    {
        // Common names without allocating; others become a (short) string.
        if (KnownNames.TryGetValue(name, out var known))
        {
            return known;
        }

        return (name.Length > 32 ? name[..32] : name).ToString().ToLowerInvariant();
    }

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> KnownNames = new HashSet<string>(
        ["div", "p", "a", "span", "li", "ul", "ol", "b", "i", "u", "s", "em", "strong", "br", "img", "td", "th", "tr", "table", "tbody", "svg", "math", "script", "style",
         "article", "section", "blockquote", "code", "pre", "font", "small", "sup", "sub", "h1", "h2", "h3", "h4", "header", "footer", "nav", "aside", "main", "figure", "cite", "time", "q"],
        StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
}
