namespace AgleaFeeds.Fetching;

/// <summary>A conditional GET: the URL and the validators stored from the last response.</summary>
public sealed record FetchRequest(Uri Url, string? ETag = null, string? LastModified = null)
{
    /// <summary>
    /// Credentials for the URL's own origin (scheme, host and port): never sent anywhere else, and a redirect
    /// of an authenticated request to another origin is refused rather than followed.
    /// </summary>
    public BasicCredential? Credential { get; init; }

    /// <summary>A JSON body: the request is then a POST (a write, never redirected).</summary>
    public string? JsonBody { get; init; }

    /// <summary>Keep the body of an error answer (up to 64 KB): APIs explain their refusals there.</summary>
    public bool KeepErrorBody { get; init; }
}

/// <summary>
/// A user name and password for HTTP Basic authentication (a WordPress application password). The password
/// never appears in <see cref="ToString"/>, so it cannot reach a log or an error through a record's printout.
/// </summary>
public sealed class BasicCredential(string user, string password)
{
    public string User { get; } = user ?? throw new ArgumentNullException(nameof(user));

    /// <summary>The Authorization header's value.</summary>
    internal string Header => "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(User + ":" + password));

    /// <summary>Whether the password is the given one (a form posted again with the same password).</summary>
    public bool SamePassword(string other) => string.Equals(password, other, StringComparison.Ordinal);

    public override string ToString() => $"{User} (password hidden)";
}
