using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using AgleaFeeds.Storage;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Publishing;

/// <summary>Which curated feed.</summary>
public enum FeedKind
{
    Posts,
    Comments,
    PostComments,
    All,
}

/// <summary>
/// Builds the curated Atom 1.0 feeds (RFC 4287) from the store: posts with their whole (scraped)
/// content, approved comments threaded with RFC 4685, pages linked with RFC 5005. Ids never change
/// when content does: the original guid when it is a URI, else a tag: URI. HTML is sanitized here,
/// on the way out; the store keeps what was fetched.
/// </summary>
public sealed class CuratedFeedBuilder(IFeedStore store, ContentSanitizer sanitizer, IOptions<PublishingOptions> options, Fetching.SelfOrigin self)
{
    private const string Thr = "http://purl.org/syndication/thread/1.0";
    private readonly PublishingOptions _o = options.Value;
    private readonly PostFilter _filter = new(options.Value.KeepRules, options.Value.BlockRules);

    /// <summary>The path of a feed, relative to the public base URL.</summary>
    public static string PathOf(FeedKind kind, long? postId) => kind switch
    {
        FeedKind.Posts => "/feeds/posts.atom",
        FeedKind.Comments => "/feeds/comments.atom",
        FeedKind.PostComments => $"/feeds/posts/{postId}/comments.atom",
        _ => "/feeds/all.atom",
    };

    /// <summary>Builds one page (1-based) of a feed as UTF-8 bytes without a BOM; null when the post does not exist.</summary>
    public async Task<(byte[] Body, DateTimeOffset Updated, int Entries)?> BuildAsync(FeedKind kind, long? postId, int page, CancellationToken ct)
    {
        var size = _o.PageSize;
        var offset = (page - 1) * size;
        var entries = new List<SyndicationItem>();
        var title = _o.Title;
        if (kind is FeedKind.Posts or FeedKind.All)
        {
            // "All" pages through posts and comments together: take a page of each and keep the newest.
            // Rules filter a fetched page, so a page can hold fewer entries than PageSize; paging links stay right.
            foreach (var p in await store.ListFeedPostsAsync(kind == FeedKind.All ? 0 : offset, kind == FeedKind.All ? offset + size : size, ct).ConfigureAwait(false))
            {
                ct.ThrowIfCancellationRequested();
                if (_filter.Allows(p.Post.PageTitle ?? p.Post.Title, p.Post.PageAuthor ?? p.Post.Author, p.Post.PageCategories.Count > 0 ? p.Post.PageCategories : p.Post.Categories))
                {
                    entries.Add(PostEntry(p));
                }
            }
        }

        if (kind is FeedKind.Comments or FeedKind.All or FeedKind.PostComments)
        {
            if (kind == FeedKind.PostComments)
            {
                var post = await store.GetPostAsync(postId!.Value, ct).ConfigureAwait(false);
                if (post is null || post.Hidden || !_filter.Allows(post.PageTitle ?? post.Title, post.PageAuthor ?? post.Author, post.PageCategories.Count > 0 ? post.PageCategories : post.Categories))
                {
                    return null;
                }

                title = $"{_o.Title}: comments on {post.PageTitle ?? post.Title}";
            }

            foreach (var c in await store.ListApprovedCommentsAsync(postId, kind == FeedKind.All ? 0 : offset, kind == FeedKind.All ? offset + size : size, ct).ConfigureAwait(false))
            {
                ct.ThrowIfCancellationRequested();
                if (_filter.Allows(c.PostTitle, c.PostAuthor, c.PostCategories))
                {
                    entries.Add(CommentEntry(c));
                }
            }
        }

        var changed = await store.GetLastChangeAsync(postId, kind is FeedKind.Posts or FeedKind.All, kind is not FeedKind.Posts, ct).ConfigureAwait(false);
        var ordered = entries.OrderByDescending(e => e.LastUpdatedTime).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        var hasMore = kind == FeedKind.All ? ordered.Count > offset + size : entries.Count > 0 && ordered.Count == size;
        var pageEntries = kind == FeedKind.All ? ordered.Skip(offset).Take(size).ToList() : ordered;
        var feed = new SyndicationFeed(pageEntries)
        {
            Id = _o.TagBase + "feed:" + PathOf(kind, postId).TrimStart('/'),
            Title = new TextSyndicationContent(kind switch
            {
                FeedKind.Posts => $"{title}: posts",
                FeedKind.Comments => $"{title}: comments",
                FeedKind.All => $"{title}: posts and comments",
                _ => title,
            }),
            // When the store last changed what this feed shows (an edit, a removal, a decision), never older than its
            // newest entry; an empty feed has a real time too, not 1970.
            LastUpdatedTime = Max(changed, pageEntries.Count > 0 ? pageEntries.Max(e => e.LastUpdatedTime) : DateTimeOffset.MinValue),
            Generator = "AgleaFeeds",
        };
        feed.AttributeExtensions.Add(new XmlQualifiedName("thr", "http://www.w3.org/2000/xmlns/"), Thr);
        feed.Authors.Add(new SyndicationPerson { Name = _o.Title });
        feed.Links.Add(new SyndicationLink(Absolute(PathOf(kind, postId), page), "self", null, "application/atom+xml", 0));
        feed.Links.Add(new SyndicationLink(Absolute("/", 1), "alternate", null, "text/html", 0));
        feed.Links.Add(new SyndicationLink(Absolute(PathOf(kind, postId), 1), "first", null, "application/atom+xml", 0));
        if (hasMore)
        {
            feed.Links.Add(new SyndicationLink(Absolute(PathOf(kind, postId), page + 1), "next", null, "application/atom+xml", 0));
        }

        if (page > 1)
        {
            feed.Links.Add(new SyndicationLink(Absolute(PathOf(kind, postId), page - 1), "previous", null, "application/atom+xml", 0));
        }

        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            writer.WriteStartDocument();
            if (!string.IsNullOrWhiteSpace(_o.Stylesheet))
            {
                // A browser shows the feed as a page through it; feed readers and validators ignore it.
                writer.WriteProcessingInstruction("xml-stylesheet", $"type=\"text/xsl\" href=\"{System.Security.SecurityElement.Escape(_o.Stylesheet)}\"");
            }

            new Atom10FeedFormatter(feed).WriteTo(writer);
        }

