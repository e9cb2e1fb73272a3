using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Fetching;

/// <summary>Thrown by the connect step when every address of a host is one AgleaFeeds may not reach.</summary>
public sealed class BlockedAddressException(string message) : IOException(message);

/// <summary>
/// Which addresses a fetch may connect to (the SSRF guard, as Miniflux has by default): public
/// addresses only, unless the operator allows a network (<see cref="FetchingOptions.AllowedNetworks"/>),
/// plus the endpoints this service itself listens on (its own sample blog). Checked when the socket
/// connects, after DNS resolution, so a name that rebinds to a private address cannot slip past.
/// </summary>
public sealed class NetworkPolicy
{
    private readonly IReadOnlyList<IPNetwork> _allowed;
    private readonly HashSet<IPEndPoint> _self;

    public NetworkPolicy(IOptions<FetchingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowed = options.Value.AllowedNetworks.Select(n => ListenUrls.TryParseRange(n, out var range) ? range : throw new FormatException($"Fetching:AllowedNetworks: \"{n}\" is not an address range.")).ToList();
        _self = [.. SelfEndpoints(options.Value.SelfUrls)];
    }

    /// <summary>Whether a connection to <paramref name="address"/>:<paramref name="port"/> is allowed.</summary>
    public bool Allows(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return !IsInternal(address) || _allowed.Any(n => n.Contains(address)) || _self.Contains(new IPEndPoint(address, port));
    }

    /// <summary>Loopback, private, link-local, multicast, unspecified and other non-public ranges.</summary>
    public static bool IsInternal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return InternalV6.Any(n => n.Contains(address));
        }

        return InternalV4.Any(n => n.Contains(address));
    }

    /// <summary>Connects to the first allowed address of the request's host; refuses when none is allowed.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (host, port) = (context.DnsEndPoint.Host, context.DnsEndPoint.Port);
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
        var allowed = addresses.Where(a => Allows(a, port)).ToArray();
        if (allowed.Length == 0)
        {
            throw new BlockedAddressException(
                $"Fetching: {host} is a {(addresses.Length == 0 ? "name without addresses" : "private, loopback or link-local address")}; refused (allow a network with Fetching:AllowedNetworks).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, port, ct).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static IEnumerable<IPEndPoint> SelfEndpoints(IEnumerable<string> urls)
    {
        foreach (var uri in urls.SelectMany(ListenUrls.Parse).Where(u => u.Port > 0))
        {
            var host = uri.Host.Trim('[', ']');
            IPAddress[] addresses = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || ListenUrls.IsAnyAddress(uri)
                ? [IPAddress.Loopback, IPAddress.IPv6Loopback]
                : IPAddress.TryParse(host, out var ip) ? [ip] : [];
            foreach (var address in addresses)
            {
                yield return new IPEndPoint(address, uri.Port);
            }
        }
    }

    private static readonly IPNetwork[] InternalV4 =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
    ];

    private static readonly IPNetwork[] InternalV6 =
    [
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("ff00::/8"),
        IPNetwork.Parse("64:ff9b::/96"), IPNetwork.Parse("2002::/16"),
    ];
}
