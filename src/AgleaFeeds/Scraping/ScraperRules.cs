namespace AgleaFeeds.Scraping;

/// <summary>
/// Where things are in a post page, as XPath expressions HtmlAgilityPack evaluates. Each rule left
/// empty falls back to the default, which covers WordPress's classic (HTML5 and older) comment
/// walker, the block themes and WordPress.com. Comment rules are relative to the comment's li.
/// </summary>
public sealed record ScraperRules
{
    public string? Title { get; init; }
    public string? Content { get; init; }
    public string? Author { get; init; }
    public string? Published { get; init; }
    public string? Modified { get; init; }
    public string? Categories { get; init; }
    public string? Tags { get; init; }
    public string? CommentsHeading { get; init; }
    public string? CommentList { get; init; }
    /// <summary>The comments directly inside a list (the top-level list or a list of replies).</summary>
    public string? CommentItems { get; init; }
    /// <summary>The lists of replies directly inside a comment.</summary>
    public string? ReplyLists { get; init; }
    public string? CommentAuthor { get; init; }
    public string? CommentAuthorUrl { get; init; }
    public string? CommentAvatar { get; init; }
    public string? CommentTime { get; init; }
    public string? CommentPermalink { get; init; }
    public string? CommentContent { get; init; }
    public string? CommentAwaitingModeration { get; init; }
    public string? CommentPageLinks { get; init; }

    /// <summary>Gets the built-in rules.</summary>
    public static ScraperRules Default { get; } = new()
    {
        Title = $"//h1[{Cls("entry-title")}] | //*[{Cls("wp-block-post-title")}] | //meta[@property='og:title']/@content | //title",
        Content = $"//*[{Cls("entry-content")}] | //*[{Cls("wp-block-post-content")}] | //*[{Cls("post-content")}]",
        Author = $"//*[{Cls("byline")}]//a | //*[{Cls("author")} and {Cls("vcard")}]//a | //*[{Cls("wp-block-post-author-name")}] | //a[@rel='author'] | //meta[@name='author']/@content",
        Published = $"//meta[@property='article:published_time']/@content | //time[{Cls("entry-date")}]/@datetime | //*[{Cls("wp-block-post-date")}]//time/@datetime | //abbr[{Cls("published")}]/@title",
        Modified = $"//meta[@property='article:modified_time']/@content | //time[{Cls("updated")}]/@datetime",
        Categories = $"//a[contains(@rel, 'category') and contains(concat(' ', normalize-space(@rel), ' '), ' category ')] | //*[{Cls("taxonomy-category")}]//a",
        Tags = $"//*[{Cls("taxonomy-post_tag")}]//a | //a[contains(@rel, 'tag') and normalize-space(@rel)='tag' and not(ancestor::*[{Cls("taxonomy-category")}])]",
        CommentsHeading = $"//*[{Cls("comments-title")}] | //*[@id='comments-title'] | //*[{Cls("wp-block-comments-title")}] | //h2[@id='comments'] | //h3[@id='comments']",
        CommentList = $"//ol[{Cls("comment-list")}] | //ol[{Cls("commentlist")}] | //ol[{Cls("wp-block-comment-template")}] | //ul[{Cls("comment-list")}] | //ul[{Cls("commentlist")}]",
        CommentItems = "./li[starts-with(@id, 'comment-') or starts-with(@id, 'li-comment-')]",
        ReplyLists = "./ol | ./ul | ./div/ol | ./div/ul",
        CommentAuthor = $".//*[{Cls("fn")}] | .//*[{Cls("wp-block-comment-author-name")}] | .//*[{Cls("comment-author")}] | .//a[{Cls("url")}]",
        CommentAuthorUrl = $".//*[{Cls("fn")}]//a/@href | .//*[{Cls("fn")}]/@href | .//*[{Cls("wp-block-comment-author-name")}]//a/@href | .//a[{Cls("url")}]/@href",
        CommentAvatar = $".//img[{Cls("avatar")}]/@src",
        CommentTime = $".//*[{Cls("comment-metadata")}]//time/@datetime | .//*[{Cls("wp-block-comment-date")}]//time/@datetime | .//time/@datetime | .//*[{Cls("commentmetadata")}]/a",
        CommentPermalink = $".//*[{Cls("comment-metadata")}]//a/@href | .//*[{Cls("commentmetadata")}]/a/@href | .//*[{Cls("wp-block-comment-date")}]//a/@href",
        CommentContent = $".//*[{Cls("comment-content")}] | .//*[{Cls("wp-block-comment-content")}]",
        CommentAwaitingModeration = $".//*[{Cls("comment-awaiting-moderation")}]",
        CommentPageLinks = "//a[contains(@href, '/comment-page-') or contains(@href, 'cpage=')]/@href",
    };

    /// <summary>Fills the rules left empty from <paramref name="fallback"/>.</summary>
    public ScraperRules Over(ScraperRules fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return new ScraperRules
        {
            Title = Title ?? fallback.Title,
            Content = Content ?? fallback.Content,
            Author = Author ?? fallback.Author,
            Published = Published ?? fallback.Published,
            Modified = Modified ?? fallback.Modified,
            Categories = Categories ?? fallback.Categories,
            Tags = Tags ?? fallback.Tags,
            CommentsHeading = CommentsHeading ?? fallback.CommentsHeading,
            CommentList = CommentList ?? fallback.CommentList,
            CommentItems = CommentItems ?? fallback.CommentItems,
            ReplyLists = ReplyLists ?? fallback.ReplyLists,
            CommentAuthor = CommentAuthor ?? fallback.CommentAuthor,
            CommentAuthorUrl = CommentAuthorUrl ?? fallback.CommentAuthorUrl,
            CommentAvatar = CommentAvatar ?? fallback.CommentAvatar,
            CommentTime = CommentTime ?? fallback.CommentTime,
            CommentPermalink = CommentPermalink ?? fallback.CommentPermalink,
            CommentContent = CommentContent ?? fallback.CommentContent,
            CommentAwaitingModeration = CommentAwaitingModeration ?? fallback.CommentAwaitingModeration,
            CommentPageLinks = CommentPageLinks ?? fallback.CommentPageLinks,
        };
    }

    /// <summary>An XPath test for one CSS class among several.</summary>
    /// <remarks>The plain contains() first: it is cheap and rejects almost every node before the exact, allocating test.</remarks>
    private static string Cls(string name) => $"contains(@class, '{name}') and contains(concat(' ', normalize-space(@class), ' '), ' {name} ')";
}
