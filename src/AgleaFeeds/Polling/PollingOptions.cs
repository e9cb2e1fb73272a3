using System.ComponentModel.DataAnnotations;

namespace AgleaFeeds.Polling;

/// <summary>How often and how widely sources are polled (section "Polling").</summary>
public sealed class PollingOptions
{
    public const string Section = "Polling";

    /// <summary>Gets or sets the interval of a source that sets none.</summary>
    /// <value>The default value is 15 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan DefaultInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The interval a source is polled at: its own (zero: none set), else <see cref="DefaultInterval"/>.</summary>
    public TimeSpan IntervalOf(TimeSpan own) => own > TimeSpan.Zero ? own : DefaultInterval;

    /// <summary>Gets or sets the longest wait a server's hints (max-age, Expires, ttl, sy:updatePeriod) can impose.</summary>
    /// <value>The default value is 24 hours.</value>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets the cap of the exponential backoff after repeated failures.</summary>
    /// <value>The default value is 24 hours.</value>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets how many sources one batch job polls.</summary>
    /// <value>The default value is 100.</value>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// Gets or sets the most sources one host polls at once, across its batches: it starts at twice its processors
    /// and goes up to this while polls wait and the processors idle (<see cref="PollAdmission"/>).
    /// </summary>
    /// <value>The default value is 16.</value>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>Gets or sets how long a claimed source stays reserved for its poller.</summary>
    /// <value>The default value is 10 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Gets or sets the lease of a source while its poll runs, renewed every third of it: a host killed
    /// mid-poll leaves its sources free again within this time. (<see cref="Lease"/> covers the wait in the job queue.)
    /// </summary>
    /// <value>The default value is 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan WorkLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets whether a post's own comment feed is read when its comment count changes.</summary>
    /// <value>The default value is true.</value>
    public bool ReadPostCommentFeeds { get; set; } = true;

    /// <summary>
    /// Gets or sets whether a WordPress blog's public REST API is read where the blog offers it (its Link
    /// header names it): every post and comment with thread and author, and the list removals are read from.
    /// </summary>
    /// <value>The default value is true.</value>
    public bool UseWordPressApi { get; set; } = true;

    /// <summary>
    /// Gets or sets how many of a source's posts each successful poll scrapes again, least recently scraped
    /// first, whatever their age: how comments removed or edited on old posts are found where no API lists
    /// them (every post is checked within posts ÷ this many polls), and pingbacks everywhere.
    /// </summary>
    /// <value>The default value is 5.</value>
    [Range(0, 1000)]
    public int RecheckPostsPerPoll { get; set; } = 5;

    /// <summary>Gets or sets how many pages (of 100 posts or comments from the API, of a feed's size from paged feeds) the first full read of a blog takes at most.</summary>
    /// <value>The default value is 100.</value>
    [Range(1, 10_000)]
    public int MaxBackfillPages { get; set; } = 100;
}
