using System.Globalization;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Tests;

namespace OpenClaw.Channels.Cron.Tests;

/// <summary>The dispatcher's retry timing on <see cref="FakeTimeProvider"/>, against the real Redis store; the Hangfire
/// client records creations and fails the first ones as Hangfire does when its storage is unreachable.</summary>
public class CronDispatcherTests(TestRedis redis) : IClassFixture<TestRedis>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private static readonly DateTimeOffset Fire = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task JobCreationFailsTwice_TheClaimIsGivenBackAndRetriedWithBackoff_AndTheFireEndsDoneWithOneJob()
    {
        var (dispatcher, store, client, time, _) = await CreateAsync(failures: 2, retrySeconds: 60);

        var fired = dispatcher.FireAsync("j", Fire, CancellationToken.None);
        var result = await DriveAsync(fired, time);

        Assert.True(result);
        Assert.Equal(3, client.Attempts);
        Assert.Single(client.Created);
        Assert.Equal(1, dispatcher.FiresWon);
        // Backoff: at least 100 ms, then at least 200 ms between the attempts.
        Assert.True(client.AttemptTimes[1] - client.AttemptTimes[0] >= TimeSpan.FromMilliseconds(100));
        Assert.True(client.AttemptTimes[2] - client.AttemptTimes[1] >= TimeSpan.FromMilliseconds(200));
        Assert.Equal(CronFireClaim.Done, await store.TryClaimFireAsync("j", Key, "other/claimant", TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.Equal(Fire, await store.GetLastFireAsync("j", CancellationToken.None));
    }

    [Fact]
    public async Task JobCreationKeepsFailing_TheFireIsGivenUpAfterFireRetrySeconds_WithTheClaimReleased()
    {
        var (dispatcher, store, client, time, _) = await CreateAsync(failures: int.MaxValue, retrySeconds: 5);
        var started = time.GetUtcNow();

        var result = await DriveAsync(dispatcher.FireAsync("j", Fire, CancellationToken.None), time);

        Assert.False(result);
        Assert.Empty(client.Created);
        Assert.InRange(time.GetUtcNow() - started, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(8));
        Assert.True(client.Attempts >= 5, $"{client.Attempts} attempts");
        // The claim was given back: another node could still take the fire.
        Assert.Equal(CronFireClaim.Claimed, await store.TryClaimFireAsync("j", Key, "other/claimant", TimeSpan.FromSeconds(10), CancellationToken.None));
    }

    [Fact]
    public async Task PendingClaimOfAnotherNode_IsWatched_AndLeftToItWhenItCompletes()
    {
        var (dispatcher, store, client, time, clock) = await CreateAsync(failures: 0, retrySeconds: 60);
        Assert.Equal(CronFireClaim.Claimed, await store.TryClaimFireAsync("j", Key, "other/claimant", TimeSpan.FromSeconds(10), CancellationToken.None));

        var fired = dispatcher.FireAsync("j", Fire, CancellationToken.None);
        // Five looks at the pending claim, each followed by its backoff wait; a sixth wait shows that the fifth look
        // ended in waiting again, not in a fire of this node.
        for (var k = 1; k <= 5; k++)
        {
            await Eventually.UntilAsync(() => clock.Armed.Count >= k, Wait, () => $"backoff wait {k} armed");
            time.Advance(clock.Armed[k - 1]);
        }

        await Eventually.UntilAsync(() => clock.Armed.Count >= 6, Wait, () => "a sixth backoff wait armed");
        Assert.False(fired.IsCompleted);
        Assert.True(await store.CompleteFireAsync("j", Key, "other/claimant", "elsewhere-1", TimeSpan.FromHours(1), CancellationToken.None));
        Assert.False(await DriveAsync(fired, time));
        Assert.Equal(0, client.Attempts);
    }

    private static string Key => Fire.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private async Task<(CronDispatcher Dispatcher, RedisCronStore Store, RecordingJobClient Client, FakeTimeProvider Time, ObservedClock Clock)> CreateAsync(int failures, int retrySeconds)
    {
        var time = new FakeTimeProvider(Fire);
        var clock = new ObservedClock(time);
        var store = new RedisCronStore(redis.Multiplexer, new CronKeys(TestRedis.NewPrefix()), time);
        await store.SaveAsync(new CronJobDefinition { Id = "j", Cron = "0 0 9 * * ?", Prompt = "p" }, CancellationToken.None);
        var client = new RecordingJobClient(failures, time);
        var dispatcher = new CronDispatcher(
            store,
            client,
            Options.Create(new CronOptions { FireRetrySeconds = retrySeconds }),
            Options.Create(new CronNodeOptions { NodeId = "me", NodeTtl = TimeSpan.FromSeconds(10) }),
            clock,
            NullLogger<CronDispatcher>.Instance);
        return (dispatcher, store, client, time, clock);
    }

    /// <summary>Advances fake time in small steps while the fire waits (its Redis calls are real).</summary>
    private static async Task<bool> DriveAsync(Task<bool> fired, FakeTimeProvider time)
    {
        await Eventually.UntilAsync(
            () =>
            {
                if (fired.IsCompleted)
                {
                    return true;
                }

                time.Advance(TimeSpan.FromMilliseconds(50));
                return false;
            },
            TimeSpan.FromSeconds(30),
            () => "the fire finished");
        return await fired;
    }

    private sealed class RecordingJobClient(int failures, TimeProvider time) : IBackgroundJobClient
    {
        private readonly List<DateTimeOffset> _attemptTimes = [];

        public int Attempts { get; private set; }

        public List<DateTimeOffset> AttemptTimes => _attemptTimes;

        public List<Job> Created { get; } = [];

        public string Create(Job job, IState state)
        {
            Attempts++;
            _attemptTimes.Add(time.GetUtcNow());
            if (Attempts <= failures)
            {
                throw new BackgroundJobClientException("Background job creation failed. See inner exception for details.", new TimeoutException("simulated Redis blip"));
            }

            Created.Add(job);
            return "job-" + Created.Count.ToString(CultureInfo.InvariantCulture);
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => throw new NotSupportedException();
    }
}
