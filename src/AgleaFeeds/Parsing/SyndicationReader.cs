using System.Globalization;
using System.ServiceModel.Syndication;
using System.Xml;

namespace AgleaFeeds.Parsing;

/// <summary>Reads RSS 0.9x/2.0 and Atom 1.0 with System.ServiceModel.Syndication and adapts them, WordPress extensions included.</summary>
internal static class SyndicationReader
{
    /// <summary>Reads an RSS 2.0 family or Atom 1.0 document; the reader must be positioned on the root element.</summary>
    public static ParsedFeed Read(XmlReader reader, string format, List<string> problems)
    {
        var badDates = 0;
        bool ParseDate(XmlDateTimeData data, out DateTimeOffset value)
        {
            if (DateParser.TryParse(data.DateTimeString, out value))
            {
                return true;
            }

            // Returning false would fail the whole feed: keep the entry, without this date.
            badDates++;
            value = DateTimeOffset.MinValue;
            return true;
        }

        bool ParseUri(XmlUriData data, out Uri? uri)
        {
            var raw = data.UriString?.Trim() ?? string.Empty;
            if (!Uri.TryCreate(raw, data.UriKind, out uri))
            {
                problems.Add($"Parsing: ignored the unreadable URL \"{Truncate(raw)}\".");
                uri = null;
            }

            return true;
        }

        SyndicationFeedFormatter formatter = format.StartsWith("Atom", StringComparison.Ordinal)
            ? new Atom10FeedFormatter<WordPressFeed> { DateTimeParser = ParseDate, UriParser = ParseUri, PreserveElementExtensions = false }
            : new Rss20FeedFormatter<WordPressFeed> { DateTimeParser = ParseDate, UriParser = ParseUri, PreserveElementExtensions = false };
        formatter.ReadFrom(reader);
        var feed = (WordPressFeed)formatter.Feed;
        if (badDates > 0)
        {
            problems.Add($"Parsing: {badDates} unreadable date(s) left empty.");
        }

        return new ParsedFeed
        {
            Format = format,
            Title = PlainText(feed.Title, problems),
            SiteUrl = Alternate(feed.Links) ?? feed.BaseUri?.ToString(),
            Generator = feed.Generator,
            UpdateInterval = feed.TimeToLive ?? UpdateInterval(feed.UpdatePeriod, feed.UpdateFrequency),
            Entries = feed.Items.Select(item => Adapt((WordPressItem)item, feed, problems)).ToList(),
        };
    }

    private static ParsedEntry Adapt(WordPressItem item, SyndicationFeed feed, List<string> problems)
    {
        var content = item.Content as TextSyndicationContent;
        // A MIME-typed Atom content (text/plain, application/xhtml+xml, base64 binary types) is XML content to the formatter.
        var typed = item.Content is XmlSyndicationContent xml ? TypedContent(xml, problems) : null;
        // The xml:base in scope for the entry (its own over the feed's) applies to relative addresses in its HTML.
        var contentBase = item.BaseUri is { IsAbsoluteUri: true } own ? own
            : item.BaseUri is { } relative && feed.BaseUri is { IsAbsoluteUri: true } feedBase && Uri.TryCreate(feedBase, relative, out var combined) ? combined
            : feed.BaseUri is { IsAbsoluteUri: true } b ? b : null;
        return new ParsedEntry
        {
            Guid = NullIfEmpty(item.Id),
            // No link: a guid or id that is a web address is one (feedparser does the same).
            Link = Alternate(item.Links) ?? item.Links.Where(l => l.RelationshipType is not ("enclosure" or "replies" or "self")).Select(LinkString).FirstOrDefault(l => l is not null)
                ?? (Uri.TryCreate(item.Id, UriKind.Absolute, out var idUrl) && Safety.SafeUrl.IsHttp(idUrl) ? item.Id : null),
            Title = PlainText(item.Title, problems) ?? NullIfEmpty(item.DcTitle),
            PublishedAt = Date(item.PublishDate) ?? Parsed(item.DcDate, problems) ?? Parsed(item.Issued, problems),
            UpdatedAt = Date(item.LastUpdatedTime) ?? Parsed(item.Modified, problems),
            Author = PersonName(NullIfEmpty(item.Creator)
                ?? item.Authors.Select(a => NullIfEmpty(a.Name) ?? NullIfEmpty(a.Email)).FirstOrDefault(a => a is not null)
                ?? feed.Authors.Select(a => NullIfEmpty(a.Name) ?? NullIfEmpty(a.Email)).FirstOrDefault(a => a is not null)),
            SummaryHtml = ContentUrls.Absolute(NullIfEmpty(item.Summary?.Text), contentBase) ?? (NullIfEmpty(item.MediaDescription) is { } media ? System.Net.WebUtility.HtmlEncode(media.Trim()) : null),
            ContentHtml = ContentUrls.Absolute(NullIfEmpty(item.ContentEncoded) ?? NullIfEmpty(content?.Text) ?? typed, contentBase),
            // Most items (every comment) have none: no query built for them.
            Categories = item.Categories.Count == 0 && item.Subjects.Count == 0 ? []
                : item.Categories.Select(c => (c.Label ?? c.Name)?.Trim()).Concat(item.Subjects).OfType<string>().Where(c => c.Length > 0).Distinct().ToList(),
            CommentsUrl = NullIfEmpty(item.Comments) ?? item.Links.FirstOrDefault(l => l.RelationshipType == "replies" && l.MediaType == "text/html")?.GetAbsoluteUri()?.ToString(),
            CommentFeedUrl = NullIfEmpty(item.CommentRss) ?? item.Links.FirstOrDefault(l => l.RelationshipType == "replies" && l.MediaType != "text/html")?.GetAbsoluteUri()?.ToString(),
            CommentCount = Int(item.CommentCount),
            Enclosures = HasEnclosure(item.Links)
                ? item.Links.Where(l => l.RelationshipType == "enclosure" && LinkString(l) is not null)
                    .Select(l => new Enclosure(LinkString(l)!, NullIfEmpty(l.MediaType), l.Length > 0 ? l.Length : null)).ToList()
                : [],
        };
    }

