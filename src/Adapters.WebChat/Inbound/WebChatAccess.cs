using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.WebChat;

/// <summary>Who may use the page, and which chat a browser is: local requests (loopback peer, no forwarding header)
/// always; others only with <see cref="WebChatOptions.AllowRemote"/> and the <see cref="WebChatOptions.AccessToken"/>.
/// The browser session is a random 256-bit value in an HTTP-only, SameSite=Strict cookie; the chat id is derived from it
/// by SHA-256, so the chat id that appears in session keys and logs does not give the session away.</summary>
internal sealed class WebChatAccess
{
    /// <summary>The session cookie's name.</summary>
    public const string SessionCookie = "openclaw_webchat";

    /// <summary>The cookie that keeps a remote browser's proof of the access token (the token's SHA-256, not the token).</summary>
    public const string AuthCookie = "openclaw_webchat_auth";

    /// <summary>Headers a reverse proxy adds; a request carrying one is never local, whatever its peer address.</summary>
    private static readonly string[] ForwardingHeaders = ["X-Forwarded-For", "Forwarded", "X-Real-IP"];

    private readonly WebChatOptions _options;
    private readonly byte[]? _tokenHash;

    public WebChatAccess(IOptions<WebChatOptions> options)
    {
        _options = options.Value;
        _tokenHash = string.IsNullOrEmpty(_options.AccessToken) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(_options.AccessToken.Trim()));
    }

    /// <summary>Decides whether <paramref name="context"/> may use the page.</summary>
    /// <param name="context">The request.</param>
    /// <param name="acceptQueryToken">True on <c>GET /</c>, where <c>?token=</c> is accepted (and then kept in a cookie).</param>
    /// <returns>Null when allowed, else the result to answer (403 local-only, 401 missing or wrong token).</returns>
    public IResult? Authorize(HttpContext context, bool acceptQueryToken)
    {
        if (IsLocal(context))
        {
            return null;
        }

        if (!_options.AllowRemote || _tokenHash is null)
        {
            return Results.Text("The web chat answers local requests only. Set Channels:WebChat:AllowRemote=true and Channels:WebChat:AccessToken to open it to others.\n", statusCode: StatusCodes.Status403Forbidden);
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Matches(authorization["Bearer ".Length..].Trim()))
        {
            return null;
        }

        if (context.Request.Cookies.TryGetValue(AuthCookie, out var proof) && MatchesHash(proof))
        {
            return null;
        }

        if (acceptQueryToken && context.Request.Query.TryGetValue("token", out var token) && Matches(token.ToString()))
        {
            context.Response.Cookies.Append(AuthCookie, Convert.ToHexStringLower(_tokenHash), CookieOptionsFor(context));
            return null;
        }

        return Results.Text("Open the web chat as /?token=<Channels:WebChat:AccessToken>, or send Authorization: Bearer <token>.\n", statusCode: StatusCodes.Status401Unauthorized);
    }

    /// <summary>The browser's chat id (32 hex characters), issuing a new session cookie when the request has none.</summary>
    public string ChatIdOf(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(SessionCookie, out var session) || !IsSessionValue(session))
        {
            session = Base64Url(RandomNumberGenerator.GetBytes(32));
            var cookie = CookieOptionsFor(context);
            cookie.MaxAge = TimeSpan.FromDays(365);
            context.Response.Cookies.Append(SessionCookie, session, cookie);
        }

        return ChatIdFor(session);
    }

    /// <summary>The chat id of a session cookie value: the first 16 bytes of its SHA-256, lower-case hex.</summary>
    internal static string ChatIdFor(string session) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(session)).AsSpan(0, 16));

    /// <summary>True when the peer is loopback and no proxy header says the request came from elsewhere.</summary>
    internal static bool IsLocal(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is { IsIPv4MappedToIPv6: true })
        {
            remote = remote.MapToIPv4();
        }

        if (remote is null || !IPAddress.IsLoopback(remote))
        {
            return false;
        }

        foreach (var header in ForwardingHeaders)
        {
            if (context.Request.Headers.ContainsKey(header))
            {
                return false;
            }
        }

        return true;
    }

    private bool Matches(string token) => !string.IsNullOrEmpty(token) && SecretComparer.MatchesDigest(token.Trim(), _tokenHash);

    private bool MatchesHash(string hex)
    {
        if (hex.Length != 64)
        {
            return false;
        }

        try
        {
            return CryptographicOperations.FixedTimeEquals(Convert.FromHexString(hex), _tokenHash);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsSessionValue(string value) => value.Length == 43 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static CookieOptions CookieOptionsFor(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        IsEssential = true,
    };
}
