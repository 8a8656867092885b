using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Channels.Discord;

/// <summary>What every <see cref="GatewayShard"/> of the process shares.</summary>
internal sealed record GatewayShardServices(
    DiscordOptions Options,
    DiscordRestClient Rest,
    DiscordNormalizer Normalizer,
    IServiceScopeFactory Scopes,
    GatewayIdentifyGate IdentifyGate,
    GatewaySessionStore Sessions,
    DiscordGatewayState State,
    TimeProvider Time,
    ILogger Logger);
