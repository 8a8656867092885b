using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Discord;

/// <summary>The Discord Gateway v10 client (JSON encoding), run as a hosted worker. It reads how the bot is sharded
/// (<see cref="DiscordOptions.ShardCount"/>, else <c>shards</c> of <c>GET /gateway/bot</c>, with
/// <c>session_start_limit.max_concurrency</c> for the identify buckets) and runs every shard through a
/// <see cref="GatewayShardLease"/>: each shard is held by exactly one node of the cluster and runs there as a
/// <see cref="GatewayShard"/> (heartbeat, identify gate, resume, dispatch). A close with 4011 (sharding required)
/// re-reads <c>/gateway/bot</c>, stores the larger shard count for the whole cluster and starts over; a node that sees the
/// stored count change re-shards too. Follows discord.com/developers/docs/events/gateway (#sharding,
/// #get-gateway-bot).</summary>
internal sealed class DiscordGatewayClient : BackgroundService
{
    private static readonly TimeSpan ShardCountCheck = TimeSpan.FromSeconds(5);

    private readonly DiscordOptions _options;
    private readonly DiscordRestClient _rest;
    private readonly DiscordGatewayState _state;
    private readonly ConnectionOwnership _ownership;
    private readonly IChannelStateStore? _store;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger<DiscordGatewayClient> _logger;
    private readonly GatewayReconnectPolicy _policy;
    private readonly GatewayShardServices _services;
    private int? _reshardedCount; // without a store: the count after a 4011, for this process only

    public DiscordGatewayClient(
        IOptions<DiscordOptions> options,
        DiscordRestClient rest,
        DiscordNormalizer normalizer,
        DiscordGatewayState state,
        IServiceScopeFactory scopes,
        ConnectionOwnership ownership,
        ISharedRateLimiter limiter,
        TimeProvider time,
        ILogger<DiscordGatewayClient> logger,
        IChannelStateStore? store = null,
        IHostApplicationLifetime? lifetime = null)
    {
        _options = options.Value;
        _rest = rest;
        _state = state;
        _ownership = ownership;
        _store = store;
        _time = time;
        _logger = logger;
        _lifetime = lifetime;
        _policy = new GatewayReconnectPolicy(_options);
        _services = new GatewayShardServices(
            _options, rest, normalizer, scopes, new GatewayIdentifyGate(limiter, _options, time), new GatewaySessionStore(store), state, time, logger);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.GatewayEnabled)
        {
            _state.Set(DiscordGatewayStatus.Disabled);
            return;
        }

        if (string.IsNullOrEmpty(_options.BotToken))
        {
            Fail("no BotToken configured");
            return;
        }

