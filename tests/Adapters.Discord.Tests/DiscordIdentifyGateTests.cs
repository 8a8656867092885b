using Microsoft.Extensions.Time.Testing;
using OpenClaw.Channels.Discord;

namespace OpenClaw.Channels.Tests;

/// <summary>Identify pacing (discord.com/developers/docs/events/gateway#sharding-max-concurrency): shard <c>i</c> is in
/// bucket <c>i % max_concurrency</c>, each bucket allows one Identify per 5 s, on a <see cref="FakeTimeProvider"/>.</summary>
public sealed class DiscordIdentifyGateTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    [Fact]
    public void Bucket_IsShardIdModuloMaxConcurrency()
    {
        Assert.Equal("discord:42:identify:0", GatewayIdentifyGate.Bucket("42", 0, 1));
        Assert.Equal("discord:42:identify:0", GatewayIdentifyGate.Bucket("42", 7, 1));
        Assert.Equal("discord:42:identify:3", GatewayIdentifyGate.Bucket("42", 7, 4));
        Assert.Equal("discord:42:identify:1", GatewayIdentifyGate.Bucket("42", 17, 16 / 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => GatewayIdentifyGate.Bucket("42", 0, 0));
    }

    [Fact]
    public async Task MaxConcurrency2_TwoShardsIdentifyAtOnce_TheNextInEachBucketWaitsFiveSeconds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var gate = new GatewayIdentifyGate(new LocalRateLimiter(time), new DiscordOptions { IdentifyWindowMs = (int)Window.TotalMilliseconds }, time);

        var shard0 = gate.WaitAsync("bot", 0, 2, CancellationToken.None);
        var shard1 = gate.WaitAsync("bot", 1, 2, CancellationToken.None);
        var shard2 = gate.WaitAsync("bot", 2, 2, CancellationToken.None);
        var shard3 = gate.WaitAsync("bot", 3, 2, CancellationToken.None);
        var shard4 = gate.WaitAsync("bot", 4, 2, CancellationToken.None);

        Assert.Equal(TimeSpan.Zero, await shard0);
        Assert.Equal(TimeSpan.Zero, await shard1);
        Assert.False(shard2.IsCompleted);
        Assert.False(shard3.IsCompleted);

        time.Advance(Window - TimeSpan.FromMilliseconds(1));
        Assert.False(shard2.IsCompleted);
        Assert.False(shard3.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(Window, await shard2.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(Window, await shard3.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(shard4.IsCompleted); // bucket 0's third slot

        time.Advance(Window);
        Assert.Equal(Window * 2, await shard4.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task OtherBot_HasItsOwnBuckets()
    {
        var time = new FakeTimeProvider();
        var gate = new GatewayIdentifyGate(new LocalRateLimiter(time), new DiscordOptions { IdentifyWindowMs = 5000 }, time);

        Assert.Equal(TimeSpan.Zero, await gate.WaitAsync("bot-a", 0, 1, CancellationToken.None));
        Assert.Equal(TimeSpan.Zero, await gate.WaitAsync("bot-b", 0, 1, CancellationToken.None));
        Assert.False(gate.WaitAsync("bot-a", 1, 1, CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task BeforeSend_KeepsOneWindowAfterThePreviousSendOfTheBucket()
    {
        var time = new FakeTimeProvider();
        var gate = new GatewayIdentifyGate(new LocalRateLimiter(time), new DiscordOptions { IdentifyWindowMs = 5000 }, time);
        await gate.BeforeSendAsync("bot", 0, 2, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));

        var sameBucket = gate.BeforeSendAsync("bot", 2, 2, CancellationToken.None);
        await gate.BeforeSendAsync("bot", 1, 2, CancellationToken.None); // other bucket: at once
        Assert.False(sameBucket.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(4));
        await sameBucket.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
