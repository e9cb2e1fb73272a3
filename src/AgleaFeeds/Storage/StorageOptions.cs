using System.ComponentModel.DataAnnotations;

namespace AgleaFeeds.Storage;

/// <summary>Where the data lives (section "Storage").</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Gets or sets the data folder, relative to the working directory unless absolute.</summary>
    /// <value>The default value is "data".</value>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Gets or sets where the store and Hangfire live: "Sqlite" (the embedded default, files in the data folder) or "PostgreSql".</summary>
    /// <value>The default value is "Sqlite".</value>
    [RegularExpression("^(Sqlite|PostgreSql)$", ErrorMessage = "Storage:Provider must be Sqlite or PostgreSql.")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>Gets or sets the PostgreSQL connection string (Npgsql's form, e.g. "Host=db;Database=agleafeeds;Username=agleafeeds;Password=…").</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Whether the store is on PostgreSQL.</summary>
    public bool IsPostgreSql => string.Equals(Provider, "PostgreSql", StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets the application database file.</summary>
    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, "agleafeeds.db"));

    /// <summary>Gets the folder of the ASP.NET Core Data Protection keys (cookies, antiforgery tokens, encrypted secrets).</summary>
    public string KeysPath => Path.GetFullPath(Path.Combine(DataDirectory, "keys"));

    /// <summary>Gets the Hangfire job database file.</summary>
    public string JobsDatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, "hangfire.db"));
}
