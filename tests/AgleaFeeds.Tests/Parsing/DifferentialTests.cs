using System.Text.Json;
using AgleaFeeds.Parsing;

namespace AgleaFeeds.Tests.Parsing;

/// <summary>
/// A corpus of the project's own making (TestData/differential: RSS 0.91/0.92/1.0/2.0, RSS without version,
/// in a namespace, Atom 0.3, 1.0 and a draft, WordPress, Blogger, Medium, Substack, YouTube, GitHub
/// releases, a podcast, Dublin Core, odd elements) read by FeedParser and by Debian's python3-feedparser;
/// titles, links, ids, dates, authors, categories, enclosures and content text compared entry by entry.
/// Every disagreement is either fixed or listed below, deliberate, with its reason.
/// </summary>
public class DifferentialTests
{
    private const string Python = "/usr/bin/python3";
    private const string Base = "https://corpus.example/feed/";

    private const string Script = """
        import feedparser, json, sys, calendar, os
        out = {}
        for path in sys.argv[2:]:
            d = feedparser.parse(path, response_headers={'content-location': sys.argv[1]})
            entries = []
            for e in d.entries:
                t = e.get('published_parsed') or e.get('updated_parsed')
                content = (e.get('content') or [{}])[0].get('value') or e.get('summary')
                entries.append({'title': e.get('title'), 'link': e.get('link'), 'id': e.get('id'),
                    'date': calendar.timegm(t) if t else None, 'author': e.get('author'),
                    'tags': [x.get('term') for x in e.get('tags', [])],
                    'enclosures': [x.get('href') for x in e.get('enclosures', [])], 'content': content})
            out[os.path.basename(path)] = entries
        print(json.dumps(out, ensure_ascii=False))
        """;

    /// <summary>(file, entry, field) where we read otherwise than feedparser, on purpose.</summary>
    private static readonly Dictionary<(string File, int Entry, string Field), string> Deliberate = new()
    {
        [("rss20.xml", 0, "author")] = "RSS's \"email (Name)\" author is the person's name to us; feedparser keeps the whole string in author.",
        [("odd-elements.xml", 0, "author")] = "of two dc:creator the first is the author (WordPress writes one); feedparser keeps the last.",
        [("atom10.xml", 0, "tags")] = "an Atom category's label is what readers see; feedparser's tags list the term.",
        [("atom03.xml", 0, "author")] = "an entry without an author has the feed's (RFC 4287 4.2.1, Atom 0.3 alike); feedparser leaves it empty.",
    };

    [SkippableFact]
    public async Task Corpus_ReadByFeedParserAndPythonFeedparser_AgreesOnEveryFieldButTheDeliberateOnes()
    {
        AgleaFeeds.Testing.Tool.Require("/usr/lib/python3/dist-packages/feedparser/__init__.py", "python3-feedparser");
        var files = Directory.GetFiles(TestFiles.Data("differential"), "*.xml").Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count >= 18, "the corpus is in TestData/differential");
        var theirs = await FeedparserAsync(files);

        var differences = new List<string>();
        var compared = 0;
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var result = FeedParser.Parse(File.ReadAllBytes(file), null, new Uri(Base));
            if (result.Feed is null)
            {
                differences.Add($"{name}: refused ({result.Error})");
                continue;
            }

            var expected = theirs.GetProperty(name);
            if (expected.GetArrayLength() != result.Feed.Entries.Count)
            {
                differences.Add($"{name}: {result.Feed.Entries.Count} entries, feedparser {expected.GetArrayLength()}");
                continue;
            }

            for (var i = 0; i < result.Feed.Entries.Count; i++)
            {
                var ours = result.Feed.Entries[i];
                var fp = expected[i];
                void Compare(string field, string? mine, string? reference)
                {
                    compared++;
                    if (Normalize(mine) != Normalize(reference) && !Deliberate.ContainsKey((name, i, field)))
                    {
                        differences.Add($"{name} #{i} {field}: ours \"{mine}\", feedparser \"{reference}\"");
                    }
                }

                Compare("title", ours.Title, Str(fp, "title"));
                Compare("link", ours.Link, Str(fp, "link"));
                Compare("id", ours.Guid, Str(fp, "id"));
                Compare("date", (ours.PublishedAt ?? ours.UpdatedAt)?.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), fp.GetProperty("date").ValueKind == JsonValueKind.Number ? fp.GetProperty("date").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
                Compare("author", ours.Author, Str(fp, "author"));
                Compare("tags", string.Join(", ", ours.Categories.Order(StringComparer.Ordinal)), string.Join(", ", fp.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Order(StringComparer.Ordinal)));
                Compare("enclosures", string.Join(", ", ours.Enclosures.Select(x => x.Url)), string.Join(", ", fp.GetProperty("enclosures").EnumerateArray().Select(t => t.GetString())));
                Compare("content", AgleaFeeds.Safety.HtmlFragment.ToText(ours.ContentHtml ?? ours.SummaryHtml), AgleaFeeds.Safety.HtmlFragment.ToText(Str(fp, "content")));
            }
        }

        Assert.True(differences.Count == 0, $"{differences.Count} disagreement(s) with feedparser in {compared} fields:\n" + string.Join("\n", differences));
        Assert.True(compared >= 150, $"only {compared} fields compared");
    }

    private static string? Str(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.String ? e.GetProperty(name).GetString() : null;

    private static string? Normalize(string? s) => string.IsNullOrWhiteSpace(s) ? null : string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static async Task<JsonElement> FeedparserAsync(IEnumerable<string> files)
    {
        var (code, stdout, stderr) = await AgleaFeeds.Testing.Tool.RunApartAsync(Python, ["-c", Script, Base, .. files]);
        Assert.True(code == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }
}
