using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Hub.Cron;

/// <summary>Guards the cron API: with <see cref="HubOptions.AdminToken"/> set, <c>Authorization: Bearer {token}</c>
/// (compared in constant time) or 401; without it, loopback requests only (403 otherwise).</summary>
internal sealed class CronAdminAuthorizationFilter(IOptions<HubOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var token = options.Value.AdminToken;
        if (string.IsNullOrEmpty(token))
        {
            var remote = http.Connection.RemoteIpAddress;
            return remote is null || IPAddress.IsLoopback(remote)
                ? await next(context).ConfigureAwait(false)
                : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The cron API answers local requests only until Hub:AdminToken is set.");
        }

        var header = http.Request.Headers.Authorization.ToString();
        var given = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : string.Empty;
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(token))))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"OpenClaw.Channels\"";
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A valid admin bearer token is required.");
        }

        return await next(context).ConfigureAwait(false);
    }
}
