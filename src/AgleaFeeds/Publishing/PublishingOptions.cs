using System.ComponentModel.DataAnnotations;

namespace AgleaFeeds.Publishing;

/// <summary>The curated feeds (section "Publishing").</summary>
public sealed class PublishingOptions : IValidatableObject
{
    public const string Section = "Publishing";

    /// <summary>Gets or sets the public address subscribers reach the feeds at (self links are absolute); empty: the address the service listens on.</summary>
    /// <value>The default value is empty.</value>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The feeds' base address: <see cref="PublicBaseUrl"/>, or where this service listens.</summary>
    public Uri BaseUri(Fetching.SelfOrigin self)
    {
        ArgumentNullException.ThrowIfNull(self);
        return string.IsNullOrWhiteSpace(PublicBaseUrl) ? self.Value : new Uri(PublicBaseUrl.TrimEnd('/') + "/");
    }

    /// <summary>Gets or sets the XSLT stylesheet a browser shows the feeds through (an xml-stylesheet instruction); empty writes none.</summary>
    /// <value>The default value is "/feeds/feed.xsl" (served by the service).</value>
    public string? Stylesheet { get; set; } = "/feeds/feed.xsl";

    /// <summary>Gets or sets the feeds' title.</summary>
    /// <value>The default value is "AgleaFeeds".</value>
    [Required]
    public string Title { get; set; } = "AgleaFeeds";

    /// <summary>Gets or sets the base of the tag: URIs that identify the feeds and entries without a usable guid.</summary>
    /// <value>The default value is "tag:agleafeeds.local,2026:".</value>
    [Required]
    public string TagBase { get; set; } = "tag:agleafeeds.local,2026:";

    /// <summary>Gets or sets how many entries one feed page holds (RFC 5005 paging beyond).</summary>
    /// <value>The default value is 50.</value>
    [Range(1, 1000)]
    public int PageSize { get; set; } = 50;

    /// <summary>Gets or sets a folder to write a static copy of every feed to on each change (for static hosting); empty writes none.</summary>
    public string? StaticFolder { get; set; }

    /// <summary>Gets or sets a WebSub hub to ping (hub.mode=publish) when a feed changes; empty pings none.</summary>
    public string? HubUrl { get; set; }

    /// <summary>Gets or sets the keep rules ("Title=…", "Category=…", "Author=…" regular expressions): when any is set, only matching posts are published.</summary>
    public List<string> KeepRules { get; set; } = [];

    /// <summary>Gets or sets the block rules: a post matching any is not published, nor its comments.</summary>
    public List<string> BlockRules { get; set; } = [];

    /// <summary>Gets or sets the Cache-Control max-age of the feeds.</summary>
    /// <value>The default value is 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the longest one feed page may take to render; past it the render is abandoned (503 to the reader).</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RenderBudget { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the keep and block rules at start, so a bad one stops the service with its reason.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(PublicBaseUrl) && !(Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"))
        {
            yield return new ValidationResult($"Publishing:PublicBaseUrl \"{PublicBaseUrl}\" is not an http(s) address (leave it empty to use the address the service listens on).", [nameof(PublicBaseUrl)]);
        }

        foreach (var rule in KeepRules.Concat(BlockRules))
        {
            string? error = null;
            try
            {
                PostFilter.Parse(rule);
            }
            catch (ArgumentException ex)
            {
                error = ex.Message;
            }

            if (error is not null)
            {
                yield return new ValidationResult(error, [nameof(KeepRules), nameof(BlockRules)]);
            }
        }
    }
}
