using System.ComponentModel.DataAnnotations;

namespace AgleaFeeds.Fetching;

/// <summary>Limits and identity for every HTTP request AgleaFeeds makes (section "Fetching").</summary>
public sealed class FetchingOptions
{
    public const string Section = "Fetching";

    /// <summary>Gets or sets the time allowed for one request, headers and body.</summary>
    /// <value>The default value is 20 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Gets or sets the largest response body read.</summary>
    /// <value>The default value is 10 MB.</value>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Gets or sets how many redirects one request follows.</summary>
    /// <value>The default value is 5.</value>
    [Range(0, 20)]
    public int MaxRedirects { get; set; } = 5;

    /// <summary>Gets or sets the User-Agent; empty means "AgleaFeeds/{version} (+project URL)".</summary>
    public string? UserAgent { get; set; }

    /// <summary>
    /// Gets or sets the private networks fetches may reach, as CIDR ranges ("127.0.0.1/32", "10.0.0.0/8"):
    /// by default only public addresses (and this service's own endpoints) are fetched.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>Gets or sets the URLs this service listens on (bound from the host's "Urls" setting): fetches may reach these endpoints, for the sample blog it serves.</summary>
    public List<string> SelfUrls { get; set; } = [];
}
