using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Hub.Dashboard;

namespace OpenClaw.Channels.Hub.Security;

/// <summary>Authenticates HTTP Basic credentials (RFC 7617) against <c>Dashboard:Username</c> and
/// <c>Dashboard:Password</c>, compared in constant time. The challenge is a 401 with
/// <c>WWW-Authenticate: Basic realm="OpenClaw.Channels", charset="UTF-8"</c>, so a browser asks for them; with no credentials configured it is a 403 (local requests only).</summary>
internal sealed class BasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    DashboardAccessOptions dashboard)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!dashboard.HasCredentials || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        string presented;
        try
        {
            presented = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return Task.FromResult(AuthenticateResult.Fail("The Basic credentials are not base64."));
        }

        if (!SecretComparer.Matches(presented, $"{dashboard.Username}:{dashboard.Password}"))
        {
            return Task.FromResult(AuthenticateResult.Fail("The dashboard user name or password does not match."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, dashboard.Username!)], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!dashboard.HasCredentials)
        {
            // Local-only mode: there are no credentials to ask for.
            return HandleForbiddenAsync(properties);
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"OpenClaw.Channels\", charset=\"UTF-8\"";
        return Task.CompletedTask;
    }
}
