using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Hub.Security;

/// <summary>Authenticates <c>Authorization: Bearer {Hub:AdminToken}</c> (RFC 6750), compared in constant time. No
/// header or no configured token: no result; a wrong token: failure. The challenge is a 401 with
/// <c>WWW-Authenticate: Bearer realm="OpenClaw.Channels"</c>; with no token configured it is a 403 (local requests
/// only).</summary>
internal sealed class AdminTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<HubOptions> hub)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = hub.Value.AdminToken;
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(token) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!SecretComparer.Matches(header[7..].Trim(), token))
        {
            return Task.FromResult(AuthenticateResult.Fail("The admin bearer token does not match Hub:AdminToken."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin")], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (string.IsNullOrEmpty(hub.Value.AdminToken))
        {
            // Local-only mode: there are no credentials to ask for.
            return HandleForbiddenAsync(properties);
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"OpenClaw.Channels\"";
        return Task.CompletedTask;
    }
}