        await WaitForStartAsync(stoppingToken).ConfigureAwait(false);
        string? botKey = null;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            GatewayOutcome? outcome;
            try
            {
                _state.Set(DiscordGatewayStatus.Connecting);
                botKey ??= !string.IsNullOrEmpty(_options.ApplicationId) ? _options.ApplicationId : await _rest.GetCurrentUserIdAsync(stoppingToken).ConfigureAwait(false);
                var topology = await ResolveTopologyAsync(botKey, stoppingToken).ConfigureAwait(false);
                failures = 0;
                outcome = await RunShardsAsync(topology, stoppingToken).ConfigureAwait(false);
                if (outcome?.Next == GatewayNext.Reshard)
                {
                    await ReshardAsync(topology, outcome.Reason, stoppingToken).ConfigureAwait(false);
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (DiscordApiException ex) when (ex.StatusCode is System.Net.HttpStatusCode.Unauthorized)
            {
                outcome = new GatewayOutcome(GatewayNext.Stop, "authentication failed: check Channels:Discord:BotToken (GET /gateway/bot answered 401)");
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or DiscordApiException or IOException or JsonException or TimeoutException or OperationCanceledException or InvalidOperationException or KeyNotFoundException)
            {
                var delay = _policy.Backoff(++failures);
                DiscordGatewayLog.SetupFailed(_logger, ex.GetType().Name, (long)delay.TotalMilliseconds);
                _state.Set(DiscordGatewayStatus.Reconnecting, "set-up failed: " + ex.GetType().Name);
                try
                {
                    await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            if (outcome?.Next == GatewayNext.Stop)
            {
                Fail(outcome.Reason, outcome.CloseCode);
                return;
            }
        }
    }

    /// <summary>Runs every shard through its lease until one stops for good, needs re-sharding, or another node stored
    /// a different shard count.</summary>
    private async Task<GatewayOutcome?> RunShardsAsync(GatewayTopology topology, CancellationToken stoppingToken)
    {
        DiscordGatewayLog.Topology(_logger, topology.ShardCount, topology.MaxConcurrency);
        _state.Set(DiscordGatewayStatus.Standby);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var shards = Enumerable.Range(0, topology.ShardCount)
            .Select(i => new GatewayShardLease(i, topology, _services, _ownership, _store).RunAsync(run.Token))
            .ToList();
        var watch = WatchShardCountAsync(topology, run.Token);
        var pending = new List<Task>(shards) { watch };
        GatewayOutcome? outcome = null;
        while (pending.Count > 0 && outcome is null && !run.IsCancellationRequested)
        {
            var done = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(done);
            if (done is Task<GatewayOutcome?> { IsCompletedSuccessfully: true, Result: { } ended })
            {
                outcome = ended;
            }
            else if (done == watch && watch.IsCompletedSuccessfully && watch.Result)
            {
                break;
            }
        }

        await run.CancelAsync().ConfigureAwait(false);
        await ((Task)Task.WhenAll(shards)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await ((Task)watch).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stoppingToken.ThrowIfCancellationRequested();
        return outcome;
    }

    /// <summary>Completes with true when the cluster's stored shard count differs from <paramref name="topology"/>'s.</summary>
    private async Task<bool> WatchShardCountAsync(GatewayTopology topology, CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, cancellationToken).ConfigureAwait(false);
            return false;
        }

        while (true)
        {
            await Task.Delay(ShardCountCheck, _time, cancellationToken).ConfigureAwait(false);
            try
            {
                if (await StoredShardCountAsync(topology.BotKey, cancellationToken).ConfigureAwait(false) is { } stored && stored > topology.ShardCount)
                {
                    DiscordGatewayLog.Resharding(_logger, "another node stored a larger shard count", stored);
                    return true;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                DiscordGatewayLog.ShardLeaseFailed(_logger, GatewayTopology.ShardCountKey(topology.BotKey), ex.GetType().Name);
            }
        }
    }

    /// <summary>Answers 4011: the shard count becomes the larger of <c>/gateway/bot</c>'s and one more than now, stored
    /// for every node.</summary>
    private async Task ReshardAsync(GatewayTopology topology, string reason, CancellationToken cancellationToken)
    {
        var info = await _rest.GetGatewayBotAsync(cancellationToken).ConfigureAwait(false);
        var count = Math.Max(info.Shards, topology.ShardCount + 1);
        DiscordGatewayLog.Resharding(_logger, reason, count);
        if (_store is not null)
        {
            await _store.SetAsync(GatewayTopology.ShardCountKey(topology.BotKey), count.ToString(CultureInfo.InvariantCulture), TimeSpan.FromDays(1), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _reshardedCount = count;
        }
    }

    private async Task<GatewayTopology> ResolveTopologyAsync(string botKey, CancellationToken cancellationToken)
    {
        var stored = _store is null ? _reshardedCount : await StoredShardCountAsync(botKey, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(_options.GatewayUrl))
        {
            return new GatewayTopology(botKey, _options.GatewayUrl, Math.Max(_options.ShardCount ?? 1, stored ?? 1), 1);
        }

        var info = await _rest.GetGatewayBotAsync(cancellationToken).ConfigureAwait(false);
        if (info.Remaining <= 0 && info.ResetAfterMs > 0)
        {
            // Going over the daily session starts resets the token; wait for the reset instead.
            DiscordGatewayLog.SessionStartsExhausted(_logger, info.ResetAfterMs);
            await Task.Delay(TimeSpan.FromMilliseconds(info.ResetAfterMs), _time, cancellationToken).ConfigureAwait(false);
        }

        return new GatewayTopology(botKey, info.Url, Math.Max(_options.ShardCount ?? info.Shards, stored ?? 1), info.MaxConcurrency);
    }

    private async Task<int?> StoredShardCountAsync(string botKey, CancellationToken cancellationToken)
        => _store is not null
            && int.TryParse(await _store.GetAsync(GatewayTopology.ShardCountKey(botKey), cancellationToken).ConfigureAwait(false), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)
            && count > 0
                ? count
                : null;

    private async Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        if (_lifetime is null || _lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return;
        }

        if (!await StartGate.WaitAsync(_lifetime.ApplicationStarted, cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private void Fail(string reason, int? closeCode = null)
    {
        _state.Set(DiscordGatewayStatus.Failed, reason, closeCode);
        DiscordGatewayLog.Stopped(_logger, reason);
    }
}
