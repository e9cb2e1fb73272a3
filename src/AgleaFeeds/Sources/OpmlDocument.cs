using System.Xml;
using System.Xml.Linq;
using AgleaFeeds.Parsing;
using AgleaFeeds.Storage;

namespace AgleaFeeds.Sources;

/// <summary>Reads and writes OPML 2.0 subscription lists (outline title/text, xmlUrl, htmlUrl).</summary>
public static class OpmlDocument
{
    /// <summary>
    /// Reads every outline with an xmlUrl, nested folders included; throws <see cref="XmlException"/> on a
    /// broken file. An xmlUrl or htmlUrl written as a path ("/samples/agla/feed/") is on this service and
    /// is resolved against <paramref name="self"/>; without it such outlines are skipped.
    /// </summary>
    public static IReadOnlyList<SourceDefinition> Read(Stream stream, Uri? self = null)
    {
        using var reader = XmlReader.Create(stream, FeedText.SafeSettings);
        var doc = XDocument.Load(reader);
        if (doc.Root?.Name.LocalName != "opml")
        {
            throw new XmlException($"Sources: not an OPML document (root element <{doc.Root?.Name.LocalName}>).");
        }

        return doc.Descendants("outline")
            .Select(o => (Outline: o, Url: OnThisService(((string?)o.Attribute("xmlUrl"))?.Trim(), self)))
            .Where(x => Uri.TryCreate(x.Url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps))
            .Select(x => new SourceDefinition(
                Title: ((string?)x.Outline.Attribute("title") ?? (string?)x.Outline.Attribute("text"))?.Trim() is { Length: > 0 } t ? t : x.Url!,
                FeedUrl: x.Url!,
                SiteUrl: OnThisService(((string?)x.Outline.Attribute("htmlUrl"))?.Trim(), self),
                PollInterval: Interval((string?)x.Outline.Attribute("pollInterval"))))
            .DistinctBy(s => s.FeedUrl)
            .ToList();
    }

    private static string? OnThisService(string? url, Uri? self) =>
        self is not null && url is { Length: > 1 } && url[0] == '/' && url[1] != '/' ? new Uri(self, url).AbsoluteUri : url;

    /// <summary>AgleaFeeds' own outline attribute pollInterval: minutes ("30") or a TimeSpan ("01:00:00"), at least a minute.</summary>
    private static TimeSpan? Interval(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var interval = int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var minutes)
            ? TimeSpan.FromMinutes(minutes)
            : TimeSpan.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var span) ? span : throw new XmlException($"Sources: pollInterval \"{value}\" is neither minutes nor a time span.");
        return interval >= TimeSpan.FromMinutes(1) ? interval : throw new XmlException($"Sources: pollInterval \"{value}\" is shorter than a minute.");
    }

    /// <summary>Writes sources as OPML 2.0.</summary>
    public static XDocument Write(IEnumerable<Model.Source> sources, DateTimeOffset now) => new(
        new XElement("opml", new XAttribute("version", "2.0"),
            new XElement("head", new XElement("title", "AgleaFeeds sources"), new XElement("dateCreated", now.ToString("R"))),
            new XElement("body", sources.Select(s => new XElement("outline",
                new XAttribute("type", "rss"),
                new XAttribute("text", s.Title),
                new XAttribute("title", s.Title),
                new XAttribute("xmlUrl", s.FeedUrl),
                s.PollInterval > TimeSpan.Zero ? new XAttribute("pollInterval", (int)s.PollInterval.TotalMinutes) : null,
                s.SiteUrl is null ? null : new XAttribute("htmlUrl", s.SiteUrl))))));
}