    private static string? TypedContent(XmlSyndicationContent content, List<string> problems)
    {
        using var reader = content.GetReaderAtContent();
        reader.MoveToContent();
        return System.Xml.Linq.XNode.ReadFrom(reader) is System.Xml.Linq.XElement element ? TolerantReader.Construct(element, problems) : null;
    }

    /// <summary>A link's address: absolute (xml:base applied), else as written, for the document URL to resolve.</summary>
    private static string? LinkString(SyndicationLink link) => link.GetAbsoluteUri()?.ToString() ?? NullIfEmpty(link.Uri?.OriginalString);

    /// <summary>
    /// A person's name from RSS's "email (Name)" or "Name &lt;email&gt;"; anything else as it is.
    /// </summary>
    internal static string? PersonName(string? value)
    {
        if (value is null || !value.Contains('@', StringComparison.Ordinal))
        {
            return value?.Trim();
        }

        var m = System.Text.RegularExpressions.Regex.Match(value, @"^\s*\S+@\S+\s*\((.+)\)\s*$");
        if (m.Success)
        {
            return m.Groups[1].Value.Trim();
        }

        m = System.Text.RegularExpressions.Regex.Match(value, @"^\s*(.+?)\s*<\S+@\S+>\s*$");
        return m.Success ? m.Groups[1].Value.Trim().Trim('"') : value.Trim();
    }

    /// <summary>Titles are plain text: an Atom type="html" or "xhtml" title loses its markup and entities.</summary>
    private static string? PlainText(TextSyndicationContent? content, List<string> problems)
    {
        if (content?.Text is not { } text)
        {
            return null;
        }

        if (content.Type is "html" or "xhtml")
        {
            // Measured before parsing, and read without recursion: a title nesting 33,000 elements once killed the process.
            var plain = Safety.HtmlFragment.ToText(text);
            if (plain is null)
            {
                problems.Add($"Parsing: dropped a title whose markup nests more than {Safety.MarkupDepth.FragmentCap} elements deep (hostile or broken).");
            }

            text = plain ?? string.Empty;
        }

        return NullIfEmpty(text.Trim());
    }

    private static string? Alternate(IList<SyndicationLink> links)
    {
        // By index: every item of every feed passes here (a foreach over the collection boxes its enumerator).
        for (var i = 0; i < links.Count; i++)
        {
            if ((string.IsNullOrEmpty(links[i].RelationshipType) || links[i].RelationshipType == "alternate") && LinkString(links[i]) is { } link)
            {
                return link;
            }
        }

        return null;
    }

    private static bool HasEnclosure(IList<SyndicationLink> links)
    {
        for (var i = 0; i < links.Count; i++)
        {
            if (links[i].RelationshipType == "enclosure")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A Dublin Core date, or null (reported) when unreadable.</summary>
    private static DateTimeOffset? Parsed(string? text, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateParser.TryParse(text, out var value))
        {
            return value;
        }

        problems.Add($"Parsing: ignored the unreadable date \"{Truncate(text)}\".");
        return null;
    }

    private static DateTimeOffset? Date(DateTimeOffset value) =>
        value == default || value == DateTimeOffset.MinValue ? null : value.ToUniversalTime();

    internal static TimeSpan? UpdateInterval(string? period, string? frequencyText)
    {
        if (period is null)
        {
            return null;
        }

        var unit = period.ToLowerInvariant() switch
        {
            "hourly" => TimeSpan.FromHours(1),
            "daily" => TimeSpan.FromDays(1),
            "weekly" => TimeSpan.FromDays(7),
            "monthly" => TimeSpan.FromDays(30),
            "yearly" => TimeSpan.FromDays(365),
            _ => (TimeSpan?)null,
        };
        var frequency = Int(frequencyText) is { } f && f > 0 ? f : 1;
        return unit / frequency;
    }

    internal static int? Int(string? s) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : null;

    internal static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private static string Truncate(string s) => s.Length > 80 ? s[..80] + "…" : s;
}
