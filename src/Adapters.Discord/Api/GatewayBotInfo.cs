namespace OpenClaw.Channels.Discord;

/// <summary>The answer of <c>GET /gateway/bot</c> (discord.com/developers/docs/events/gateway#get-gateway-bot).</summary>
/// <param name="Url">The gateway URL, e.g. <c>wss://gateway.discord.gg</c>.</param>
/// <param name="MaxConcurrency">Identify calls allowed per 5 s (<c>session_start_limit.max_concurrency</c>).</param>
/// <param name="Remaining">Session starts left today.</param>
/// <param name="ResetAfterMs">When <paramref name="Remaining"/> resets, in ms.</param>
/// <param name="Shards">The recommended number of shards (<c>shards</c>), at least 1.</param>
internal sealed record GatewayBotInfo(string Url, int MaxConcurrency, int Remaining, int ResetAfterMs, int Shards = 1);
