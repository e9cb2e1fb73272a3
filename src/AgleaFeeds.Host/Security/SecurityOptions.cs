using System.ComponentModel.DataAnnotations;

namespace AgleaFeeds.Host.Security;

/// <summary>Who may use the dashboard from elsewhere than this machine (section "Security").</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Gets or sets the accounts: a name, a password hash made by `hash-password`, and a role (Moderator or Viewer).</summary>
    public List<Account> Accounts { get; set; } = [];

    /// <summary>Gets or sets how many login attempts one address may make a minute.</summary>
    /// <value>The default value is 5.</value>
    [Range(1, 1000)]
    public int LoginAttemptsPerMinute { get; set; } = 5;

    /// <summary>
    /// Gets or sets whether requests from this machine need no login. Off by default: behind a bare
    /// reverse proxy every visitor looks local. Even when on, a request carrying a forwarded header,
    /// a Host outside <see cref="AllowedHosts"/> or this service's own fetch marker is not anonymous.
    /// </summary>
    /// <value>The default value is false.</value>
    public bool AllowLocalAnonymous { get; set; }

    /// <summary>Gets or sets the Host header values local anonymous access accepts; empty means localhost, 127.0.0.1, [::1] and the hosts of Urls.</summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Gets or sets the reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For and X-Forwarded-Proto are believed; none by default.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Gets or sets a bearer token that opens /metrics to a scraper (Prometheus); empty means a dashboard login is needed.</summary>
    public string? MetricsToken { get; set; }

    /// <summary>Gets or sets how long a dashboard session lasts without use.</summary>
    /// <value>The default value is 12 hours.</value>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);
}

/// <summary>One dashboard account.</summary>
public sealed class Account
{
    [Required]
    public string Name { get; set; } = string.Empty;

    [Required]
    public string PasswordHash { get; set; } = string.Empty;

    /// <summary>Gets or sets "Moderator" (acts) or "Viewer" (reads only).</summary>
    [RegularExpression("^(Moderator|Viewer)$")]
    public string Role { get; set; } = "Viewer";
}
