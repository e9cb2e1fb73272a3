namespace AgleaFeeds.Fetching;

/// <summary>
/// The address this service is reached at on this machine (scheme, host and port): the first of the
/// "Urls" it listens on (an any-address as 127.0.0.1), replaced by the address Kestrel actually bound
/// once the host has started (port 0 included). A source written as a path ("/samples/agla/feed/") is
/// on this service, and the feeds' self links use it unless Publishing:PublicBaseUrl is set.
/// </summary>
public sealed class SelfOrigin
{
    private Uri _value;

    public SelfOrigin(string? urls) => _value = FromUrls(urls) ?? new Uri("http://localhost:5000/"); // Kestrel's own default

    /// <summary>Gets the origin, with a trailing slash.</summary>
    public Uri Value => Volatile.Read(ref _value);

    /// <summary>Sets the origin from the addresses the server listens on; ignored when none parses.</summary>
    public void Set(IEnumerable<string> addresses)
    {
        if (FromUrls(string.Join(';', addresses)) is { } origin)
        {
            Volatile.Write(ref _value, origin);
        }
    }

    /// <summary>An absolute address for a path on this service, or the address itself when it is already absolute.</summary>
    public string Resolve(string url) => url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) ? new Uri(Value, url).AbsoluteUri : url;

    private static Uri? FromUrls(string? urls)
    {
        var listening = ListenUrls.Parse(urls).FirstOrDefault(u => u.Scheme is "http" or "https");
        if (listening is null)
        {
            return null;
        }

        var builder = new UriBuilder(listening.Scheme, ListenUrls.IsAnyAddress(listening) || listening.Host == "localhost" ? "127.0.0.1" : listening.Host, listening.Port, "/");
        return builder.Uri;
    }
}
