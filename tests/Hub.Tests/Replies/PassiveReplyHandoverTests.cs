using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using OpenClaw.Channels.Hub.Replies;
using StackExchange.Redis;

namespace OpenClaw.Channels.Tests.Replies;

/// <summary>Issue 16, WeChat passive reply from any node: the slot scripts on real Redis and on the embedded Garnet, with
/// the callback's node and the run's node as two hand-over instances. Exactly one side wins each slot.</summary>
public abstract class PassiveReplyHandoverTests
{
    private readonly string _prefix = TestRedis.NewPrefix();

    protected abstract IConnectionMultiplexer CallbackNode { get; }

    protected abstract IConnectionMultiplexer RunNode { get; }

    [Fact]
    public async Task AnswerFromAnotherNode_WakesTheWaitingCallback_AndIsClaimedOnce()
    {
        var callback = new RedisPassiveReplyHandover(CallbackNode, _prefix, TimeProvider.System);
        var run = new RedisPassiveReplyHandover(RunNode, _prefix, TimeProvider.System);
        var slot = await callback.OpenAsync("wechat:acct:1001", TimeSpan.FromSeconds(20), CancellationToken.None);
        Assert.True(slot.Created);
        var clock = Stopwatch.StartNew();
        var waiting = callback.WaitAsync(slot.Id, slot.Remaining, CancellationToken.None);

        Assert.True(await run.TryHandOverAsync(slot.Id, "hello from the run", CancellationToken.None));
        Assert.False(await run.TryHandOverAsync(slot.Id, "a second answer", CancellationToken.None));
        Assert.Equal("hello from the run", await waiting);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"woken after {clock.Elapsed}: the publish did not wake the waiter");

