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
            a.ParentNode?.InsertAfter(HtmlNode.CreateNode($"<small class=\"link-target\"> [{HtmlEntity.Entitize(href)}]</small>"), a);
        }

        foreach (var img in doc.DocumentNode.Descendants("img").ToList())
        {
            var src = SafeUrl.Http(img.GetAttributeValue("src", string.Empty));
            var alt = HtmlEntity.Entitize(HtmlEntity.DeEntitize(img.GetAttributeValue("alt", string.Empty)));
            var open = src is null || img.Ancestors("a").Any()
                ? string.Empty
                : $" <a href=\"{HtmlEntity.Entitize(src)}\" target=\"_blank\" rel=\"nofollow noreferrer\">open</a>";
            var note = HtmlNode.CreateNode($"<span class=\"remote-image text-muted\">[image{(alt.Length > 0 ? ": " + alt : string.Empty)} from {HtmlEntity.Entitize(src is null ? "?" : new Uri(src).Host)}, not loaded{open}]</span>");
            img.ParentNode?.ReplaceChild(note, img);
        }

        return doc.DocumentNode.OuterHtml;
    }
}
