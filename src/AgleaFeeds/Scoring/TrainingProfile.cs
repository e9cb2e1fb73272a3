using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;

namespace AgleaFeeds.Scoring;

/// <summary>
/// What the comments a model was trained on look like (their words, their lengths), saved inside the
/// model file, so that a comment unlike all of them (another language or script, far longer, mostly
/// unknown words, code or a log) is recognised as out of distribution: the model's score says little
/// about it, and it goes to a person instead of being caught automatically.
/// </summary>
public sealed partial class TrainingProfile
{
    private const string Entry = "AgleaFeeds/TrainingProfile.txt";

    /// <summary>The least share of a comment's words the training comments must contain.</summary>
    public const double MinCoverage = 0.5;

    /// <summary>The fewest words a comment needs before its vocabulary is judged.</summary>
    public const int MinWords = 6;

    private readonly HashSet<string> _words;

    private TrainingProfile(HashSet<string> words, int maxLength)
    {
        _words = words;
        MaxLength = maxLength;
    }

    /// <summary>Gets the length (characters of visible text) that 99 % of the training comments do not exceed.</summary>
    public int MaxLength { get; }

    /// <summary>Gets how many distinct words the training comments contain.</summary>
    public int Vocabulary => _words.Count;

    /// <summary>Profiles the training comments' visible texts.</summary>
    public static TrainingProfile Build(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var words = new HashSet<string>(StringComparer.Ordinal);
        var lengths = new List<int>();
        foreach (var text in texts)
        {
            lengths.Add(text.Length);
            foreach (var word in Words(text))
            {
                words.Add(word);
            }
        }

        lengths.Sort();
        var p99 = lengths.Count == 0 ? 0 : lengths[Math.Min(lengths.Count - 1, (int)Math.Ceiling(lengths.Count * 0.99) - 1)];
        return new TrainingProfile(words, p99);
    }

    /// <summary>Why a comment's visible text is unlike the training comments, or null when it is like them.</summary>
    public string? Unfamiliar(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int letters = 0, latin = 0, code = 0;
        foreach (var c in text)
        {
            if (char.IsLetter(c))
            {
                letters++;
                latin += c <= '\u024F' ? 1 : 0;
            }
            else if (c is '{' or '}' or ';' or '=' or '(' or ')' or '[' or ']' or '<' or '>' or '$' or '`' or '|' or '\\')
            {
                code++;
            }
        }

        if (letters >= 4 && latin < letters / 2)
        {
            return "another script or language than the training comments";
        }

        if (text.Length > MaxLength && MaxLength > 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"longer ({text.Length} characters) than 99 % of the training comments ({MaxLength})");
        }

        if (code >= 6 && code * 25 >= text.Length)
        {
            return "looks like code or a log";
        }

        var words = Words(text);
        if (words.Count >= MinWords && _words.Count > 0)
        {
            var known = words.Count(_words.Contains);
            if (known < words.Count * MinCoverage)
            {
                return string.Create(CultureInfo.InvariantCulture, $"only {known} of its {words.Count} words occur in the training comments");
            }
        }

        return null;
    }

    /// <summary>Writes the profile into a saved model file.</summary>
    internal void WriteInto(string modelPath)
    {
        using var zip = ZipFile.Open(modelPath, ZipArchiveMode.Update);
        zip.GetEntry(Entry)?.Delete();
        using var writer = new StreamWriter(zip.CreateEntry(Entry, CompressionLevel.Optimal).Open());
        writer.WriteLine(MaxLength.ToString(CultureInfo.InvariantCulture));
        foreach (var word in _words.Order(StringComparer.Ordinal))
        {
            writer.WriteLine(word);
        }
    }

    /// <summary>Reads the profile from a model file; null for a model saved without one.</summary>
    internal static TrainingProfile? ReadFrom(string modelPath)
    {
        using var zip = ZipFile.OpenRead(modelPath);
        if (zip.GetEntry(Entry) is not { } entry)
        {
            return null;
        }

        using var reader = new StreamReader(entry.Open());
        var maxLength = int.Parse(reader.ReadLine() ?? "0", CultureInfo.InvariantCulture);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { Length: > 0 } word)
        {
            words.Add(word);
        }

        return new TrainingProfile(words, maxLength);
    }

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        foreach (var m in Word().EnumerateMatches(text))
        {
            var word = text.Substring(m.Index, m.Length).ToLowerInvariant();
            if (!ContactFinder.MaskWords.Contains(word))
            {
                words.Add(word);
            }
        }

        return words;
    }

    [GeneratedRegex(@"\p{L}{2,}")]
    private static partial Regex Word();
}
