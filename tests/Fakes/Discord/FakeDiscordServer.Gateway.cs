using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace OpenClaw.Channels.Fakes.Discord;

/// <summary>The Gateway side of <see cref="FakeDiscordServer"/>: Hello, Identify (with <c>shard: [id, count]</c>,
/// discord.com/developers/docs/events/gateway#sharding), Resume with replay, heartbeat ACKs, and a count of the
/// sessions (identified or resumed connections) per shard, open at once and in total.</summary>
public sealed partial class FakeDiscordServer
{
    private readonly Channel<FakeGatewayConnection> _connections = Channel.CreateUnbounded<FakeGatewayConnection>();
    private readonly ConcurrentQueue<DateTimeOffset> _identifyTimes = new();
    private readonly ConcurrentQueue<(int Shard, int Count, DateTimeOffset At)> _identifiedShards = new();
    private readonly List<(int Shard, long Seq, JsonObject Frame)> _events = [];
    private readonly Dictionary<int, long> _seqs = [];
    private readonly List<FakeGatewayConnection> _sessions = [];
    private readonly Dictionary<int, int> _maxOpenSessions = [];
    private readonly Lock _gate = new();

    /// <summary>The <c>shards</c> that <c>GET /gateway/bot</c> recommends. Default 1.</summary>
    public int RecommendedShards { get; set; } = 1;

    /// <summary><c>session_start_limit.max_concurrency</c> of <c>GET /gateway/bot</c>. Default 1.</summary>
    public int MaxConcurrency { get; set; } = 1;

    /// <summary>When set, an Identify with fewer shards than this is closed with 4011 sharding required.</summary>
    public int? RequiredShards { get; set; }

    /// <summary>Each Identify's <c>shard</c> (id, count; 0/1 without the field) and arrival time, in order.</summary>
    public IReadOnlyCollection<(int Shard, int Count, DateTimeOffset At)> IdentifiedShards => _identifiedShards;

    /// <summary>The session id of shard <paramref name="shard"/>: <see cref="SessionId"/> for shard 0, else with
    /// <c>-shard-{id}</c> appended.</summary>
    public string ShardSessionId(int shard) => shard == 0 ? SessionId : SessionId + "-shard-" + shard;

    /// <summary>Sessions (connections that identified or resumed) of <paramref name="shard"/> so far.</summary>
    public int SessionCount(int shard)
    {
        lock (_gate)
        {
            return _sessions.Count(c => c.ShardId == shard);
        }
    }

    /// <summary>Open sessions of <paramref name="shard"/> now.</summary>
    public int OpenSessions(int shard)
    {
        lock (_gate)
        {
            return _sessions.Count(c => c.ShardId == shard && !c.Closed.IsCompleted);
        }
    }

    /// <summary>The most sessions of <paramref name="shard"/> that were open at once.</summary>
    public int MaxOpenSessions(int shard)
    {
        lock (_gate)
        {
            return _maxOpenSessions.GetValueOrDefault(shard);
        }
    }

    /// <summary>The open session of <paramref name="shard"/> that got READY or RESUMED last, or null.</summary>
    public FakeGatewayConnection? LiveSession(int shard)
    {
        lock (_gate)
        {
            return _sessions.LastOrDefault(c => c.ShardId == shard && c.IsReady && !c.Closed.IsCompleted);
        }
    }

    /// <summary>The session id sent in READY.</summary>
    public string SessionId { get; init; } = "fake-session-1";

    /// <summary>Hello's <c>heartbeat_interval</c> in ms.</summary>
    public int HeartbeatIntervalMs { get; set; } = 250;

    /// <summary>When true, op 1 heartbeats get no op 11 ACK (to provoke zombie detection).</summary>
    public bool SkipHeartbeatAcks { get; set; }

    /// <summary>When set, a close frame from the client is answered with this close code instead of 1000: e.g. 4004, a
    /// fatal code the client reads only after it gave the connection up as a zombie.</summary>
    public int? AnswerClientCloseWith { get; set; }

    /// <summary>When set, Identify with other intents is closed with 4013 invalid intents.</summary>
    public int? ExpectedIntents { get; set; }

    /// <summary>When set, a resume replays events from this sequence number on (inclusive) instead of after the
    /// client's <c>seq</c>: simulates replays of events the client already handled.</summary>
    public long? ReplayFromSeq { get; set; }

    /// <summary>The URL <c>GET /gateway/bot</c> returns, e.g. <c>ws://127.0.0.1:1234/gateway</c>.</summary>
    public string GatewayUrl => BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/gateway";

    /// <summary>When each Identify (op 2) arrived, in order.</summary>
    public IReadOnlyCollection<DateTimeOffset> IdentifyTimes => _identifyTimes;

