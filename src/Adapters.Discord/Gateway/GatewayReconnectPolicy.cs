using System.Net.WebSockets;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Discord;

/// <summary>What to do after a gateway connection ended: the close codes that forbid reconnecting or need a new
/// session (discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes), the
/// exponential reconnect backoff and the random 1–5 s wait after Invalid Session (op 9).</summary>
internal sealed class GatewayReconnectPolicy(DiscordOptions options)
{
    /// <summary>Failed resumes in a row after which the session is given up and a new one identified.</summary>
    public const int MaxResumeFailures = 5;

    /// <summary>The wait after <paramref name="failures"/> consecutive failed connections: <c>ReconnectDelayMs</c>
    /// doubled per failure, at most <c>MaxReconnectDelayMs</c>.</summary>
    public TimeSpan Backoff(int failures)
        => new ExponentialBackoff(TimeSpan.FromMilliseconds(options.ReconnectDelayMs), TimeSpan.FromMilliseconds(options.MaxReconnectDelayMs)).DelayAfter(failures);

    /// <summary>A random wait in [<c>InvalidSessionMinDelayMs</c>, <c>InvalidSessionMaxDelayMs</c>].</summary>
    public TimeSpan InvalidSessionDelay()
    {
        var min = Math.Min(options.InvalidSessionMinDelayMs, options.InvalidSessionMaxDelayMs);
        var max = Math.Max(options.InvalidSessionMinDelayMs, options.InvalidSessionMaxDelayMs);
        return TimeSpan.FromMilliseconds(min + (Random.Shared.NextDouble() * (max - min)));
    }

    /// <summary>The outcome of a connection the server closed (or that closed without a code).</summary>
    public static GatewayOutcome CloseOutcome(ClientWebSocket ws, string? fallback)
    {
        var code = (int?)ws.CloseStatus;
        var description = ws.CloseStatusDescription;
        var reason = code is null ? fallback ?? "connection closed without a code" : $"closed with {code} {Meaning(code.Value)}{(string.IsNullOrEmpty(description) ? string.Empty : " (" + description + ")")}";
        return code switch
        {
            4011 => new GatewayOutcome(GatewayNext.Reshard, reason, CloseCode: code),
            4004 or 4010 or 4012 or 4013 or 4014 => new GatewayOutcome(GatewayNext.Stop, reason, CloseCode: code),
            4007 or 4009 => new GatewayOutcome(GatewayNext.NewSession, reason, CloseCode: code),
            _ => new GatewayOutcome(GatewayNext.Resume, reason, CloseCode: code),
        };
    }

    private static string Meaning(int code) => code switch
    {
        4000 => "unknown error",
        4001 => "unknown opcode",
        4002 => "decode error",
        4003 => "not authenticated",
        4004 => "authentication failed: check Channels:Discord:BotToken",
        4005 => "already authenticated",
        4007 => "invalid seq",
        4008 => "rate limited",
        4009 => "session timed out",
        4010 => "invalid shard",
        4011 => "sharding required",
        4012 => "invalid API version",
        4013 => "invalid intents",
        4014 => "disallowed intents: enable the Message Content intent in the developer portal",
        _ => string.Empty,
    };
}
