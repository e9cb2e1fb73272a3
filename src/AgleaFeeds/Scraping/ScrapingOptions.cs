using System.ComponentModel.DataAnnotations;

namespace AgleaFeeds.Scraping;

/// <summary>How post pages are scraped (section "Scraping").</summary>
public sealed class ScrapingOptions
{
    public const string Section = "Scraping";

    /// <summary>Gets or sets whether post pages are scraped at all.</summary>
    /// <value>The default value is true.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets how many comment pages one scrape reads at most.</summary>
    /// <value>The default value is 20.</value>
    [Range(1, 1000)]
    public int MaxCommentPages { get; set; } = 20;

    /// <summary>Gets or sets how many page requests run at once against one host.</summary>
    /// <value>The default value is 2.</value>
    [Range(1, 64)]
    public int MaxConcurrentPerHost { get; set; } = 2;

    /// <summary>Gets or sets the least time between two page requests to one host.</summary>
    /// <value>The default value is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MinDelayPerHost { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets how long a post is leased to the worker scraping it: no other worker (on any host) scrapes it
    /// meanwhile; a killed host's post is free again after it.
    /// </summary>
    /// <value>The default value is 10 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the deepest element nesting a page may have; deeper pages are refused.</summary>
    /// <value>The default value is 1000.</value>
    [Range(64, 100_000)]
    public int MaxNestingDepth { get; set; } = 1000;

    /// <summary>Gets or sets how old a post may be and still be re-scraped periodically.</summary>
    /// <value>The default value is 14 days.</value>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan RescrapeMaxAge { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Gets or sets the cron of the periodic re-scrape of recent posts.</summary>
    /// <value>The default value is every 6 hours.</value>
    [Required]
    public string RescrapeCron { get; set; } = "0 */6 * * *";

    /// <summary>Gets or sets scraper rules per host name, for themes the defaults do not read.</summary>
    public Dictionary<string, ScraperRules> Rules { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
