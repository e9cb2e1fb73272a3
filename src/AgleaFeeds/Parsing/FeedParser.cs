using System.Xml;
using System.Xml.Linq;

namespace AgleaFeeds.Parsing;

/// <summary>Detects a feed's format and reads it with the matching reader, repairing what the real web breaks.</summary>
public static class FeedParser
{
    /// <summary>Parses a fetched document; never throws for malformed input.</summary>
    public static ParseResult Parse(ReadOnlySpan<byte> body, string? httpCharset = null)
    {
        var problems = new List<string>();
        if (body.IsEmpty)
        {
            return new ParseResult { Error = "Parsing: the response is empty.", Problems = problems };
        }

        var text = FeedText.Prepare(body, httpCharset, problems);
        if (LooksLikeHtml(text))
        {
            return new ParseResult { Error = "Parsing: expected a feed but got an HTML page.", Problems = problems };
        }

        if (Safety.MarkupDepth.XmlExceeds(text, FeedText.SafeSettings, Safety.MarkupDepth.XmlCap))
        {
            return new ParseResult { Error = $"Parsing: the document nests elements more than {Safety.MarkupDepth.XmlCap} deep; refused as hostile or broken.", Problems = problems };
        }

        try
        {
            return new ParseResult { Feed = FeedScreen.Apply(ParseXml(text, problems), problems), Problems = problems };
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

    private static ParsedFeed ParseXml(string text, List<string> problems)
    {
        using var reader = XmlReader.Create(new StringReader(text), FeedText.SafeSettings);
        reader.MoveToContent();
        var (name, ns) = (reader.LocalName, reader.NamespaceURI);
        switch (name, ns)
        {
            case ("rss", _):
                var version = reader.GetAttribute("version")?.Trim();
                return version is null or "2.0" or "2.00" or "2"
                    ? SyndicationReader.Read(reader, "RSS 2.0", problems)
                    : LegacyFeedReader.ReadRss09x(XDocument.Load(reader), $"RSS {version}", problems);
            case ("feed", Namespaces.Atom10):
                return SyndicationReader.Read(reader, "Atom 1.0", problems);
            case ("feed", Namespaces.Atom03):
                return LegacyFeedReader.ReadAtom03(XDocument.Load(reader), problems);
            case ("RDF", Namespaces.Rdf):
                return LegacyFeedReader.ReadRdf(XDocument.Load(reader), problems);
            case ("html", _):
                throw new FeedFormatException("Parsing: expected a feed but got an HTML page.");
            default:
                throw new FeedFormatException($"Parsing: unable to detect feed format (root element <{name}>{(ns.Length > 0 ? $" in {ns}" : string.Empty)}).");
        }
    }

    private static bool LooksLikeHtml(string text)
    {
        var start = text.AsSpan().TrimStart();
        return start.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase)
            || start.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }

    private sealed class FeedFormatException(string message) : Exception(message);
}
