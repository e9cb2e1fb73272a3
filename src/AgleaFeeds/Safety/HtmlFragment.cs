using System.Text;
using HtmlAgilityPack;

namespace AgleaFeeds.Safety;

/// <summary>
/// The one way outside HTML is loaded into HtmlAgilityPack and turned into text: measured first
/// (<see cref="MarkupDepth"/>), then parsed with HtmlAgilityPack's own nesting cap as a backstop,
/// and its text taken without recursion.
/// </summary>
public static class HtmlFragment
{
    /// <summary>
    /// Loads HTML nesting at most <paramref name="cap"/> deep; null (and why) otherwise. Without
    /// <paramref name="indexIds"/> HtmlAgilityPack keeps no index of ids (one dictionary fewer; HtmlNode.Id then throws).
    /// </summary>
    public static HtmlDocument? TryLoad(string html, int cap, out string? error, bool fixNestedTags = false, bool indexIds = true)
    {
        ArgumentNullException.ThrowIfNull(html);
        if (MarkupDepth.HtmlExceeds(html, cap))
        {
            error = $"nests elements more than {cap} deep";
            return null;
        }

        // No syntax check: it only lists the elements left open as parse errors, which nothing here reads, in a dictionary
        // of every open element per document (8 % of the parse's allocations for a one-paragraph comment).
        var doc = new HtmlDocument { OptionFixNestedTags = fixNestedTags, OptionMaxNestedChildNodes = cap * 4, OptionUseIdAttribute = indexIds, OptionCheckSyntax = false };
        try
        {
            doc.LoadHtml(html);
        }
#pragma warning disable CA1031 // HtmlAgilityPack reports too deep nesting with a plain Exception.
        catch (Exception ex) when (ex.Message.Contains("nested", StringComparison.OrdinalIgnoreCase))
#pragma warning restore CA1031
        {
            error = $"nests elements more than {cap} deep";
            return null;
        }

        error = null;
        return doc;
    }

    /// <summary>
    /// The plain text of HTML: entities decoded once, script and style left out, emoji images as
    /// their alt text. Markup nesting deeper than <paramref name="cap"/> yields null.
    /// </summary>
    public static string? ToText(string? html, int cap = MarkupDepth.FragmentCap)
    {
        if (html is null)
        {
            return null;
        }

        if (html.AsSpan().IndexOfAny('<', '&') < 0)
        {
            return html;
        }

        // Text only: no index of ids, for every comment a poll reads.
        return TryLoad(html, cap, out _, indexIds: false) is { } doc ? TextOf(doc.DocumentNode) : null;
    }

    /// <summary>The text of a node and its descendants, without recursion (a deep tree cannot overflow the stack).</summary>
    /// <remarks>
    /// The builder and the stack are the thread's own, reused (a poll takes the text of every comment it reads: growing a
    /// new builder each time was a tenth of a first sync's allocations); large ones are not kept.
    /// </remarks>
    public static string TextOf(HtmlNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var sb = t_builder ?? new StringBuilder(256);
        var stack = t_stack ?? new Stack<HtmlNode>(32);
        (t_builder, t_stack) = (null, null);
        try
        {
            return TextOf(node, sb, stack);
        }
        finally
        {
            sb.Clear();
            stack.Clear();
            (t_builder, t_stack) = (sb.Capacity <= MaxKeptChars ? sb : null, stack.EnsureCapacity(0) <= MaxKeptNodes ? stack : null);
        }
    }

    [ThreadStatic]
    private static StringBuilder? t_builder;

    [ThreadStatic]
    private static Stack<HtmlNode>? t_stack;

    private const int MaxKeptChars = 16 * 1024;
    private const int MaxKeptNodes = 1024;

    private static string TextOf(HtmlNode node, StringBuilder sb, Stack<HtmlNode> stack)
    {
        // A text of one piece (a comment of one paragraph) is that piece: no copy through the builder.
        string? single = null;
        var pieces = 0;
        void Add(string piece)
        {
            if (piece.Length == 0)
            {
                return;
            }

            if (++pieces == 1)
            {
                single = piece;
                return;
            }

            if (pieces == 2)
            {
                sb.Append(single);
            }

            sb.Append(piece);
        }

        stack.Push(node);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            switch (current.NodeType)
            {
                case HtmlNodeType.Text:
                    // HtmlEntity.DeEntitize copies every text through a StringBuilder of its own; most have no entity.
                    var text = ((HtmlTextNode)current).Text;
                    Add(text.Contains('&', StringComparison.Ordinal) ? HtmlEntity.DeEntitize(text) : text);
                    continue;
                case HtmlNodeType.Comment:
                    continue;
                case HtmlNodeType.Element when current.Name is "script" or "style" or "template":
                    continue;
                case HtmlNodeType.Element when current.Name == "img":
                    // WordPress turns :) and emoji into <img class="wp-smiley" alt="🙂">: the reader saw the emoji.
                    if (IsEmoji(current))
                    {
                        Add(HtmlEntity.DeEntitize(current.GetAttributeValue("alt", string.Empty)));
                    }

                    continue;
            }

            for (var child = current.LastChild; child is not null; child = child.PreviousSibling)
            {
                stack.Push(child);
            }
        }

        return pieces switch
        {
            0 => string.Empty,
            1 => single!,
            _ => sb.ToString(),
        };
    }

    private static bool IsEmoji(HtmlNode img)
    {
        var cls = img.GetAttributeValue("class", string.Empty);
        return cls.Contains("wp-smiley", StringComparison.Ordinal) || cls.Contains("emoji", StringComparison.Ordinal);
    }
}
