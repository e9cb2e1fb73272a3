using Microsoft.ML;
using Microsoft.ML.Data;

namespace AgleaFeeds.Scoring;

/// <summary>
/// Reads labelled comments through ML.NET's text loader (quoted CSV with newlines inside fields):
/// the YouTube Spam Collection CSV (COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS), the SMS Spam Collection
/// TSV (label TAB text) and a generic labelled CSV with a header naming content and label columns
/// (labels spam/ham or 1/0; optional author, author_url, author_email).
/// </summary>
public static class SpamCorpus
{
    /// <summary>Reads a labelled file, choosing the format from its first line; throws <see cref="FormatException"/> with the reason.</summary>
    public static IReadOnlyList<LabelledComment> Read(string path)
    {
        var (comments, labelled) = ReadAny(path);
        return labelled ? comments : throw new FormatException($"Scoring: {path} has no label column (spam/ham or 1/0).");
    }

    /// <summary>Reads a labelled file, or a CSV with a content column and no label (every comment then reads as ham, and Labelled is false).</summary>
    public static (IReadOnlyList<LabelledComment> Comments, bool Labelled) ReadAny(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Scoring: no file at {Path.GetFullPath(path)}.", path);
        }

        var firstLine = File.ReadLines(path).FirstOrDefault() ?? throw new FormatException($"Scoring: {path} is empty.");
        var header = SplitHeader(firstLine);
        if (header.Contains("CONTENT") && header.Contains("CLASS"))
        {
            return (ReadCsv(path, header, "CONTENT", "CLASS", "AUTHOR", null, null, youTube: true), true);
        }

        if (header.Contains("content"))
        {
            var labelled = header.Contains("label");
            return (ReadCsv(path, header, "content", labelled ? "label" : null, "author", "author_url", "author_email", youTube: false), labelled);
        }

        if (firstLine.StartsWith("ham\t", StringComparison.Ordinal) || firstLine.StartsWith("spam\t", StringComparison.Ordinal))
        {
            return (ReadSmsTsv(path), true);
        }

        throw new FormatException($"Scoring: {path} is neither a CSV with a header naming a content column (and a label column: spam/ham or 1/0), the YouTube CSV nor the SMS TSV.");
    }

    private static List<string> SplitHeader(string line) =>
        line.Split(',').Select(c => c.Trim().Trim('"').Trim()).ToList();

    private static List<LabelledComment> ReadCsv(string path, List<string> header, string content, string? label, string? author, string? url, string? email, bool youTube)
    {
        var ml = new MLContext(seed: 1);
        int Index(string? name) => name is null ? -1 : header.IndexOf(name);
        var columns = new List<TextLoader.Column>
        {
            new("Content", DataKind.String, Index(content)),
            new("Label", DataKind.String, label is null ? Index(content) : Index(label)),
        };
        foreach (var (name, column) in new[] { ("Author", author), ("AuthorUrl", url), ("AuthorEmail", email) })
        {
            columns.Add(Index(column) is >= 0 and var i ? new TextLoader.Column(name, DataKind.String, i) : new TextLoader.Column(name, DataKind.String, Index(content)));
        }

        var loader = ml.Data.CreateTextLoader(new TextLoader.Options
        {
            Separators = [','],
            HasHeader = true,
            AllowQuoting = true,
            ReadMultilines = true,
            EscapeChar = '"',
            TrimWhitespace = false,
            Columns = [.. columns],
        });
        var rows = ml.Data.CreateEnumerable<Row>(loader.Load(path), reuseRowObject: false);
        var result = new List<LabelledComment>();
        foreach (var row in rows)
        {
            var isSpam = label is not null && row.Label?.Trim().ToLowerInvariant() switch
            {
                "1" or "spam" or "true" => true,
                "0" or "ham" or "false" => false,
                var other => throw new FormatException($"Scoring: {path}: label \"{other}\" is neither spam/ham nor 1/0."),
            };
            result.Add(new LabelledComment(
                Clean(row.Content),
                isSpam,
                Optional(row.Author, row.Content),
                youTube ? null : Optional(row.AuthorUrl, row.Content),
                youTube ? null : Optional(row.AuthorEmail, row.Content)));
        }

        return result;
    }

    private static List<LabelledComment> ReadSmsTsv(string path)
    {
        var ml = new MLContext(seed: 1);
        var loader = ml.Data.CreateTextLoader(new TextLoader.Options
        {
            Separators = ['\t'],
            HasHeader = false,
            AllowQuoting = false,
            Columns = [new("Label", DataKind.String, 0), new("Content", DataKind.String, 1), new("Author", DataKind.String, 0), new("AuthorUrl", DataKind.String, 0), new("AuthorEmail", DataKind.String, 0)],
        });
        return ml.Data.CreateEnumerable<Row>(loader.Load(path), reuseRowObject: false)
            .Where(r => r.Label is "spam" or "ham")
            .Select(r => new LabelledComment(Clean(r.Content), r.Label == "spam"))
            .ToList();
    }

    // The YouTube export ends comments with a zero-width no-break space.
    private static string Clean(string? s) => (s ?? string.Empty).Replace("\uFEFF", string.Empty, StringComparison.Ordinal).Trim();

    private static string? Optional(string? value, string? content) => string.IsNullOrWhiteSpace(value) || value == content ? null : value.Trim();

    private sealed class Row
    {
        public string? Content { get; set; }
        public string? Label { get; set; }
        public string? Author { get; set; }
        public string? AuthorUrl { get; set; }
        public string? AuthorEmail { get; set; }
    }
}
