using System.Text.Json;

namespace OpenClaw.Channels.Hub.Doctor;

/// <summary>Discord: <c>GET /users/@me</c> and <c>GET /gateway/bot</c> with <c>Authorization: Bot {token}</c>
/// (discord.com/developers/docs/resources/user#get-current-user, .../topics/gateway#get-gateway-bot); an
/// interactions-only setup (public key, no token) has its key's format checked.</summary>
internal static class DiscordProbe
{
    public static async Task<DoctorResult> ProbeAsync(IConfiguration configuration, DoctorHttp http, CancellationToken cancellationToken)
    {
        var channel = new ProbedChannel(configuration, "discord", "Channels:Discord", "https://discord.com/api/v10");
        var token = channel["BotToken"];
        var publicKey = channel["PublicKey"];
        if (string.IsNullOrWhiteSpace(token))
        {
            return publicKey is { Length: 64 } && publicKey.All(char.IsAsciiHexDigit)
                ? channel.Ok("interactions only (no BotToken: no gateway); PublicKey is 64 hex characters")
                : channel.Failed("PublicKey must be 64 hex characters (the application's Ed25519 public key)", "PublicKey");
        }

        var api = channel.ApiBaseUrl;
        var me = await http.SendAsync(HttpMethod.Get, api + "/users/@me", token, null, cancellationToken, scheme: "Bot").ConfigureAwait(false);
        if (!me.IsSuccess)
        {
            return channel.CallFailed("GET /users/@me", me, me.String("message"));
        }

        var name = me.String("username") ?? "bot";
        var gateway = await http.SendAsync(HttpMethod.Get, api + "/gateway/bot", token, null, cancellationToken, scheme: "Bot").ConfigureAwait(false);
        if (!gateway.IsSuccess || gateway.Body is not { ValueKind: JsonValueKind.Object } body)
        {
            return channel.Failed($"/users/@me {name}; GET /gateway/bot: {gateway.Describe(gateway.String("message"))}", "BotToken");
        }

        var shards = body.TryGetProperty("shards", out var s) ? s.GetRawText() : "?";
        var remaining = body.TryGetProperty("session_start_limit", out var limit) && limit.TryGetProperty("remaining", out var r) ? r.GetRawText() : "?";
        return remaining == "0"
            ? channel.Failed($"/users/@me {name}; /gateway/bot: no session starts left today (session_start_limit.remaining 0)", "BotToken")
            : channel.Ok($"/users/@me {name}; /gateway/bot: {shards} shard(s), {remaining} session starts left");
    }
}
