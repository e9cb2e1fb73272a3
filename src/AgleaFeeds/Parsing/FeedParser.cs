using System.Xml;
using System.Xml.Linq;

namespace AgleaFeeds.Parsing;

/// <summary>Detects a feed's format and reads it with the matching reader, repairing what the real web breaks.</summary>
public static class FeedParser
{
    /// <summary>How long one parse may take before the feed gets an error instead (a parser bug cannot hold a worker).</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    /// <summary>How many XML nodes one parse reads at most.</summary>
    public const long MaxNodes = 5_000_000;

    /// <summary>Parses a fetched document; never throws for malformed input, never runs past <see cref="Budget"/>.</summary>
    /// <remarks><paramref name="documentUrl"/> is where the document came from: relative links resolve against it.</remarks>
    public static ParseResult Parse(ReadOnlySpan<byte> body, string? httpCharset = null, Uri? documentUrl = null) => Parse(body, httpCharset, Budget, MaxNodes, documentUrl);

    /// <summary>Parses under a given time and node budget.</summary>
    internal static ParseResult Parse(ReadOnlySpan<byte> body, string? httpCharset, TimeSpan budget, long maxNodes, Uri? documentUrl = null)
    {
        var problems = new List<string>();
        if (body.IsEmpty)
        {
            return new ParseResult { Error = "Parsing: the response is empty.", Problems = problems };
        }

        using var text = FeedText.Prepare(body, httpCharset, problems);
        if (LooksLikeHtml(text.Span))
        {
            return new ParseResult { Error = "Parsing: expected a feed but got an HTML page.", Problems = problems };
        }

        if (Safety.MarkupDepth.XmlExceeds(text.Span, Safety.MarkupDepth.XmlCap))
        {
            return new ParseResult { Error = $"Parsing: the document nests elements more than {Safety.MarkupDepth.XmlCap} deep; refused as hostile or broken.", Problems = problems };
        }

        try
        {
            return new ParseResult { Feed = FeedScreen.Apply(ParseXml(text, problems, new ParseBudget(budget, maxNodes)), problems, documentUrl), Problems = problems };
        }
        catch (ParseBudgetException ex)
        {
            return new ParseResult { Error = ex.Message, Problems = problems };
        }
        catch (XmlException ex)
        {
            return new ParseResult { Error = $"Parsing: the feed is not well-formed XML: {ex.Message}", Problems = problems };
        }
        catch (FeedFormatException ex)
        {
            return new ParseResult { Error = ex.Message, Problems = problems };
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            // System.ServiceModel.Syndication reports documents it cannot map with these.
            return new ParseResult { Error = $"Parsing: {ex.Message}", Problems = problems };
        }
    }

    /// <summary>The time and node budget of one parse, shared by every reader it opens.</summary>
    private sealed class ParseBudget(TimeSpan time, long nodes)
    {
        private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();

        public XmlReader Open(FeedDocument text) =>
            new BudgetedXmlReader(XmlReader.Create(text.OpenReader(), FeedText.SafeSettings), time - System.Diagnostics.Stopwatch.GetElapsedTime(_started), nodes);
    }

