using AgleaFeeds.Publishing;
using AgleaFeeds.Safety;
using HtmlAgilityPack;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>
/// A comment's content as a moderator sees it: sanitized, each link's real target shown after its
/// text (so "click here" cannot hide where it goes), and remote images never loaded: each becomes a
/// note with a link that opens the image only when the moderator clicks it (a spammer's tracking
/// pixel learns nothing from the queue).
/// </summary>
internal static class ModerationHtml
{
    public static string Render(ContentSanitizer sanitizer, string? html, string? baseUrl)
    {
        ArgumentNullException.ThrowIfNull(sanitizer);
        var safeHtml = sanitizer.Sanitize(html, baseUrl);
        // The sanitizer's output is bounded by its input's nesting cap.
        if (HtmlFragment.TryLoad(safeHtml, MarkupDepth.FragmentCap, out _) is not { } doc)
        {
            return safeHtml;
        }

        foreach (var a in doc.DocumentNode.Descendants("a").ToList())
        {
            var href = a.GetAttributeValue("href", string.Empty);
            a.SetAttributeValue("rel", "nofollow noreferrer");
            a.ParentNode?.InsertAfter(Element(doc, "small", "link-target", $" [{href}]"), a);
        }

        foreach (var img in doc.DocumentNode.Descendants("img").ToList())
        {
            var src = SafeUrl.Http(img.GetAttributeValue("src", string.Empty));
            var alt = HtmlEntity.DeEntitize(img.GetAttributeValue("alt", string.Empty));
            var note = Element(doc, "span", "remote-image text-muted", $"[image{(alt.Length > 0 ? ": " + alt : string.Empty)} from {(src is null ? "?" : new Uri(src).Host)}, not loaded");
            if (src is not null && !img.Ancestors("a").Any())
            {
                var open = Element(doc, "a", null, "open");
                open.SetAttributeValue("href", src);
                open.SetAttributeValue("target", "_blank");
                open.SetAttributeValue("rel", "nofollow noreferrer");
                note.AppendChild(doc.CreateTextNode(" "));
                note.AppendChild(open);
            }

            note.AppendChild(doc.CreateTextNode("]"));
            img.ParentNode?.ReplaceChild(note, img);
        }

        return doc.DocumentNode.OuterHtml;
    }

    /// <summary>An element with a class and text, built node by node (the text is encoded when written).</summary>
    private static HtmlNode Element(HtmlDocument doc, string name, string? css, string text)
    {
        var element = doc.CreateElement(name);
        if (css is not null)
        {
            element.SetAttributeValue("class", css);
        }

        element.AppendChild(doc.CreateTextNode(HtmlEntity.Entitize(text, useNames: true, entitizeQuotAmpAndLtGt: true)));
        return element;
    }
}
