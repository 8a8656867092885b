using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenClaw.Channels.Discord;

namespace OpenClaw.Channels.Tests;

/// <summary>Per-route buckets shared by the nodes (discord.com/developers/docs/topics/rate-limits): two
/// <see cref="DiscordRateLimiter"/>s (two nodes) on one <see cref="ISharedRateLimiter"/>, on a <see cref="FakeTimeProvider"/>.
/// A bucket one node saw spent (<c>X-RateLimit-Remaining: 0</c>) or got a 429 for holds the other node's calls until
/// the reset, keyed by <c>X-RateLimit-Bucket</c> and the major parameter.</summary>
public sealed class DiscordSharedBucketTests
{
    private static readonly DiscordRoute Route = DiscordRoute.Create(HttpMethod.Post, "channels/123/messages");
    private readonly FakeTimeProvider _time = new();
    private readonly DiscordRateLimiter _nodeA;
    private readonly DiscordRateLimiter _nodeB;

    public DiscordSharedBucketTests()
    {
        var shared = new LocalRateLimiter(_time);
        var options = Options.Create(new DiscordOptions());
        _nodeA = new DiscordRateLimiter(options, _time, shared);
        _nodeB = new DiscordRateLimiter(options, _time, shared);
    }

    [Fact]
    public async Task BucketSpentOnOneNode_HoldsTheOtherNodeUntilResetAfter()
    {
        using var fresh = Response(remaining: 4, resetAfter: "1.000");
        await _nodeA.UpdateAsync(Route, fresh, CancellationToken.None);
        await _nodeB.UpdateAsync(Route, fresh, CancellationToken.None);
        using var spent = Response(remaining: 0, resetAfter: "2.000");
        await _nodeA.UpdateAsync(Route, spent, CancellationToken.None);

        var call = _nodeB.WaitAsync(Route, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await call.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RetryAfterOf429OnOneNode_HoldsTheOtherNode_OtherChannelsGoOn()
    {
        using var fresh = Response(remaining: 4, resetAfter: "1.000");
        var otherChannel = DiscordRoute.Create(HttpMethod.Post, "channels/456/messages");
        foreach (var node in new[] { _nodeA, _nodeB })
        {
            await node.UpdateAsync(Route, fresh, CancellationToken.None);
            await node.UpdateAsync(otherChannel, fresh, CancellationToken.None);
        }

        await _nodeA.BlockAsync(Route, TimeSpan.FromSeconds(3), global: false, CancellationToken.None);

        await _nodeB.WaitAsync(otherChannel, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)); // another major parameter
        var call = _nodeB.WaitAsync(Route, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(2999));
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await call.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task BucketSize_IsSharedAcrossNodes_FiveCallsThenTheSixthWaitsForTheWindow()
    {
        using var fresh = Response(remaining: 4, resetAfter: "1.000");
        await _nodeA.UpdateAsync(Route, fresh, CancellationToken.None);
        await _nodeB.UpdateAsync(Route, fresh, CancellationToken.None);

        // Five slots of the bucket (X-RateLimit-Limit 5 per 1 s) across both nodes, then the sixth waits.
        for (var i = 0; i < 5; i++)
        {
            await (i % 2 == 0 ? _nodeA : _nodeB).WaitAsync(Route, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }

        var sixth = _nodeA.WaitAsync(Route, CancellationToken.None);
        Assert.False(sixth.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(200));
        await sixth.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static HttpResponseMessage Response(int remaining, string resetAfter)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.Add("X-RateLimit-Bucket", "abcd1234");
        response.Headers.Add("X-RateLimit-Limit", "5");
        response.Headers.Add("X-RateLimit-Remaining", remaining.ToString(System.Globalization.CultureInfo.InvariantCulture));
        response.Headers.Add("X-RateLimit-Reset-After", resetAfter);
        return response;
    }
}