        return (buffer.ToArray(), feed.LastUpdatedTime, pageEntries.Count);
    }

    private SyndicationItem PostEntry(FeedPost feedPost)
    {
        var post = feedPost.Post;
        // The blog's own modification time; an edit the store saw that the blog did not date moves it too.
        var updated = Max(post.PageModifiedAt ?? post.UpdatedAt ?? post.PublishedAt ?? post.FirstSeenAt, post.EditedAt);
        var item = new SyndicationItem
        {
            Id = IdOf(post.Guid, $"post:{post.Id}"),
            Title = new TextSyndicationContent(post.PageTitle ?? post.Title ?? post.Link ?? "(untitled)"),
            LastUpdatedTime = updated,
            PublishDate = post.PagePublishedAt ?? post.PublishedAt ?? updated,
            Content = new TextSyndicationContent(sanitizer.Sanitize(post.PageContentHtml ?? post.ContentHtml ?? post.SummaryHtml, post.Link), TextSyndicationContentKind.Html),
        };
        item.Authors.Add(new SyndicationPerson { Name = post.PageAuthor ?? post.Author ?? "unknown" });
        if (Safety.SafeUrl.Http(post.Link) is { } link)
        {
            item.Links.Add(new SyndicationLink(new Uri(link), "alternate", null, "text/html", 0));
        }

        foreach (var enclosure in post.Enclosures)
        {
            if (Safety.SafeUrl.Http(enclosure.Url) is { } media)
            {
                item.Links.Add(new SyndicationLink(new Uri(media), "enclosure", null, enclosure.Type, enclosure.Length ?? 0));
            }
        }

        foreach (var category in post.PageCategories.Count > 0 ? post.PageCategories : post.Categories)
        {
            item.Categories.Add(new SyndicationCategory(category));
        }

        var replies = new SyndicationLink(Absolute(PathOf(FeedKind.PostComments, post.Id), 1), "replies", null, "application/atom+xml", 0);
        replies.AttributeExtensions.Add(new XmlQualifiedName("count", Thr), feedPost.ApprovedComments.ToString(System.Globalization.CultureInfo.InvariantCulture));
        item.Links.Add(replies);
        item.ElementExtensions.Add(new XElement(XName.Get("total", Thr), feedPost.ApprovedComments).CreateReader());
        return item;
    }

    private SyndicationItem CommentEntry(FeedComment feedComment)
    {
        var c = feedComment.Comment;
        var permalink = Safety.SafeUrl.Http(c.Link) ?? (Safety.SafeUrl.Http(feedComment.PostLink) is { } link ? $"{link}#comment-{c.WordPressId}" : null);
        var item = new SyndicationItem
        {
            Id = IdOf(c.Guid ?? permalink, $"comment:{c.Id}"),
            Title = new TextSyndicationContent($"Comment on {feedComment.PostTitle ?? feedComment.PostLink} by {c.Author ?? "Anonymous"}"),
            LastUpdatedTime = Max(c.PublishedAt ?? c.FirstSeenAt, c.EditedAt),
            PublishDate = c.PublishedAt ?? c.FirstSeenAt,
            Content = new TextSyndicationContent(sanitizer.Sanitize(c.ContentHtml ?? c.ContentText, feedComment.PostLink), TextSyndicationContentKind.Html),
        };
        var author = new SyndicationPerson { Name = c.Author ?? "Anonymous" };
        if (Safety.SafeUrl.Http(c.AuthorUrl) is { } authorUri)
        {
            author.Uri = authorUri;
        }

        item.Authors.Add(author);
        if (Uri.TryCreate(permalink, UriKind.Absolute, out var original))
        {
            item.Links.Add(new SyndicationLink(original, "alternate", null, "text/html", 0));
            item.Links.Add(new SyndicationLink(original, "related", null, "text/html", 0));
        }

        // RFC 4685: in reply to the parent comment's entry, or to the post's.
        var parentId = feedComment.ParentId is { } p ? IdOf(feedComment.ParentGuid ?? feedComment.ParentLink, $"comment:{p}") : IdOf(feedComment.PostGuid, $"post:{feedComment.PostId}");
        var inReplyTo = new XElement(XName.Get("in-reply-to", Thr), new XAttribute("ref", parentId));
        if (Safety.SafeUrl.Http(feedComment.ParentId is null ? feedComment.PostLink : feedComment.ParentLink) is { } href)
        {
            inReplyTo.Add(new XAttribute("href", href), new XAttribute("type", "text/html"));
        }

        item.ElementExtensions.Add(inReplyTo.CreateReader());
        return item;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset? b) => b > a ? b.Value : a;

    /// <summary>The original guid when it is an http(s), tag: or urn: URI (a reader may open an id it can click), else our own tag: URI.</summary>
    private string IdOf(string? guid, string fallback) =>
        Uri.TryCreate(guid, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "tag" or "urn" ? uri.AbsoluteUri : _o.TagBase + fallback;

    private Uri Absolute(string path, int page) =>
        new(_o.BaseUri(self), path.TrimStart('/') + (page > 1 ? $"?page={page}" : string.Empty));
}
