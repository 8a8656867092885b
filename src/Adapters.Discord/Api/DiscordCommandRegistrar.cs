using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Discord;

/// <summary>After <c>ApplicationStarted</c>, registers the hub's slash commands with a bulk overwrite
/// (<c>PUT /applications/{application_id}/commands</c>, or <c>…/guilds/{guild_id}/commands</c> per
/// <see cref="DiscordOptions.GuildIds"/>; discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands)
/// when <see cref="DiscordOptions.RegisterCommands"/> is on and <see cref="DiscordOptions.ApplicationId"/> and
/// <see cref="DiscordOptions.BotToken"/> are set. The REST client retries 429s and 5xx; a refusal is logged and the
/// bot works on (commands registered earlier stay).</summary>
internal sealed partial class DiscordCommandRegistrar(
    DiscordRestClient rest,
    IOptions<DiscordOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<DiscordCommandRegistrar> logger) : BackgroundService
{
    /// <summary>The commands registered: <see cref="DiscordOptions.AskCommandName"/> (CHAT_INPUT, a required string
    /// option <c>prompt</c>) and every <see cref="HubCommands.All"/> command without options.</summary>
    /// <param name="o">The options.</param>
    /// <returns>The JSON array of application command objects.</returns>
    public static JsonArray Commands(DiscordOptions o)
    {
        var commands = new JsonArray
        {
            new JsonObject
            {
                ["name"] = o.AskCommandName.ToLowerInvariant(),
                ["type"] = 1,
                ["description"] = "Ask the assistant",
                ["options"] = new JsonArray
                {
                    new JsonObject { ["type"] = 3, ["name"] = "prompt", ["description"] = "Your question or request", ["required"] = true },
                },
            },
        };
        foreach (var c in HubCommands.All)
        {
            commands.Add(new JsonObject { ["name"] = c.Name, ["type"] = 1, ["description"] = c.Description.Length > 100 ? c.Description[..100] : c.Description });
        }

        return commands;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.RegisterCommands || string.IsNullOrEmpty(o.ApplicationId) || string.IsNullOrEmpty(o.BotToken))
        {
            return;
        }

        if (!await StartGate.WaitAsync(lifetime.ApplicationStarted, stoppingToken).ConfigureAwait(false))
        {
            return;
        }

        var scopes = o.GuildIds.Count == 0 ? [null] : o.GuildIds.Select(g => (string?)g).ToArray();
        foreach (var guildId in scopes)
        {
            try
            {
                var count = await rest.BulkOverwriteCommandsAsync(o.ApplicationId, guildId, Commands(o), stoppingToken).ConfigureAwait(false);
                LogRegistered(count, guildId ?? "global");
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (DiscordApiException ex)
            {
                LogFailed(guildId ?? "global", (int?)ex.StatusCode ?? 0, ex.Message);
            }
        }
    }

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Discord slash commands registered: {Count} in scope {Scope}")]
    private partial void LogRegistered(int count, string scope);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Discord slash command registration in scope {Scope} failed with HTTP {StatusCode}: {Error}")]
    private partial void LogFailed(string scope, int statusCode, string error);
}
