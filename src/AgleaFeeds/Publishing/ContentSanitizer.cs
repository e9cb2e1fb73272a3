using Ganss.Xss;

namespace AgleaFeeds.Publishing;

/// <summary>
/// Makes fetched HTML safe to republish, with HtmlSanitizer: no script, style, forms, iframes,
/// event handlers, javascript: or data: URLs; relative URLs made absolute against the original page.
/// One configured instance is thread-safe.
/// </summary>
public sealed class ContentSanitizer
{
    private readonly HtmlSanitizer _sanitizer = Create();

    /// <summary>The most characters of one entry's HTML sanitized; longer content is cut (AngleSharp's time grows with it).</summary>
    public const int MaxChars = 2 * 1024 * 1024;

    /// <summary>Sanitizes HTML from a page at <paramref name="baseUrl"/>; markup nested past the cap is withheld, not parsed.</summary>
    public string Sanitize(string? html, string? baseUrl)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return string.Empty;
        }

        if (html.Length > MaxChars)
        {
            html = html[..MaxChars];
        }

        // AngleSharp (inside HtmlSanitizer) takes minutes on 100,000 nested elements: measure first.
        if (Safety.MarkupDepth.HtmlExceeds(html, Safety.MarkupDepth.FragmentCap))
        {
            return $"<p>[AgleaFeeds withheld this content: its markup nests more than {Safety.MarkupDepth.FragmentCap} elements deep.]</p>";
        }

        var safeBase = Safety.SafeUrl.Http(baseUrl) ?? string.Empty;
        return _sanitizer.Sanitize(html, safeBase);
    }

    private static HtmlSanitizer Create()
    {
        var sanitizer = new HtmlSanitizer();
        // The defaults allow form elements and inline styles: neither belongs in a feed reader.
        foreach (var tag in new[] { "form", "input", "button", "select", "option", "optgroup", "textarea", "label", "fieldset", "legend", "style", "iframe", "frame", "object", "embed", "svg", "math" })
        {
            sanitizer.AllowedTags.Remove(tag);
        }

        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedCssProperties.Clear();
        sanitizer.AllowedSchemes.Clear();
        foreach (var scheme in new[] { "http", "https", "mailto" })
        {
            sanitizer.AllowedSchemes.Add(scheme);
        }

        return sanitizer;
    }
}
