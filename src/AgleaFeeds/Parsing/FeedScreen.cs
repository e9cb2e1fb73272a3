using AgleaFeeds.Safety;

namespace AgleaFeeds.Parsing;

/// <summary>
/// What every reader's output goes through before anything stores it: only http(s) (or relative)
/// links, and no markup nested past <see cref="MarkupDepth.FragmentCap"/>. One hostile field costs
/// that field, never the feed, and each kind of removal is reported.
/// </summary>
internal static class FeedScreen
{
    public static ParsedFeed Apply(ParsedFeed feed, List<string> problems, Uri? documentUrl = null)
    {
        var links = 0;
        var deep = 0;
        string? Url(string? value)
        {
            // Relative links resolve against the document's own URL where it is known.
            var screened = SafeUrl.Resolve(value, documentUrl);
            if (screened is null && !string.IsNullOrWhiteSpace(value))
            {
                links++;
            }

            return screened;
        }

        // Titles are text already, but a legacy reader passes an escaped-HTML title through as it came.
        string? Html(string? value)
        {
            if (value is not null && value.Contains('<', StringComparison.Ordinal) && MarkupDepth.HtmlExceeds(value, MarkupDepth.FragmentCap))
            {
                deep++;
                return null;
            }

            return value;
        }

        // An entry nothing was changed in is kept as it is (a poll screens every comment of every feed it reads).
        var entries = new List<ParsedEntry>(feed.Entries.Count);
        foreach (var e in feed.Entries)
        {
            var (link, commentsUrl, commentFeedUrl) = (Url(e.Link), Url(e.CommentsUrl), Url(e.CommentFeedUrl));
            var (title, summary, content) = (Html(e.Title), Html(e.SummaryHtml), Html(e.ContentHtml));
            var enclosures = e.Enclosures.Count == 0 ? e.Enclosures : e.Enclosures.Select(x => Url(x.Url) is { } u ? x with { Url = u } : null).OfType<Enclosure>().ToList();
            var same = ReferenceEquals(link, e.Link) && ReferenceEquals(commentsUrl, e.CommentsUrl) && ReferenceEquals(commentFeedUrl, e.CommentFeedUrl)
                && ReferenceEquals(title, e.Title) && ReferenceEquals(summary, e.SummaryHtml) && ReferenceEquals(content, e.ContentHtml) && ReferenceEquals(enclosures, e.Enclosures);
            entries.Add(same ? e : e with
            {
                Link = link,
                CommentsUrl = commentsUrl,
                CommentFeedUrl = commentFeedUrl,
                Title = title,
                SummaryHtml = summary,
                ContentHtml = content,
                Enclosures = enclosures,
            });
        }

        var screened = feed with { SiteUrl = Url(feed.SiteUrl), Entries = entries };
        if (links > 0)
        {
            problems.Add($"Parsing: dropped {links} link(s) that are not http or https (script and data addresses are never kept).");
        }

        if (deep > 0)
        {
            problems.Add($"Parsing: dropped {deep} field(s) whose markup nests more than {MarkupDepth.FragmentCap} elements deep (hostile or broken).");
        }

        return screened;
    }
}
