using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Agent;
using OpenClaw.Channels.Hub.Dashboard;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Operations;

/// <summary>Logs what this node runs once Kestrel listens: mode (embedded, or Redis with its endpoints), node id,
/// each channel with its transport, the model endpoint and model, the listening and dashboard URLs, and warnings (no
/// channel, no model endpoint). Secrets, webhook paths and passwords are never printed.</summary>
internal sealed partial class StartupSummary(
    IHostApplicationLifetime lifetime,
    Microsoft.AspNetCore.Hosting.Server.IServer server,
    IConfiguration configuration,
    IOptions<HubOptions> hub,
    IOptions<AgentOptions> agent,
    DashboardAccessOptions dashboard,
    IEnumerable<IChannelAdapter> adapters,
    ILogger<StartupSummary> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var (warning, line) in Lines())
            {
                if (warning)
                {
                    LogWarning(logger, line);
                }
                else
                {
                    LogLine(logger, line);
                }
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The summary: (is a warning, text) per line.</summary>
    internal IEnumerable<(bool Warning, string Line)> Lines()
    {
        var redis = configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(redis))
        {
            yield return (false, $"mode: embedded (one node, nothing to install; data under {Path.GetFullPath(hub.Value.DataDirectory)})");
        }
        else
        {
            var endpoints = string.Join(", ", ConfigurationOptions.Parse(redis).EndPoints.Select(e => e.ToString()));
            var quorum = hub.Value.RedLockEndpoints.Count > 0 ? $", RedLock quorum of {hub.Value.RedLockEndpoints.Count} endpoints" : string.Empty;
            yield return (false, $"mode: Redis {endpoints} (key prefix {hub.Value.KeyPrefix}{quorum})");
        }

        yield return (false, $"node: {hub.Value.NodeId} (queue {Routing.SessionRouter.QueueOf(hub.Value.NodeId)}, {HubServiceCollectionExtensions.ChatWorkers(hub.Value, agent.Value)} workers)");

        var channels = adapters.Select(a => a.Channel).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var channel in channels)
        {
            yield return (false, $"channel {channel}: {Transport(channel)}");
        }

        if (channels.Count == 0)
        {
            yield return (true, "no channel is configured: set Channels:Telegram:BotToken (or Slack, Discord, WeChat, WeCom); see README.md");
        }

        var model = agent.Value;
        if (string.IsNullOrWhiteSpace(model.Endpoint))
        {
            yield return (true, "no model endpoint: set Agent:Endpoint (an OpenAI-compatible base URL) and Agent:Model; until then every message gets a 'not configured' reply");
        }
        else
        {
            yield return (false, $"model: {model.Model} at {Authority(model.Endpoint)}{(string.IsNullOrEmpty(model.ApiKey) ? " (no API key)" : string.Empty)}");
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        if (addresses.Count > 0)
        {
            yield return (false, "listening: " + string.Join(", ", addresses));
            var access = dashboard.HasCredentials ? "Basic auth (Dashboard:Username)" : "local requests only until Dashboard:Username and Dashboard:Password are set";
            yield return (false, $"dashboard: {addresses[0].TrimEnd('/')}/hangfire ({access})");
        }
    }

    private string Transport(string channel)
    {
        var section = channel switch
        {
            "telegram" => configuration.GetSection("Channels:Telegram"),
            "slack" => configuration.GetSection("Channels:Slack"),
            "discord" => configuration.GetSection("Channels:Discord"),
            "wechat" => configuration.GetSection("Channels:WeChat"),
            "wecom" => configuration.GetSection("Channels:WeCom"),
            _ => null,
        };
        return channel switch
        {
            "telegram" when Is(section!["Mode"], "Webhook") => $"webhook, registered at {Authority(section["WebhookUrl"])}",
            "telegram" => "long polling (getUpdates)",
            "slack" when Is(section!["Mode"], "SocketMode") => "Socket Mode",
            "slack" => "Events API webhook at /webhooks/slack/events",
            "discord" => string.Join(" + ", Discord(section!)),
            "wechat" => "webhook at /webhooks/wechat",
            "wecom" => "webhook at /webhooks/wecom",
            _ => "on",
        };
    }

    private static IEnumerable<string> Discord(IConfigurationSection section)
    {
        if (!string.IsNullOrWhiteSpace(section["BotToken"]) && !Is(section["EnableGateway"], "false"))
        {
            yield return "gateway socket";
        }

        if (!string.IsNullOrWhiteSpace(section["PublicKey"]))
        {
            yield return "interactions webhook at /webhooks/discord/interactions";
        }
    }

    private static bool Is(string? value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>Scheme, host and port of <paramref name="url"/>: paths may carry secrets (webhook paths, tokens).</summary>
    private static string Authority(string? url)
        => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) + (uri.AbsolutePath.Length > 1 ? "/…" : string.Empty) : "(not set)";

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "{Line}")]
    private static partial void LogLine(ILogger logger, string line);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "{Line}")]
    private static partial void LogWarning(ILogger logger, string line);
}
