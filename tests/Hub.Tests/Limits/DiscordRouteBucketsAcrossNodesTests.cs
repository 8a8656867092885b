using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenClaw.Channels.Discord;
using OpenClaw.Channels.Fakes.Discord;
using OpenClaw.Channels.Hub.Stores;

namespace OpenClaw.Channels.Tests.Limits;

/// <summary>Issue 16, Discord route → bucket mapping shared across nodes (discord.com/developers/docs/topics/rate-limits):
/// two Discord senders (two nodes) whose route mappings live in one Redis (the hub's <see cref="RedisChannelStateStore"/>),
/// against the fake Discord REST, which answers 429 to a call on a bucket it reported spent until the reset. Time is a
/// <see cref="FakeTimeProvider"/> shared by the senders, their bucket store and the fake (the cluster's buckets are the
/// in-process <see cref="LocalRateLimiter"/> on that clock, because <c>RedisRateLimiter</c> measures time on the Redis
/// server).</summary>
public sealed class DiscordRouteBucketsAcrossNodesTests(TestRedis redis) : IClassFixture<TestRedis>
{
    private static readonly DeliveryTarget Channel = new("discord", "1100000000000000001", "1200000000000000077");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task NodeBsFirstCall_OnARouteNodeASpent_WaitsForTheReset_InsteadOfDrawingA429()
    {
        var (fake, b, posts) = await SpendOnNodeAThenSendFromNodeBAsync(shareRoutes: true);
        await using (fake)
        {
            Assert.Equal(0, fake.BucketRejections);
            Assert.Equal(2, posts); // A's call and B's call, no 429 and retry
            Assert.True(b >= TimeSpan.FromSeconds(2), $"node B's call went out {b.TotalMilliseconds} ms after node A spent the bucket");
        }
    }

    [Fact]
    public async Task Control_WithoutTheSharedMapping_NodeBsFirstCallDrawsA429()
    {
        var (fake, _, posts) = await SpendOnNodeAThenSendFromNodeBAsync(shareRoutes: false);
        await using (fake)
        {
            Assert.Equal(1, fake.BucketRejections); // the fake enforces the bucket: the shared mapping is what avoids it
            Assert.Equal(3, posts);
        }
    }

    /// <returns>The fake, the fake time from node A's call to node B's delivery, and the create-message calls.</returns>
    private async Task<(FakeDiscordServer Fake, TimeSpan NodeBAfter, int Posts)> SpendOnNodeAThenSendFromNodeBAsync(bool shareRoutes)
    {
        var fake = new FakeDiscordServer { BucketClock = _time };
        await fake.StartAsync();
        var shared = new LocalRateLimiter(_time);
        var prefix = TestRedis.NewPrefix();
        await using var nodeA = Node(fake, shared, shareRoutes ? new RedisChannelStateStore(redis.Multiplexer, new RedisKeys(prefix)) : null);
        await using var nodeB = Node(fake, shared, shareRoutes ? new RedisChannelStateStore(redis.Multiplexer, new RedisKeys(prefix)) : null);

        // Node A's call is answered with X-RateLimit-Remaining: 0, Reset-After 2 s: the bucket is spent for 2 s.
        fake.ScriptBucketExhausted(2.0);
        await Sender(nodeA).SendAsync(new OutboundMessage { Target = Channel, Text = "from node A" }, CancellationToken.None);
        var spentAt = _time.GetUtcNow();

        // Node B has never called this route: its first call.
        var send = Sender(nodeB).SendAsync(new OutboundMessage { Target = Channel, Text = "from node B" }, CancellationToken.None);
        for (var step = 0; step < 200 && !send.IsCompleted; step++)
        {
            await Task.WhenAny(send, Task.Delay(20));
            if (!send.IsCompleted)
            {
                _time.Advance(TimeSpan.FromMilliseconds(50));
            }
        }

        await send.WaitAsync(TimeSpan.FromSeconds(10));
        var posts = fake.Calls.Count(c => c.Method == "POST" && c.Path.EndsWith("/messages", StringComparison.Ordinal));
        return (fake, _time.GetUtcNow() - spentAt, posts);
    }

    private static DiscordSender Sender(ServiceProvider node) => node.GetRequiredService<DiscordSender>();

    private ServiceProvider Node(FakeDiscordServer fake, ISharedRateLimiter shared, IChannelStateStore? store)
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BotToken"] = fake.BotToken,
            ["ApiBaseUrl"] = fake.ApiBaseUrl,
            ["EnableGateway"] = "false",
            ["RegisterCommands"] = "false",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton(shared);
        if (store is not null)
        {
            services.AddSingleton(store);
        }

        services.AddDiscordChannel(section);
        return services.BuildServiceProvider();
    }
}
