using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Channels.Slack;

/// <summary>The bot's own Slack identity (user id, bot id, team id), from <c>auth.test</c>
/// (docs.slack.dev/reference/methods/auth.test), looked up once and cached.</summary>
internal sealed class SlackBotIdentity(SlackApiClient api, ILogger<SlackBotIdentity> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Identity? _identity;

    /// <summary>The cached identity, or the result of one <c>auth.test</c> call; null when the call failed.</summary>
    public async Task<Identity?> GetAsync(CancellationToken cancellationToken)
    {
        if (_identity is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_identity is { } again)
            {
                return again;
            }

            var result = await api.CallAsync("auth.test", new JsonObject(), null, cancellationToken).ConfigureAwait(false);
            _identity = new Identity(Str(result, "user_id"), Str(result, "bot_id"), Str(result, "team_id"));
            return _identity;
        }
        catch (SlackApiException e)
        {
            SlackLog.AuthTestFailed(logger, e.ErrorCode ?? "?");
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string? Str(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public void Dispose() => _gate.Dispose();

    /// <summary>The bot's ids.</summary>
    /// <param name="UserId">The bot user id (<c>U…</c>) used in mentions.</param>
    /// <param name="BotId">The bot id (<c>B…</c>) carried as <c>bot_id</c> on its messages.</param>
    /// <param name="TeamId">The workspace id.</param>
    internal sealed record Identity(string? UserId, string? BotId, string? TeamId);
}
