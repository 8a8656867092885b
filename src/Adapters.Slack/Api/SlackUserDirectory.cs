using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Channels.Slack;

/// <summary>Display names of Slack users for rendering <c>&lt;@U123&gt;</c> mentions, from <c>users.info</c>
/// (docs.slack.dev/reference/methods/users.info, scope <c>users:read</c>): <c>profile.display_name</c>, else
/// <c>profile.real_name</c>, else <c>real_name</c>, else <c>name</c>. Each user is looked up once and cached in memory
/// for <see cref="CacheTtl"/>; a failed lookup (missing scope, unknown user, timeout) is cached as "unknown" for
/// <see cref="FailureTtl"/> so a busy channel does not call Slack for every message.</summary>
internal sealed class SlackUserDirectory(SlackApiClient api, TimeProvider timeProvider, ILogger<SlackUserDirectory> logger)
{
    /// <summary>How long a resolved name is kept.</summary>
    public static readonly TimeSpan CacheTtl = TimeSpan.FromHours(1);

    /// <summary>How long a failed lookup is remembered.</summary>
    public static readonly TimeSpan FailureTtl = TimeSpan.FromMinutes(5);

    /// <summary>Longest a lookup may take inside an inbound request (Slack wants the ack within 3 s).</summary>
    public static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(1.5);

    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);

    /// <summary>The display name of <paramref name="userId"/>, or null when it cannot be found out.</summary>
    /// <param name="userId">A user id (<c>U…</c> or <c>W…</c>).</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The name without a leading <c>@</c>, or null.</returns>
    public async Task<string?> GetDisplayNameAsync(string userId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (_cache.TryGetValue(userId, out var cached) && cached.Until > now)
        {
            return cached.Name;
        }

        string? name = null;
        using var timeout = new CancellationTokenSource(LookupTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var response = await api.CallFormAsync("users.info", new Dictionary<string, string> { ["user"] = userId }, linked.Token).ConfigureAwait(false);
            name = NameOf(response);
        }
        catch (SlackApiException e)
        {
            SlackLog.UserLookupFailed(logger, userId, e.ErrorCode ?? "?");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            SlackLog.UserLookupFailed(logger, userId, "timeout");
        }

        _cache[userId] = new Entry(name, timeProvider.GetUtcNow() + (name is null ? FailureTtl : CacheTtl));
        return name;
    }

    private static string? NameOf(JsonElement response)
    {
        if (!response.TryGetProperty("user", out var user) || user.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (user.TryGetProperty("profile", out var profile) && profile.ValueKind == JsonValueKind.Object)
        {
            if (Str(profile, "display_name") is { Length: > 0 } display)
            {
                return display;
            }

            if (Str(profile, "real_name") is { Length: > 0 } real)
            {
                return real;
            }
        }

        return Str(user, "real_name") is { Length: > 0 } realName ? realName : Str(user, "name") is { Length: > 0 } handle ? handle : null;
    }

    private static string? Str(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private sealed record Entry(string? Name, DateTimeOffset Until);
}
