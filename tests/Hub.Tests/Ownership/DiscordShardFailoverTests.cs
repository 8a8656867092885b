using System.Globalization;
using System.Text.Json.Nodes;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Discord;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Tests.Faults;
using OpenClaw.Channels.Tests.Ordering;
using Xunit.Abstractions;

namespace OpenClaw.Channels.Tests.Ownership;

/// <summary>Issue 16: two hub processes on one Redis (a redis-server of the test's own) hold each Discord shard on one
/// node: the fake gateway counts sessions per shard and sees one open at a time; SIGKILL of the holder moves the session
/// to the other node, which resumes it from the stored session id and sequence, and a later DM is answered once;
/// <c>ShardCount: 2</c> gives two sessions, one per shard, one on each node.</summary>
[TypicalDuration(29)]
public sealed class DiscordShardFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TwoNodes_OneSession_KilledHolderSessionMovesAndResumes_LaterDmAnsweredOnce()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var discord = new FakeDiscordServer { HeartbeatIntervalMs = 5000 }; // no load-made zombie resumes
        await discord.StartAsync();
        await using var model = new FakeOpenAiServer();
        await model.StartAsync();
        var nodes = await StartNodesAsync(redis, discord, model, shardCount: null);
        try
        {
            var first = await Eventually.ValueAsync(() => discord.LiveSession(0), Wait);
            await SendDmAndAwaitAnswerAsync(discord, first, 1);
            var holder = await OwnerAsync(redis, discord, "shard:0/1");
            output.WriteLine($"shard 0/1 held by {holder}");
            Assert.Equal(1, discord.MaxOpenSessions(0));
            Assert.Contains(nodes.Single(n => n.NodeId == holder).Output, l => l.Contains($"Discord shard 0/1 owned by node {holder}", StringComparison.Ordinal));
            // (The other node may have held the shard first, when it started before the holder joined, and handed it over.)

            // SIGKILL the holder: no lease released, the kernel closes its socket.
            await nodes.Single(n => n.NodeId == holder).KillAsync();
            var moved = await Eventually.ValueAsync(() => discord.LiveSession(0) is { } s && s != first ? s : null, Wait);
            Assert.Equal("/resume", moved.Path);
            var resume = moved.Frames.First(f => f["op"]!.GetValue<int>() == 6);
            Assert.Equal(discord.SessionId, resume["d"]!["session_id"]!.GetValue<string>());
            var other = await OwnerAsync(redis, discord, "shard:0/1");
            Assert.NotEqual(holder, other);

            // A later DM is answered once; a third one answered is the marker that nothing else is on its way.
            await SendDmAndAwaitAnswerAsync(discord, moved, 2);
            await SendDmAndAwaitAnswerAsync(discord, moved, 3);
            Assert.Single(discord.Calls, c => c.Method == "POST" && c.Body?["content"]?.GetValue<string>() == "answer: dm 2");
            Assert.Single(discord.Calls, c => c.Method == "POST" && c.Body?["content"]?.GetValue<string>() == "answer: dm 1");
            Assert.Equal(1, discord.MaxOpenSessions(0));
            Assert.Equal(1, discord.OpenSessions(0));
        }
        catch
        {
            Dump(nodes);
            throw;
        }
        finally
        {
            foreach (var n in nodes)
            {
                await n.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task TwoNodes_ShardCount2_TwoSessionsOnePerShard_OnDifferentNodes()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var discord = new FakeDiscordServer { HeartbeatIntervalMs = 5000 }; // no load-made zombie resumes
        await discord.StartAsync();
        await using var model = new FakeOpenAiServer();
        await model.StartAsync();
        var nodes = await StartNodesAsync(redis, discord, model, shardCount: 2);
        try
        {
            // Both nodes up: each shard ends on its preferred node (shard i on the i-th live node), handed over if needed.
            var owners = await Eventually.ValueAsync(
                () =>
                {
                    var o0 = redis.Client.GetDatabase().HashGet(LeaseKey(discord, "shard:0/2"), "owner");
                    var o1 = redis.Client.GetDatabase().HashGet(LeaseKey(discord, "shard:1/2"), "owner");
                    return !o0.IsNull && !o1.IsNull && o0 != o1 && discord.LiveSession(0) is not null && discord.LiveSession(1) is not null
                        && discord.OpenSessions(0) == 1 && discord.OpenSessions(1) == 1
                        ? new[] { o0.ToString(), o1.ToString() }
                        : null;
                },
                Wait);
            output.WriteLine($"shard 0/2 on {owners[0]}, shard 1/2 on {owners[1]}; sessions {discord.SessionCount(0)} and {discord.SessionCount(1)}");
            Assert.Equal(["node-a", "node-b"], owners.Order(StringComparer.Ordinal));
            await SendDmAndAwaitAnswerAsync(discord, discord.LiveSession(0)!, 1);
            Assert.Equal(1, discord.MaxOpenSessions(0));
            Assert.Equal(1, discord.MaxOpenSessions(1));
            Assert.Equal(1, discord.OpenSessions(0));
            Assert.Equal(1, discord.OpenSessions(1));
            Assert.All(discord.IdentifiedShards, s => Assert.Equal(2, s.Count));
        }
        catch
        {
            Dump(nodes);
            throw;
        }
        finally
        {
            foreach (var n in nodes)
            {
                await n.DisposeAsync();
            }
        }
    }

    private static async Task<List<HubProcess>> StartNodesAsync(RedisServerProcess redis, FakeDiscordServer discord, FakeOpenAiServer model, int? shardCount)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Hub:KeyPrefix"] = "dshard:",
            ["Hub:NodeTtlMs"] = "3000",
            ["Hub:NodeHeartbeatMs"] = "500",
            ["Hub:StaleSessionMs"] = "4000",
            ["Channels:Discord:BotToken"] = discord.BotToken,
            ["Channels:Discord:ApplicationId"] = discord.ApplicationId,
            ["Channels:Discord:ApiBaseUrl"] = discord.ApiBaseUrl,
            ["Channels:Discord:ReconnectDelayMs"] = "50",
            ["Channels:Discord:IdentifyWindowMs"] = "200",
            ["Channels:Discord:RegisterCommands"] = "false",
            ["Agent:Endpoint"] = model.ApiBaseUrl,
            ["Agent:Model"] = "fake-model",
            ["Agent:ApiKey"] = "sk-test-key",
        };
        if (shardCount is { } count)
        {
            settings["Channels:Discord:ShardCount"] = count.ToString(CultureInfo.InvariantCulture);
        }

        return [.. await Task.WhenAll(new[] { "node-a", "node-b" }.Select(id => HubProcess.StartAsync(id, settings, HubReadiness.Listening)))];
    }

    private static string LeaseKey(FakeDiscordServer discord, string shard) => $"dshard:lease:discord:{discord.ApplicationId}:{shard}";

    private static Task<string> OwnerAsync(RedisServerProcess redis, FakeDiscordServer discord, string shard)
        => Eventually.ValueAsync(() => redis.Client.GetDatabase().HashGet(LeaseKey(discord, shard), "owner") is { IsNull: false } o ? o.ToString() : null, Wait);

    private static async Task SendDmAndAwaitAnswerAsync(FakeDiscordServer discord, FakeGatewayConnection session, int i)
    {
        var dm = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "Discord", "message-create-dm.json")))!.AsObject();
        dm["id"] = (1310000000000000200L + i).ToString(CultureInfo.InvariantCulture);
        dm["content"] = "dm " + i;
        await session.DispatchAsync("MESSAGE_CREATE", dm);
        await Eventually.UntilAsync(() => discord.Calls.Any(c => c.Method == "POST" && c.Body?["content"]?.GetValue<string>() == "answer: dm " + i), Wait);
    }

    private void Dump(IEnumerable<HubProcess> nodes)
    {
        foreach (var n in nodes)
        {
            output.WriteLine($"--- {n.NodeId} (exited: {n.HasExited})");
            foreach (var line in n.Output.Where(l => l.Contains("Discord", StringComparison.Ordinal) || l.Contains("fail", StringComparison.OrdinalIgnoreCase)).TakeLast(40))
            {
                output.WriteLine(line);
            }
        }
    }
}
