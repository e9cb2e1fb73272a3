using System.Text.RegularExpressions;
using HtmlAgilityPack;

namespace AgleaFeeds.Scraping;

/// <summary>
/// A rule alternative of the one shape the built-in comment rules use: elements by CSS class, then at most one step
/// down and one attribute, e.g. <c>.//*[contains(@class, 'fn') and contains(concat(' ', normalize-space(@class), ' '), ' fn ')]//a/@href</c>.
/// </summary>
/// <remarks>
/// XPath answers such a rule by testing the class of every element of the comment list, once per rule: on a page of
/// 200 comments that scan was most of a scrape. A <see cref="ClassIndex"/> built in one walk of the list answers it
/// instead, with the same nodes in the same order. Any other XPath goes to the XPath engine.
/// </remarks>
internal sealed partial record ClassPath(string Element, string Class, bool ChildStep, string? Then, string? Attribute)
{
    /// <summary>Reads an alternative of this shape; null for any other XPath.</summary>
    public static ClassPath? TryParse(string alternative)
    {
        var m = Shape().Match(alternative);
        if (!m.Success || m.Groups["class"].Value != m.Groups["token"].Value)
        {
            return null;
        }

        return new ClassPath(
            m.Groups["element"].Value,
            m.Groups["class"].Value,
            m.Groups["step"].Value == "/",
            m.Groups["then"].Success ? m.Groups["then"].Value : null,
            m.Groups["attribute"].Success ? m.Groups["attribute"].Value : null);
    }

    // Lower-case names only: HtmlAgilityPack's navigator reports element and attribute names in lower case, so an
    // upper-case name test never matches there, and stays with XPath to keep that answer.
    [GeneratedRegex(@"^\.//(?<element>[a-z][a-z0-9]*|\*)\[contains\(@class, '(?<class>[A-Za-z0-9_-]+)'\) and contains\(concat\(' ', normalize-space\(@class\), ' '\), ' (?<token>[A-Za-z0-9_-]+) '\)\](?:(?<step>//?)(?<then>[a-z][a-z0-9]*))?(?:/@(?<attribute>[a-z][a-z0-9_-]*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}

/// <summary>The elements below a node that carry given CSS classes, in document order, found in one walk.</summary>
internal sealed class ClassIndex
{
    private readonly HtmlNode _root;
    private readonly Dictionary<string, List<HtmlNode>> _byClass;
    private readonly HashSet<string> _nested = new(StringComparer.Ordinal);

    private ClassIndex(HtmlNode root, IEnumerable<string> classes)
    {
        _root = root;
        _byClass = classes.Distinct(StringComparer.Ordinal).ToDictionary(c => c, _ => new List<HtmlNode>(), StringComparer.Ordinal);
    }

    /// <summary>Walks the descendants of <paramref name="root"/> once, without recursion (a deep tree cannot overflow the stack).</summary>
    public static ClassIndex Build(HtmlNode root, IEnumerable<string> classes)
    {
        ArgumentNullException.ThrowIfNull(root);
        var index = new ClassIndex(root, classes);
        if (index._byClass.Count == 0)
        {
            return index;
        }

        var lookup = index._byClass.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var node = root.FirstChild; node is not null; node = Next(node, root))
        {
            if (node.NodeType == HtmlNodeType.Element && ClassAttribute(node) is { Length: > 0 } value)
            {
                // The tokens as XPath's normalize-space splits them: on space, tab, CR and LF only.
                foreach (var range in value.AsSpan().SplitAny(" \t\r\n"))
                {
                    if (lookup.TryGetValue(value.AsSpan()[range], out var name, out var list) && (list.Count == 0 || list[^1] != node))
                    {
                        index.Add(name, list, node);
                    }
                }
            }
        }

        return index;
    }

    /// <summary>
    /// The nodes (and, for an attribute step, the values) XPath would select for <paramref name="path"/> from the root, in
    /// document order; null when this index cannot answer it exactly (XPath must).
    /// </summary>
    public List<(HtmlNode Node, string? Value)>? Select(ClassPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!_byClass.TryGetValue(path.Class, out var elements) || (path.Then is not null && _nested.Contains(path.Class)))
        {
            // Elements of one class inside one another would give a step below them the same nodes twice and out of
            // order; XPath's node sets sort and merge those, so such a page keeps XPath's answer.
            return null;
        }

        var result = new List<(HtmlNode, string?)>();
        foreach (var element in elements)
        {
            if (path.Element != "*" && element.Name != path.Element)
            {
                continue;
            }

            if (path.Then is null)
            {
                AddTarget(result, element, path.Attribute);
                continue;
            }

            for (var node = element.FirstChild; node is not null; node = path.ChildStep ? node.NextSibling : Next(node, element))
            {
                if (node.NodeType == HtmlNodeType.Element && node.Name == path.Then)
                {
                    AddTarget(result, node, path.Attribute);
                }
            }
        }

        return result;
    }

    private void Add(string name, List<HtmlNode> list, HtmlNode node)
    {
        // Until one of them nests, the elements of a class are disjoint subtrees in document order, so the only one
        // that can hold this node is the last.
        if (list.Count > 0 && IsAncestor(list[^1], node))
        {
            _nested.Add(name);
        }

        list.Add(node);
    }

    private bool IsAncestor(HtmlNode candidate, HtmlNode node)
    {
        for (var n = node.ParentNode; n is not null && n != _root; n = n.ParentNode)
        {
            if (n == candidate)
            {
                return true;
            }
        }

        return false;
    }

    private static void AddTarget(List<(HtmlNode, string?)> result, HtmlNode node, string? attribute)
    {
        if (attribute is null)
        {
            result.Add((node, null));
            return;
        }

        // Every attribute of that name, as the attribute axis gives them (a repeated attribute is not merged).
        var attributes = node.Attributes;
        for (var i = 0; i < attributes.Count; i++)
        {
            if (attributes[i].Name == attribute)
            {
                result.Add((node, attributes[i].Value ?? string.Empty));
            }
        }
    }

    /// <summary>The class attribute XPath's @class reads: the first one, when a page repeats it.</summary>
    private static string? ClassAttribute(HtmlNode node)
    {
        if (!node.HasAttributes)
        {
            return null;
        }

        // Indexed, not enumerated: the collection's enumerator is a boxed allocation per element.
        var attributes = node.Attributes;
        for (var i = 0; i < attributes.Count; i++)
        {
            if (attributes[i].Name == "class")
            {
                return attributes[i].Value;
            }
        }

        return null;
    }

    /// <summary>The next node in document order below <paramref name="root"/>, or null after its last.</summary>
    private static HtmlNode? Next(HtmlNode node, HtmlNode root)
    {
        if (node.FirstChild is { } child)
        {
            return child;
        }

        for (var n = node; n is not null && n != root; n = n.ParentNode)
        {
            if (n.NextSibling is { } sibling)
            {
                return sibling;
            }
        }

        return null;
    }
}