    private static ParsedFeed ParseXml(FeedDocument text, List<string> problems, ParseBudget budget)
    {
        using var reader = budget.Open(text);
        reader.MoveToContent();
        var (name, ns) = (reader.LocalName, reader.NamespaceURI);
        switch (name, ns)
        {
            case ("rss", ""):
                var version = reader.GetAttribute("version")?.Trim();
                return version is "2.0" or "2.00" or "2"
                    ? WithFallback(() => SyndicationReader.Read(reader, "RSS 2.0", problems), text, problems, budget)
                    : Tolerantly(text, problems, budget, version is null ? "Parsing: <rss> has no version attribute; read as RSS 2.0 would be." : null);
            case ("rss", _):
                return Tolerantly(text, problems, budget, $"Parsing: <rss> is in the namespace {ns}; read as if it were not.");
            case ("feed", Namespaces.Atom10):
                return WithFallback(() => SyndicationReader.Read(reader, "Atom 1.0", problems), text, problems, budget);
            case ("feed", Namespaces.Atom03):
                return TolerantReader.Read(XDocument.Load(reader), problems);
            case ("feed", _) when TolerantReader.IsAtom(ns):
                return Tolerantly(text, problems, budget, $"Parsing: a pre-1.0 Atom namespace ({ns}); read as Atom.");
            case ("RDF", Namespaces.Rdf):
                return LegacyFeedReader.ReadRdf(XDocument.Load(reader), problems);
            case ("html", _):
                throw new FeedFormatException("Parsing: expected a feed but got an HTML page.");
            default:
                throw new FeedFormatException($"Parsing: unable to detect feed format (root element <{name}>{(ns.Length > 0 ? $" in {ns}" : string.Empty)}).");
        }
    }

    /// <summary>
    /// Reads with System.ServiceModel.Syndication; where it refuses the document (one element it cannot map
    /// costs it the whole feed), the tolerant LINQ to XML reader takes it, and the repair is reported.
    /// </summary>
    private static ParsedFeed WithFallback(Func<ParsedFeed> read, FeedDocument text, List<string> problems, ParseBudget budget)
    {
        var before = problems.Count;
        try
        {
            var feed = read();
            // The strict reader can also stop early without a word (a feed-level element it misreads): when the
            // document holds more entries than it returned, the tolerant reader's count is taken if higher.
            if (EntryTags(text.Span) > feed.Entries.Count)
            {
                var own = new List<string>();
                var tolerant = Tolerantly(text, own, budget, null);
                if (tolerant.Entries.Count > feed.Entries.Count)
                {
                    problems.RemoveRange(before, problems.Count - before);
                    problems.Add($"Parsing: the strict reader returned {feed.Entries.Count} of {tolerant.Entries.Count} entries; read tolerantly.");
                    problems.AddRange(own);
                    return tolerant;
                }
            }

            return feed;
        }
        catch (Exception ex) when (ex is XmlException or FormatException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            problems.RemoveRange(before, problems.Count - before);
            return Tolerantly(text, problems, budget, $"Parsing: the strict reader refused the feed ({Truncate(ex.Message)}); read tolerantly.");
        }
    }

    private static ParsedFeed Tolerantly(FeedDocument text, List<string> problems, ParseBudget budget, string? repair)
    {
        XDocument doc;
        using (var reader = budget.Open(text))
        {
            doc = XDocument.Load(reader);
        }

        if (repair is not null)
        {
            problems.Add(repair);
        }

        return TolerantReader.Read(doc, problems);
    }

    /// <summary>How many item or entry start tags the text holds (an upper bound: CDATA may hold some too).</summary>
    private static int EntryTags(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var tag in (string[])["item", "entry"])
        {
            for (var at = text.IndexOf(tag, StringComparison.Ordinal); at >= 0; at = Next(text, tag, at + tag.Length))
            {
                var end = at + tag.Length;
                if (at > 0 && (text[at - 1] == '<' || (text[at - 1] == ':' && text[..(at - 1)].LastIndexOf('<') is var lt and >= 0 && text.Slice(lt + 1, at - 1 - lt).IndexOfAny(" >/\"'") < 0))
                    && end < text.Length && text[end] is ' ' or '>' or '/' or '\t' or '\n' or '\r')
                {
                    count++;
                }
            }
        }

        return count;

        static int Next(ReadOnlySpan<char> text, string tag, int from) => text[from..].IndexOf(tag, StringComparison.Ordinal) is var i and >= 0 ? from + i : -1;
    }

    private static string Truncate(string s) => s.Length > 120 ? s[..120] + "…" : s;

    private static bool LooksLikeHtml(ReadOnlySpan<char> text)
    {
        var start = text.TrimStart();
        return start.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase)
            || start.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }

    private sealed class FeedFormatException(string message) : Exception(message);
}
