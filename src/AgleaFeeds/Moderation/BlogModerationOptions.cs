using System.ComponentModel.DataAnnotations;

namespace AgleaFeeds.Moderation;

/// <summary>Two-way moderation with the blogs' WordPress (section "WordPress"); the credentials per source are in "Sources:WordPress".</summary>
public sealed class BlogModerationOptions
{
    public const string Section = "WordPress";

    /// <summary>Gets or sets when the connected blogs' held and spam comments are read (cron).</summary>
    /// <value>The default value is every minute.</value>
    [Required]
    public string ReadCron { get; set; } = "* * * * *";

    /// <summary>Gets or sets how many of a blog's held comments one read takes, newest first.</summary>
    /// <value>The default value is 500.</value>
    [Range(1, 100_000)]
    public int MaxHeldPerRead { get; set; } = 500;

    /// <summary>Gets or sets how many of a blog's newest spam comments one read takes (for learning).</summary>
    /// <value>The default value is 100.</value>
    [Range(0, 100_000)]
    public int MaxSpamPerRead { get; set; } = 100;

    /// <summary>Gets or sets how many approved and how many spam comments of the blog's history are imported as labels on connecting, newest first; 0 imports none.</summary>
    /// <value>The default value is 5,000.</value>
    [Range(0, 1_000_000)]
    public int HistoryLimit { get; set; } = 5000;

    /// <summary>Gets or sets the waits between a push's attempts: after the last, the push is shown as failed.</summary>
    /// <value>The default value is 30 s, 2 min, 10 min, 1 h, 6 h (six attempts in about 7 hours).</value>
    public List<TimeSpan> PushRetryDelays { get; set; } = [];

    /// <summary>The waits in effect (the default when none are configured).</summary>
    public IReadOnlyList<TimeSpan> RetryDelays => PushRetryDelays.Count > 0
        ? PushRetryDelays
        : [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), TimeSpan.FromHours(6)];
}

/// <summary>
/// One blog's credentials in configuration (section "Sources:WordPress", a list): the blog's address, the user
/// and an application password (better given by environment, e.g. Sources__WordPress__0__ApplicationPassword).
/// The source whose address starts with <see cref="SiteUrl"/> is connected at start, or the one an OPML outline
/// names with <c>agleafeedsWordPress="Name"</c>.
/// </summary>
public sealed class BlogCredentialsOptions
{
    public const string Section = "Sources:WordPress";

    public string? Name { get; set; }

    public string? SiteUrl { get; set; }

    public string? User { get; set; }

    public string? ApplicationPassword { get; set; }

    /// <summary>Gets or sets whether this source's automatic verdicts are pushed too (default: only moderators' decisions).</summary>
    public bool PushVerdicts { get; set; }

    /// <summary>The entry as it may appear in a log or a page: everything but the password.</summary>
    public override string ToString() => $"{Name ?? SiteUrl} ({User}, password hidden)";
}
