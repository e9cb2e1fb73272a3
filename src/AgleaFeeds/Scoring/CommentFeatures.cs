using System.Text.RegularExpressions;
using HtmlAgilityPack;
using Microsoft.ML.Data;

namespace AgleaFeeds.Scoring;

/// <summary>
/// What the model sees of a comment: its visible text with every contact (link, bare domain, e-mail,
/// phone number) replaced by a word for its kind, for word and character n-grams, and the signals
/// blog spam carries that the corpora lack: links and how they are written, phone numbers, e-mail
/// addresses, messenger handles, an author URL, shouting, digits, length. Links to the blog's own
/// hosts are not evidence and are left out.
/// </summary>
public sealed partial class CommentFeatures
{
    /// <summary>The number of numeric features.</summary>
    public const int NumericCount = 11;

    public string Text { get; set; } = string.Empty;

    [VectorType(NumericCount)]
    public float[] Numeric { get; set; } = new float[NumericCount];

    public bool Label { get; set; }

    public float Weight { get; set; } = 1f;

    /// <summary>Builds the features of a comment (content HTML or text, optional author URL, the blog's own hosts).</summary>
    public static CommentFeatures From(string content, string? authorUrl, bool label = false, float weight = 1f, IReadOnlyCollection<string>? ownHosts = null) =>
        From(Read(content ?? string.Empty, ownHosts), authorUrl, label, weight);

    /// <summary>Builds the features from a comment already read.</summary>
    public static CommentFeatures From(Contacts contacts, string? authorUrl, bool label = false, float weight = 1f)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        var text = contacts.Masked;
        var letters = 0;
        var upper = 0;
        var digits = 0;
        var bangs = 0;
        foreach (var c in text)
        {
            letters += char.IsLetter(c) ? 1 : 0;
            upper += char.IsUpper(c) ? 1 : 0;
            digits += char.IsDigit(c) ? 1 : 0;
            bangs += c == '!' ? 1 : 0;
        }

        return new CommentFeatures
        {
            Text = text,
            Label = label,
            Weight = weight,
            Numeric =
            [
                MathF.Log(1 + contacts.Links),
                MathF.Log(1 + contacts.BareDomains + contacts.Obfuscated),
                contacts.Shorteners > 0 ? 1f : 0f,
                MathF.Log(1 + contacts.Phones),
                MathF.Log(1 + contacts.Emails),
                contacts.Handles > 0 ? 1f : 0f,
                string.IsNullOrWhiteSpace(authorUrl) ? 0f : 1f,
                letters == 0 ? 0f : (float)upper / letters,
                text.Length == 0 ? 0f : (float)digits / text.Length,
                MathF.Log(1 + text.Length),
                MathF.Log(1 + bangs),
            ],
        };
    }

    /// <summary>The same comment with its contacts (links, phone numbers, e-mail addresses, handles) taken out: what the rest of it says on its own.</summary>
    public static CommentFeatures WithoutContacts(Contacts contacts, string? authorUrl) =>
        From(contacts with { Masked = ContactWords().Replace(contacts.Masked, " "), Urls = 0, BareDomains = 0, Obfuscated = 0, Shorteners = 0, Phones = 0, Emails = 0, Handles = 0 }, authorUrl);

    /// <summary>Reads a comment (HTML or text): its visible text and the contacts in it and in its links.</summary>
    public static Contacts Read(string content, IReadOnlyCollection<string>? ownHosts = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        var (text, hrefs) = Visible(content);
        return ContactFinder.Find(text, hrefs, ownHosts);
    }

    /// <summary>The comment's visible text and how many links it has as WordPress's link limit counts them: markup links and written-out URLs (BBCode included).</summary>
    public static (string Text, int Links) TextAndLinks(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var (text, hrefs) = Visible(content);
        return (text, hrefs.Count + WrittenUrl().Count(text));
    }

    /// <summary>A comment's visible text, whitespace collapsed, and its links' targets (none for plain text).</summary>
    private static (string Text, List<string> Hrefs) Visible(string content)
    {
        var hrefs = new List<string>();
        var text = content;
        // Plain text (SMS, most feeds' descriptions) has nothing for an HTML parser to do.
        if (content.AsSpan().IndexOfAny('<', '&') >= 0)
        {
            if (Safety.HtmlFragment.TryLoad(content, Safety.MarkupDepth.FragmentCap, out _) is { } doc)
            {
                text = Safety.HtmlFragment.TextOf(doc.DocumentNode);
                hrefs.AddRange(doc.DocumentNode.Descendants("a").Select(a => a.GetAttributeValue("href", string.Empty)).Where(h => h.Length > 0));
            }

            // A comment too deeply nested to parse is read as its raw text.
        }

        return (Whitespace().Replace(text, " ").Trim(), hrefs);
    }

    // The contact words of ContactFinder.MaskWords (a link to the blog itself, xownlink, stays).
    [GeneratedRegex(@"\b(?:xlink|xbaredomain|xshortlink|xphone|xemail)\b")]
    internal static partial Regex ContactWords();

    [GeneratedRegex(@"(?:https?://|www\.)\S+", RegexOptions.IgnoreCase)]
    private static partial Regex WrittenUrl();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