        // A platform retry of the same key opens a fresh slot once this one is decided.
        var retry = await callback.OpenAsync("wechat:acct:1001", TimeSpan.FromSeconds(20), CancellationToken.None);
        Assert.True(retry.Created);
        Assert.NotEqual(slot.Id, retry.Id);
        await callback.CloseAsync(retry.Id, CancellationToken.None);
    }

    [Fact]
    public async Task RetryWhileOpen_JoinsTheSameSlot_ReleaseAnswersSuccess()
    {
        var callback = new RedisPassiveReplyHandover(CallbackNode, _prefix, TimeProvider.System);
        var run = new RedisPassiveReplyHandover(RunNode, _prefix, TimeProvider.System);
        var slot = await callback.OpenAsync("wechat:acct:1002", TimeSpan.FromSeconds(20), CancellationToken.None);
        var joined = await run.OpenAsync("wechat:acct:1002", TimeSpan.FromSeconds(20), CancellationToken.None);
        Assert.False(joined.Created);
        Assert.Equal(slot.Id, joined.Id);
        Assert.InRange(joined.Remaining, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));

        var first = callback.WaitAsync(slot.Id, slot.Remaining, CancellationToken.None);
        var second = run.WaitAsync(joined.Id, joined.Remaining, CancellationToken.None);
        Assert.True(await run.TryHandOverAsync(slot.Id, null, CancellationToken.None)); // the answer goes through the API
        Assert.Null(await first);
        Assert.Null(await second);
        Assert.False(await run.TryHandOverAsync(slot.Id, "late", CancellationToken.None));
    }

    [Fact]
    public async Task WindowEnded_RunsClaimIsRefused_EvenBeforeTheCallbackClosedIt()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var callback = new RedisPassiveReplyHandover(CallbackNode, _prefix, time);
        var run = new RedisPassiveReplyHandover(RunNode, _prefix, time);
        var slot = await callback.OpenAsync("wechat:acct:1003", TimeSpan.FromMilliseconds(4500), CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(4499));
        var waiting = callback.WaitAsync(slot.Id, TimeSpan.FromMilliseconds(1), CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(1));

        // At the deadline the claim is refused by the script even if the callback's close has not run yet.
        Assert.False(await run.TryHandOverAsync(slot.Id, "too late", CancellationToken.None));
        while (!waiting.IsCompleted)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            await Task.WhenAny(waiting, Task.Delay(10));
        }

        Assert.Null(await waiting);
        Assert.False(await run.TryHandOverAsync(slot.Id, "too late", CancellationToken.None));
    }

    [Fact]
    public async Task TakenAndConfirmed_TheRunSeesItDelivered()
    {
        var callback = new RedisPassiveReplyHandover(CallbackNode, _prefix, TimeProvider.System, "node-a");
        var run = new RedisPassiveReplyHandover(RunNode, _prefix, TimeProvider.System, "node-b");
        var slot = await callback.OpenAsync("wechat:acct:1004", TimeSpan.FromSeconds(20), CancellationToken.None);
        var waiting = callback.WaitAsync(slot.Id, slot.Remaining, CancellationToken.None);
        Assert.True(await run.TryHandOverAsync(slot.Id, "carried", CancellationToken.None));
        var delivery = run.AwaitDeliveryAsync(slot.Id, CancellationToken.None);
        Assert.Equal("carried", await waiting);
        Assert.False(delivery.IsCompleted); // taken, not yet on the response
        Assert.True(await callback.ConfirmAsync(slot.Id, CancellationToken.None));
        Assert.True(await delivery.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ClaimedButTheCallbackNeverTakesIt_TheRunWithdrawsAfterTheWindowPlusMargin_TheCallbackGetsNothing()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var callback = new RedisPassiveReplyHandover(CallbackNode, _prefix, time, "node-a");
        var run = new RedisPassiveReplyHandover(RunNode, _prefix, time, "node-b", confirmMargin: TimeSpan.FromSeconds(2));
        var slot = await callback.OpenAsync("wechat:acct:1005", TimeSpan.FromMilliseconds(4500), CancellationToken.None);
        Assert.True(await run.TryHandOverAsync(slot.Id, "stuck", CancellationToken.None)); // the callback's node hangs

        var delivery = run.AwaitDeliveryAsync(slot.Id, CancellationToken.None);
        var advanced = TimeSpan.Zero;
        while (!delivery.IsCompleted && advanced < TimeSpan.FromSeconds(30))
        {
            await Task.WhenAny(delivery, Task.Delay(20));
            if (!delivery.IsCompleted)
            {
                time.Advance(TimeSpan.FromMilliseconds(100));
                advanced += TimeSpan.FromMilliseconds(100);
            }
        }

        Assert.False(await delivery); // withdrawn: the run sends through the API
        Assert.InRange(advanced, TimeSpan.FromMilliseconds(6500), TimeSpan.FromMilliseconds(9000)); // not before the deadline plus the margin
        Assert.Null(await callback.WaitAsync(slot.Id, TimeSpan.Zero, CancellationToken.None)); // the node wakes up: nothing to carry
        Assert.False(await callback.ConfirmAsync(slot.Id, CancellationToken.None));
    }

    [Fact]
    public async Task CallbackNodeLeftTheCluster_TheRunWithdrawsBeforeTheDeadline()
    {
        var callback = new RedisPassiveReplyHandover(CallbackNode, _prefix, TimeProvider.System, "node-a");
        var run = new RedisPassiveReplyHandover(RunNode, _prefix, TimeProvider.System, "node-b", _ => Task.FromResult<IReadOnlyList<string>>(["node-b"]));
        var slot = await callback.OpenAsync("wechat:acct:1006", TimeSpan.FromSeconds(20), CancellationToken.None);
        Assert.True(await run.TryHandOverAsync(slot.Id, "orphaned", CancellationToken.None));
        var clock = Stopwatch.StartNew();

        Assert.False(await run.AwaitDeliveryAsync(slot.Id, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"withdrawn after {clock.Elapsed}");
        Assert.Null(await callback.WaitAsync(slot.Id, TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task ClaimRacingTheWindowsEnd_ExactlyOneSideWins_EverySlot()
    {
        var callback = new RedisPassiveReplyHandover(CallbackNode, _prefix, TimeProvider.System);
        var run = new RedisPassiveReplyHandover(RunNode, _prefix, TimeProvider.System);
        var window = TimeSpan.FromMilliseconds(150);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
        {
            var slot = await callback.OpenAsync("wechat:race:" + i, window, CancellationToken.None);
            var waiting = callback.WaitAsync(slot.Id, slot.Remaining, CancellationToken.None);
            await Task.Delay(TimeSpan.FromMilliseconds(100 + (i % 10 * 10))); // claims straddle the window's end
            var claimed = await run.TryHandOverAsync(slot.Id, "answer " + i, CancellationToken.None);
            return (Claimed: claimed, Carried: await waiting, Expected: "answer " + i);
        }));

        // Either the callback carried the answer (claim won), or the claim was refused and the API would send it.
        Assert.All(outcomes, o => Assert.Equal(o.Claimed ? o.Expected : null, o.Carried));
    }
}

/// <summary>The hand-over on real Redis, the two nodes on two connections.</summary>
public sealed class RedisPassiveReplyHandoverTests(TestRedis redis) : PassiveReplyHandoverTests, IClassFixture<TestRedis>, IDisposable
{
    private readonly ConnectionMultiplexer _second = ConnectionMultiplexer.Connect(redis.ConnectionString);

    protected override IConnectionMultiplexer CallbackNode => redis.Multiplexer;

    protected override IConnectionMultiplexer RunNode => _second;

    public void Dispose() => _second.Dispose();
}

/// <summary>The same scripts against the embedded Garnet server (embedded mode runs the Redis code).</summary>
public sealed class GarnetPassiveReplyHandoverTests(TestGarnet garnet) : PassiveReplyHandoverTests, IClassFixture<TestGarnet>
{
    protected override IConnectionMultiplexer CallbackNode => garnet.Multiplexer;

    protected override IConnectionMultiplexer RunNode => garnet.Multiplexer;
}