    /// <summary>Waits for the next gateway connection.</summary>
    /// <exception cref="TimeoutException">None in time.</exception>
    public async Task<FakeGatewayConnection> NextConnectionAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _connections.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No gateway connection within {timeout}.");
        }
    }

    /// <summary>True when a gateway connection arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> AnyConnectionWithinAsync(TimeSpan wait)
    {
        try
        {
            await NextConnectionAsync(wait);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }


    internal async Task<long> DispatchAsync(FakeGatewayConnection connection, string type, JsonNode data)
    {
        JsonObject frame;
        long seq;
        var shard = connection.ShardId ?? 0;
        lock (_gate)
        {
            seq = _seqs[shard] = _seqs.GetValueOrDefault(shard) + 1;
            frame = new JsonObject { ["op"] = 0, ["t"] = type, ["s"] = seq, ["d"] = data.DeepClone() };
            _events.Add((shard, seq, (JsonObject)frame.DeepClone()));
        }

        await connection.SendAsync(frame);
        return seq;
    }

    internal async Task OnClientFrameAsync(FakeGatewayConnection connection, JsonObject frame)
    {
        switch (frame["op"]?.GetValue<int>())
        {
            case 1:
                if (!SkipHeartbeatAcks)
                {
                    await connection.SendAsync(new JsonObject { ["op"] = 11 });
                }

                break;
            case 2:
                _identifyTimes.Enqueue(DateTimeOffset.UtcNow);
                var d = frame["d"]!;
                if (d["token"]?.GetValue<string>() != BotToken)
                {
                    await connection.CloseAsync(4004, "Authentication failed.");
                    return;
                }

                if (ExpectedIntents is { } expected && d["intents"]?.GetValue<int>() != expected)
                {
                    await connection.CloseAsync(4013, "Invalid intent(s).");
                    return;
                }

                var shardId = d["shard"] is JsonArray { Count: 2 } pair ? pair[0]!.GetValue<int>() : 0;
                var shardCount = d["shard"] is JsonArray { Count: 2 } pair2 ? pair2[1]!.GetValue<int>() : 1;
                _identifiedShards.Enqueue((shardId, shardCount, DateTimeOffset.UtcNow));
                if (RequiredShards is { } required && shardCount < required)
                {
                    await connection.CloseAsync(4011, "Sharding required.");
                    return;
                }

                StartSession(connection, shardId);

                await DispatchAsync(connection, "READY", new JsonObject
                {
                    ["v"] = 10,
                    ["user"] = new JsonObject { ["id"] = BotUserId, ["username"] = "openclaw", ["bot"] = true },
                    ["guilds"] = new JsonArray(),
                    ["session_id"] = ShardSessionId(shardId),
                    ["shard"] = new JsonArray(shardId, shardCount),
                    ["resume_gateway_url"] = BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/resume",
                    ["application"] = new JsonObject { ["id"] = ApplicationId, ["flags"] = 0 },
                });
                connection.IsReady = true;
                foreach (var guildId in Guilds)
                {
                    await DispatchAsync(connection, "GUILD_CREATE", GuildCreate(guildId));
                }

                break;
            case 6:
                var resume = frame["d"]!;
                var resumedShard = Enumerable.Range(0, 64).Cast<int?>().FirstOrDefault(i => ShardSessionId(i!.Value) == resume["session_id"]?.GetValue<string>());
                if (resumedShard is null)
                {
                    await connection.SendInvalidSessionAsync(false);
                    return;
                }

                StartSession(connection, resumedShard.Value);
                var from = ReplayFromSeq ?? (resume["seq"]?.GetValue<long>() ?? 0) + 1;
                List<JsonObject> replay;
                lock (_gate)
                {
                    replay = [.. _events.Where(e => e.Shard == resumedShard && e.Seq >= from).Select(e => (JsonObject)e.Frame.DeepClone())];
                }

                foreach (var e in replay)
                {
                    await connection.SendAsync(e);
                }

                await DispatchAsync(connection, "RESUMED", new JsonObject());
                connection.IsReady = true;
                break;
        }
    }

    private void StartSession(FakeGatewayConnection connection, int shard)
    {
        lock (_gate)
        {
            connection.ShardId = shard;
            _sessions.Add(connection);
            var open = _sessions.Count(c => c.ShardId == shard && !c.Closed.IsCompleted);
            _maxOpenSessions[shard] = Math.Max(_maxOpenSessions.GetValueOrDefault(shard), open);
        }
    }

    private JsonObject GuildCreate(string guildId) => new()
    {
        ["id"] = guildId,
        ["name"] = "Fake Guild",
        ["owner_id"] = "1000000000000000042",
        ["unavailable"] = false,
        ["member_count"] = 3,
        ["roles"] = new JsonArray
        {
            new JsonObject { ["id"] = guildId, ["name"] = "@everyone", ["permissions"] = "1071698660929", ["position"] = 0, ["managed"] = false, ["mentionable"] = false, ["hoist"] = false, ["color"] = 0 },
            new JsonObject { ["id"] = OtherRoleId(guildId), ["name"] = "Moderators", ["permissions"] = "8", ["position"] = 2, ["managed"] = false, ["mentionable"] = true, ["hoist"] = true, ["color"] = 3447003 },
            new JsonObject
            {
                ["id"] = BotRoleId(guildId), ["name"] = "openclaw", ["permissions"] = "274877975552", ["position"] = 1, ["managed"] = true, ["mentionable"] = false, ["hoist"] = false, ["color"] = 0,
                ["tags"] = new JsonObject { ["bot_id"] = BotUserId },
            },
        },
        ["members"] = new JsonArray
        {
            new JsonObject { ["user"] = new JsonObject { ["id"] = BotUserId, ["username"] = "openclaw", ["bot"] = true }, ["roles"] = new JsonArray(BotRoleId(guildId)), ["joined_at"] = "2026-01-01T00:00:00.000000+00:00", ["deaf"] = false, ["mute"] = false },
        },
        ["channels"] = new JsonArray(),
        ["threads"] = new JsonArray(),
    };

    private async Task AcceptGatewayAsync(HttpContext context, string path)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new FakeGatewayConnection(socket, context, this, path, context.Request.QueryString.Value ?? string.Empty);
        _connections.Writer.TryWrite(connection);
        await connection.RunAsync(HeartbeatIntervalMs);
    }
}
