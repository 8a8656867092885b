using System.Net;
using System.Security.Cryptography;
using System.Text;
using Hangfire.Dashboard;

namespace OpenClaw.Channels.Hub.Dashboard;

/// <summary>Local requests only, unless a user name and password are configured: then HTTP Basic auth (RFC 7617),
/// compared in constant time.</summary>
internal sealed class DashboardAuthorizationFilter(DashboardAccessOptions options) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (string.IsNullOrEmpty(options.Username) || string.IsNullOrEmpty(options.Password))
        {
            var remote = http.Connection.RemoteIpAddress;
            return remote is null || IPAddress.IsLoopback(remote);
        }

        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())));
                var expected = Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}");
                if (CryptographicOperations.FixedTimeEquals(SHA256.HashData(decoded), SHA256.HashData(expected)))
                {
                    return true;
                }
            }
            catch (FormatException)
            {
                // fall through to the challenge
            }
        }

        http.Response.Headers.WWWAuthenticate = "Basic realm=\"OpenClaw.Channels\", charset=\"UTF-8\"";
        return false;
    }
}
