using System.Text.Json.Nodes;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Discord;

namespace OpenClaw.Channels.Tests;

/// <summary>Sharding in one process (a cluster of one): <c>ShardCount</c> opens one session per shard with
/// <c>shard: [id, count]</c>; a 4011 close re-reads <c>GET /gateway/bot</c> and re-shards
/// (discord.com/developers/docs/events/gateway#sharding).</summary>
public sealed class DiscordShardingTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly FakeDiscordServer _fake = new();
    private DiscordTestHost? _host;

    public Task InitializeAsync() => _fake.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task ShardCount2_TwoSessions_OnePerShard_DmOnShard0ReachesPipeline()
    {
        var settings = DiscordTestHost.DefaultSettings(_fake);
        settings["ShardCount"] = "2";
        settings["IdentifyWindowMs"] = "2000"; // timed by arrival at the fake: a 2 s window asserted at >= 1 s leaves a second of slack
        _host = await DiscordTestHost.StartAsync(settings);

        var shard0 = await WaitForLiveSessionAsync(0);
        await WaitForLiveSessionAsync(1);

        Assert.Equal([(0, 2), (1, 2)], _fake.IdentifiedShards.Select(s => (s.Shard, s.Count)).Order());
        Assert.Equal(1, _fake.SessionCount(0));
        Assert.Equal(1, _fake.SessionCount(1));
        var identifies = _fake.IdentifiedShards.OrderBy(s => s.At).ToList();
        Assert.True(identifies[1].At - identifies[0].At >= TimeSpan.FromMilliseconds(1000), "max_concurrency 1: both shards share one identify bucket");

        // DMs arrive on shard 0 (discord.com/developers/docs/events/gateway#sharding).
        await shard0.DispatchAsync("MESSAGE_CREATE", Payload.Json("message-create-dm.json"));
        var message = await _host.Pipeline.NextAsync(Wait);
        Assert.Equal("1310000000000000101", message.PlatformMessageId);
    }

    [Fact]
    public async Task ShardingRequired4011_RereadsGatewayBot_AndReshards()
    {
        _fake.RequiredShards = 2;
        _fake.RecommendedShards = 1; // the recommendation lags: the client must still go beyond one shard
        _host = await DiscordTestHost.StartAsync(DiscordTestHost.DefaultSettings(_fake));

        await WaitForLiveSessionAsync(0);
        await WaitForLiveSessionAsync(1);

        Assert.Contains((0, 1), _fake.IdentifiedShards.Select(s => (s.Shard, s.Count)));
        Assert.Contains((0, 2), _fake.IdentifiedShards.Select(s => (s.Shard, s.Count)));
        Assert.Contains((1, 2), _fake.IdentifiedShards.Select(s => (s.Shard, s.Count)));
        Assert.True(_fake.Calls.Count(c => c.Path == "/api/v10/gateway/bot") >= 2);
        Assert.Contains(_host.Logs, l => l.Message.Contains("re-sharding", StringComparison.Ordinal));
        using var ready = await _host.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
    }

    private Task<FakeGatewayConnection> WaitForLiveSessionAsync(int shard)
        => Eventually.ValueAsync(() => Task.FromResult(_fake.LiveSession(shard)), Wait, () => $"a live session of shard {shard}");
}
