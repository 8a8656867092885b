using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;

namespace OpenClaw.Channels.Adapters;

/// <summary>Keeps fetches of URLs that the model wrote (Markdown images in an answer) on the public internet: a
/// connection is only opened to an address that is not loopback, private (RFC 1918, RFC 4193), carrier-grade NAT
/// (RFC 6598), link-local (RFC 3927 / RFC 4291, where cloud metadata services answer), multicast or unspecified. The
/// host name is resolved once and the connection goes to the address that was checked, so a DNS answer that changes
/// between check and connect (rebinding) cannot reach an inner address. Without this, an answer such as
/// <c>![x](http://127.0.0.1:5080/api/transcripts/…)</c> would make the hub fetch its own local-only admin API and post
/// the bytes into the chat (server-side request forgery).</summary>
public static class PublicNetworkGuard
{
    /// <summary>Name of the <see cref="HttpClient"/> that <see cref="AddPublicMediaHttpClient"/> registers for a channel:
    /// <c>openclaw-public-media-{channel}</c>.</summary>
    /// <param name="channel">The channel name (<c>slack</c>, <c>discord</c>, <c>wechat</c>, <c>wecom</c>).</param>
    /// <returns>The client name.</returns>
    public static string HttpClientName(string channel) => "openclaw-public-media-" + channel;

    /// <summary>True when <paramref name="address"/> is a public unicast address (IPv4, IPv6, or IPv4 mapped into IPv6).</summary>
    /// <param name="address">The address.</param>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19)));
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC);
        }

        return false;
    }

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/> that resolves the host, refuses when no resolved
    /// address is public (<see cref="IsPublic"/>), and connects to the first public one.</summary>
    /// <param name="context">The connection's endpoint.</param>
    /// <param name="cancellationToken">Cancels resolving and connecting.</param>
    /// <returns>The connected stream.</returns>
    /// <exception cref="HttpRequestException">The host resolves to no public address (the message names the host,
    /// never the URL's path or query), or the connection failed.</exception>
    public static async ValueTask<Stream> ConnectPublicAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        var target = addresses.FirstOrDefault(IsPublic)
            ?? throw new HttpRequestException($"Refused to fetch from {endpoint.Host}: it resolves to no public address (loopback, private and link-local networks are not fetched).");
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(target, endpoint.Port), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Registers the named client <see cref="HttpClientName"/> of <paramref name="channel"/> for fetching
    /// model-written media URLs: 15 s
    /// timeout, at most 3 redirects (each re-checked, since every hop opens its connection through the guard), and
    /// <see cref="ConnectPublicAsync"/> unless <paramref name="allowPrivateNetworks"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="channel">The channel whose senders use the client.</param>
    /// <param name="allowPrivateNetworks">True lets the client reach any address (an intranet image host; tests whose
    /// fakes listen on 127.0.0.1).</param>
    /// <returns>The client's builder.</returns>
    public static IHttpClientBuilder AddPublicMediaHttpClient(this IServiceCollection services, string channel, bool allowPrivateNetworks)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddHttpClient(HttpClientName(channel), c => c.Timeout = TimeSpan.FromSeconds(15))
            .ConfigurePrimaryHttpMessageHandler(() =>
            {
                var handler = new SocketsHttpHandler { MaxAutomaticRedirections = 3, PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
                if (!allowPrivateNetworks)
                {
                    handler.ConnectCallback = ConnectPublicAsync;
                }

                return handler;
            })
            .RemoveAllLoggers();
    }
}
