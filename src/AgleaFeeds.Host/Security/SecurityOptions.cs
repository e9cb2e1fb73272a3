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

    /// <summary>Gets or sets whether requests from this machine need no login (Hangfire's default).</summary>
    /// <value>The default value is true.</value>
    public bool AllowLocalAnonymous { get; set; } = true;
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
