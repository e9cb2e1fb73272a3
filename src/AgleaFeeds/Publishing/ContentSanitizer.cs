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

    /// <summary>Sanitizes HTML from a page at <paramref name="baseUrl"/>.</summary>
    public string Sanitize(string? html, string? baseUrl) =>
        string.IsNullOrWhiteSpace(html) ? string.Empty : _sanitizer.Sanitize(html, baseUrl ?? string.Empty);

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
