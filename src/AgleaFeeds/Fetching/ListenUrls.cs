using System.Net;

namespace AgleaFeeds.Fetching;

/// <summary>Reads the host's "Urls" setting ("http://127.0.0.1:5080;http://*:8080") and the address ranges of the security settings.</summary>
public static class ListenUrls
{
    /// <summary>
    /// Each URL of a Kestrel "Urls" value; "*" and "+" (any address, which .NET's Uri cannot parse) read as 0.0.0.0.
    /// </summary>
    public static IEnumerable<Uri> Parse(string? urls)
    {
        foreach (var url in (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parsable = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (Uri.TryCreate(parsable, UriKind.Absolute, out var uri))
            {
                yield return uri;
            }
        }
    }

    /// <summary>Whether the host of a listen URL means every address (0.0.0.0, ::).</summary>
    public static bool IsAnyAddress(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.Host.Trim('[', ']') is "0.0.0.0" or "::";
    }

    /// <summary>An address range from "10.0.0.0/8" or a single address ("127.0.0.1" as /32, "::1" as /128); false when neither.</summary>
    public static bool TryParseRange(string? value, out IPNetwork range)
    {
        var text = value?.Trim() ?? string.Empty;
        if (IPNetwork.TryParse(text, out range))
        {
            return true;
        }

        if (IPAddress.TryParse(text, out var address))
        {
            range = new IPNetwork(address, address.GetAddressBytes().Length * 8);
            return true;
        }

        return false;
    }
}
