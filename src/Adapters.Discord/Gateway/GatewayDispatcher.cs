using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Channels.Discord;

/// <summary>Handles the dispatches (op 0) of one gateway session (discord.com/developers/docs/events/gateway-events):
/// READY/RESUMED fill <see cref="GatewaySession"/> and the bot's identity; guild, role and thread events fill the
/// caches the normalizer needs (thread channels, the bot's managed roles); <c>MESSAGE_CREATE</c> and, for apps without
/// an Interactions Endpoint URL, <c>INTERACTION_CREATE</c> are normalized and handed to <see cref="IInboundPipeline"/>,
/// dropping ids already handed over (a resume replays events). Not thread-safe: one receive loop calls it.</summary>
internal sealed class GatewayDispatcher(
    DiscordOptions options,
    DiscordRestClient rest,
    DiscordNormalizer normalizer,
    IServiceScopeFactory scopes,
    GatewaySession session,
    ILogger logger)
{
    private const int RecentIdCapacity = 2048;

    private readonly HashSet<string> _recentIds = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentOrder = new();
    private readonly HashSet<string> _threads = new(StringComparer.Ordinal);
    private readonly HashSet<string> _botRoles = new(StringComparer.Ordinal);

    /// <summary>Handles one dispatch. Returns whether it was handled (false: the pipeline threw; the sequence is not
    /// advanced) and whether it was READY/RESUMED.</summary>
    public async Task<(bool Handled, bool Ready)> DispatchAsync(JsonElement frame, CancellationToken cancellationToken)
    {
        long? s = frame.TryGetProperty("s", out var seq) && seq.ValueKind == JsonValueKind.Number ? seq.GetInt64() : null;
        var type = frame.TryGetProperty("t", out var t) ? t.GetString() : null;
        var d = frame.TryGetProperty("d", out var data) ? data : default;
        var ready = false;
        switch (type)
        {
            case "READY":
                session.SessionId = d.GetProperty("session_id").GetString();
                session.ResumeUrl = d.TryGetProperty("resume_gateway_url", out var ru) ? ru.GetString() : null;
                session.SelfUserId = d.GetProperty("user").GetProperty("id").GetString();
                var applicationId = d.TryGetProperty("application", out var app) && app.TryGetProperty("id", out var aid) ? aid.GetString() : null;
                session.AccountId = !string.IsNullOrEmpty(options.ApplicationId) ? options.ApplicationId : applicationId ?? session.SelfUserId;
                DiscordGatewayLog.Ready(logger, session.SelfUserId ?? "?");
                ready = true;
                break;
            case "RESUMED":
                DiscordGatewayLog.Resumed(logger);
                ready = true;
                break;
            case "GUILD_CREATE" or "THREAD_LIST_SYNC":
                if (d.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array)
                {
                    foreach (var role in roles.EnumerateArray())
                    {
                        RememberBotRole(role);
                    }
                }

                if (d.TryGetProperty("threads", out var threads) && threads.ValueKind == JsonValueKind.Array)
                {
                    foreach (var thread in threads.EnumerateArray())
                    {
                        RememberThread(thread);
                    }
                }

                break;
            case "GUILD_ROLE_CREATE" or "GUILD_ROLE_UPDATE":
                if (d.TryGetProperty("role", out var changedRole))
                {
                    RememberBotRole(changedRole);
                }

                break;
            case "GUILD_ROLE_DELETE":
                if (d.TryGetProperty("role_id", out var deletedRole) && deletedRole.GetString() is { } deletedRoleId)
                {
                    _botRoles.Remove(deletedRoleId);
                }

                break;
            case "THREAD_CREATE" or "THREAD_UPDATE":
                RememberThread(d);
                break;
            case "THREAD_DELETE":
                if (d.TryGetProperty("id", out var deleted) && deleted.GetString() is { } deletedId)
                {
                    _threads.Remove(deletedId);
                }

                break;
            case "INTERACTION_CREATE":
                // Interactions arrive over the gateway when the app has no Interactions Endpoint URL.
                if (!await AcceptInteractionAsync(d, cancellationToken).ConfigureAwait(false))
                {
                    return (false, false);
                }

                break;
            case "MESSAGE_CREATE":
                if (!await AcceptMessageAsync(d, cancellationToken).ConfigureAwait(false))
                {
                    return (false, false);
                }

                break;
            default:
                break;
        }

        if (s is not null)
        {
            session.Advance(s.Value);
        }

        return (true, ready);
    }

    private async Task<bool> AcceptMessageAsync(JsonElement d, CancellationToken cancellationToken)
    {
        ChannelMessage? message;
        try
        {
            var channelId = d.TryGetProperty("channel_id", out var c) ? c.GetString() : null;
            message = normalizer.NormalizeMessageCreate(d, session.SelfUserId, session.AccountId ?? session.SelfUserId ?? string.Empty, channelId is not null && _threads.Contains(channelId), _botRoles);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            DiscordGatewayLog.Malformed(logger, ex.GetType().Name);
            return true;
        }

        // A resume replays events: drop ids already handed over on this process.
        if (message is null || _recentIds.Contains(message.PlatformMessageId))
        {
            return true;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var pipeline = scope.ServiceProvider.GetRequiredService<IInboundPipeline>();
            var result = await pipeline.AcceptAsync(message, cancellationToken).ConfigureAwait(false);
            DiscordGatewayLog.Accepted(logger, message.PlatformMessageId, result.Outcome.ToString());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DiscordGatewayLog.PipelineFailed(logger, message.PlatformMessageId, ex.GetType().Name);
            return false;
        }

        Remember(message.PlatformMessageId);
        return true;
    }

    private async Task<bool> AcceptInteractionAsync(JsonElement d, CancellationToken cancellationToken)
    {
        ChannelMessage? message;
        try
        {
            message = normalizer.NormalizeInteraction(d);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException)
        {
            DiscordGatewayLog.Malformed(logger, ex.GetType().Name);
            return true;
        }

        if (message is null || _recentIds.Contains(message.PlatformMessageId))
        {
            return true;
        }

        InboundResult result;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var pipeline = scope.ServiceProvider.GetRequiredService<IInboundPipeline>();
            result = await pipeline.AcceptAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DiscordGatewayLog.PipelineFailed(logger, message.PlatformMessageId, ex.GetType().Name);
            return false;
        }

        Remember(message.PlatformMessageId);
        var response = DiscordInteractionResponse.ForCommand(result.Outcome);
        try
        {
            await rest.CreateInteractionResponseAsync(message.PlatformMessageId, message.ReplyContext!, response, cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException ex)
        {
            // The token is dead after 3 s; nothing to retry. The message is already accepted.
            DiscordGatewayLog.InteractionCallbackFailed(logger, message.PlatformMessageId, ex.ErrorCode);
        }

        return true;
    }

    private void Remember(string id)
    {
        if (_recentIds.Add(id))
        {
            _recentOrder.Enqueue(id);
            if (_recentOrder.Count > RecentIdCapacity)
            {
                _recentIds.Remove(_recentOrder.Dequeue());
            }
        }
    }

    /// <summary>Remembers the bot's managed role (the one Discord creates when the bot joins a guild, with
    /// <c>tags.bot_id</c> = the bot's user id; discord.com/developers/docs/topics/permissions#role-object-role-tags-structure):
    /// mentioning it (<c>&lt;@&amp;role&gt;</c>, which Discord's autocomplete often picks) counts as mentioning the bot.</summary>
    private void RememberBotRole(JsonElement role)
    {
        if (session.SelfUserId is not null && role.ValueKind == JsonValueKind.Object
            && role.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Object
            && tags.TryGetProperty("bot_id", out var botId) && botId.GetString() == session.SelfUserId
            && role.TryGetProperty("id", out var id) && id.GetString() is { } roleId)
        {
            _botRoles.Add(roleId);
        }
    }

    // MESSAGE_CREATE does not always say its channel is a thread; remember thread channels the gateway announced.
    private void RememberThread(JsonElement channel)
    {
        if (channel.ValueKind == JsonValueKind.Object
            && channel.TryGetProperty("id", out var id) && id.GetString() is { } threadId
            && channel.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Number && type.GetInt32() is 10 or 11 or 12
            && _threads.Count < 100_000)
        {
            _threads.Add(threadId);
        }
    }
}
