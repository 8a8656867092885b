using System.Net;

namespace OpenClaw.Channels.Hub.Security;

/// <summary>Decides whether a request is local: its peer address is loopback (or absent, as on an in-process test
/// server) and it carries no forwarding header (<c>X-Forwarded-For</c>, <c>Forwarded</c> of RFC 7239,
/// <c>X-Real-IP</c>). A reverse proxy on the same host connects from loopback, so a request it relays is never
/// local by that fact alone. With <c>Hub:KnownProxies</c> set, ASP.NET Core's forwarded-headers middleware runs first:
/// it replaces the peer address with the client's and removes the <c>X-Forwarded-For</c> entries it consumed, so the
/// client's own address decides.</summary>
public static class LocalRequest
{
    /// <summary>The forwarding headers that make a request non-local.</summary>
    public static readonly IReadOnlyList<string> ForwardingHeaders = ["X-Forwarded-For", "Forwarded", "X-Real-IP"];

    /// <summary>True when <paramref name="context"/> came from this host and was not relayed by a proxy.</summary>
    /// <param name="context">The request.</param>
    /// <returns>Whether the request is local.</returns>
    public static bool IsLocal(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var header in ForwardingHeaders)
        {
            if (context.Request.Headers.ContainsKey(header))
            {
                return false;
            }
        }

        var remote = context.Connection.RemoteIpAddress;
        return remote is null || IPAddress.IsLoopback(remote);
    }
}
