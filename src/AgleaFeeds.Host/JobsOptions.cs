using System.ComponentModel.DataAnnotations;

namespace AgleaFeeds.Host;

/// <summary>Hangfire settings (section "Jobs").</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Gets or sets the cron of the scheduler that enqueues batches of due sources.</summary>
    /// <value>The default value is every minute.</value>
    [Required]
    public string SchedulerCron { get; set; } = "* * * * *";

    /// <summary>Gets or sets how often idle workers look for queued jobs.</summary>
    /// <value>The default value is 2 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the Hangfire worker count of this host.</summary>
    /// <value>The default value is 4.</value>
    [Range(1, 100)]
    public int WorkerCount { get; set; } = 4;

    /// <summary>Gets or sets the OPML file imported on start; empty imports nothing.</summary>
    /// <value>The default value is "feeds/sources.opml".</value>
    public string? SourcesOpml { get; set; } = "feeds/sources.opml";

    /// <summary>Gets or sets the folder served under /samples/ (the offline sample blog); empty serves nothing.</summary>
    /// <value>The default value is "feeds/samples".</value>
    public string? SamplesFolder { get; set; } = "feeds/samples";
}
