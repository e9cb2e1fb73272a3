namespace AgleaFeeds.Parsing;

/// <summary>
/// Applies a feed's xml:base to the relative addresses inside an entry's HTML (links and images), so that
/// content is read as its author meant wherever it is shown; the page's own address is applied later, on
/// the way out, to what is still relative.
/// </summary>
internal static class ContentUrls
{
    private static readonly string[] Attributes = ["href", "src"];

    /// <summary>The HTML with relative href and src made absolute against <paramref name="baseUri"/>; unchanged without one.</summary>
    public static string? Absolute(string? html, Uri? baseUri)
    {
        if (html is null || baseUri is null || !baseUri.IsAbsoluteUri
            || (html.IndexOf("href=", StringComparison.OrdinalIgnoreCase) < 0 && html.IndexOf("src=", StringComparison.OrdinalIgnoreCase) < 0))
        {
            return html;
        }

        // Over-deep markup is left as it is: the screen after parsing drops it.
        if (Safety.HtmlFragment.TryLoad(html, Safety.MarkupDepth.FragmentCap, out _) is not { } doc)
        {
            return html;
        }

        var changed = false;
        foreach (var node in doc.DocumentNode.Descendants())
        {
            foreach (var name in Attributes)
            {
                var value = node.GetAttributeValue(name, null);
                if (value is null || Uri.TryCreate(value.Trim(), UriKind.Absolute, out var abs) && !(abs.IsFile && value.TrimStart().StartsWith('/')))
                {
                    continue;
                }

                if (Uri.TryCreate(baseUri, System.Net.WebUtility.HtmlDecode(value.Trim()), out var resolved) && Safety.SafeUrl.IsHttp(resolved))
                {
                    node.SetAttributeValue(name, resolved.AbsoluteUri);
                    changed = true;
                }
            }
        }

        return changed ? doc.DocumentNode.OuterHtml : html;
    }
}
