using System.Text.RegularExpressions;
using HtmlAgilityPack;
using Microsoft.ML.Data;

namespace AgleaFeeds.Scoring;

/// <summary>
/// What the model sees of a comment: its text (with the link targets spelled out) for word and
/// character n-grams, and the signals blog spam carries that the corpora lack: links, an author
/// URL, shouting, digits, length.
/// </summary>
public sealed partial class CommentFeatures
{
    /// <summary>The number of numeric features.</summary>
    public const int NumericCount = 6;

    public string Text { get; set; } = string.Empty;

    [VectorType(NumericCount)]
    public float[] Numeric { get; set; } = new float[NumericCount];

    public bool Label { get; set; }

    public float Weight { get; set; } = 1f;

    /// <summary>Builds the features of a comment (content HTML or text, optional author URL).</summary>
    public static CommentFeatures From(string content, string? authorUrl, bool label = false, float weight = 1f)
    {
        var (text, links) = TextAndLinks(content ?? string.Empty);
        var letters = text.Count(char.IsLetter);
        var upper = text.Count(char.IsUpper);
        var digits = text.Count(char.IsDigit);
        return new CommentFeatures
        {
            Text = text,
            Label = label,
            Weight = weight,
            Numeric =
            [
                MathF.Log(1 + links),
                string.IsNullOrWhiteSpace(authorUrl) ? 0f : 1f,
                letters == 0 ? 0f : (float)upper / letters,
                text.Length == 0 ? 0f : (float)digits / text.Length,
                MathF.Log(1 + text.Length),
                MathF.Log(1 + text.Count(c => c == '!')),
            ],
        };
    }

    /// <summary>The comment's text with each link's target appended, and how many links it has (markup, bare URLs, BBCode).</summary>
    public static (string Text, int Links) TextAndLinks(string content)
    {
        if (content.Length == 0)
        {
            return (string.Empty, 0);
        }

        string text;
        var hrefs = new List<string>();
        if (content.AsSpan().IndexOfAny('<', '&') < 0)
        {
            // Plain text (SMS, most feeds' descriptions): nothing for an HTML parser to do.
            text = content;
        }
        else
        {
            ParseHtml(content, hrefs, out text);
        }

        var bare = BareUrl().Matches(text).Count;
        var bbcode = BbCodeLink().Matches(content).Count;
        var links = hrefs.Count + bare + bbcode;
        var full = hrefs.Count == 0 ? text : text + " " + string.Join(' ', hrefs);
        return (Whitespace().Replace(full, " ").Trim(), links);
    }

    private static void ParseHtml(string content, List<string> hrefs, out string text)
    {
        if (Safety.HtmlFragment.TryLoad(content, Safety.MarkupDepth.FragmentCap, out _) is not { } doc)
        {
            // A comment too deeply nested to parse is scored on its raw text.
            text = content;
            return;
        }

        text = Safety.HtmlFragment.TextOf(doc.DocumentNode);
        hrefs.AddRange(doc.DocumentNode.Descendants("a").Select(a => a.GetAttributeValue("href", string.Empty)).Where(h => h.Length > 0));
    }

    [GeneratedRegex(@"(?<!\[url=|\[url\])(?:https?://|www\.)\S+", RegexOptions.IgnoreCase)]
    private static partial Regex BareUrl();

    [GeneratedRegex(@"\[url(?:=|\])", RegexOptions.IgnoreCase)]
    private static partial Regex BbCodeLink();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
