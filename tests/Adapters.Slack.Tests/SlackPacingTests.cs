using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Slack;

namespace OpenClaw.Channels.Tests.Slack;

/// <summary>Per-channel pacing on a <see cref="FakeTimeProvider"/>: every gap is exact.</summary>
public sealed class SlackPacingTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly FakeTimeProvider _time = new();
    private readonly ObservedClock _clock;
    private readonly FakeSlackServer _fake = new();
    private SlackTestHost _host = null!;

    public SlackPacingTests()
    {
        _clock = new ObservedClock(_time);
        _fake.Clock = _clock;
    }

    public async Task InitializeAsync()
    {
        await _fake.StartAsync();
        _host = await SlackTestHost.StartAsync(
            _fake,
            new Dictionary<string, string?> { ["BurstPerChannel"] = "1", ["MessagesPerSecondPerChannel"] = "1" },
            s => s.AddSingleton<TimeProvider>(_clock));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task SequentialPostsToOneChannel_ArePacedAboutOnePerSecond_WhileOtherChannelsAreNot()
    {
        var sender = _host.Adapter.Sender;
        var target = new DeliveryTarget("slack", "T0FAKE", "C0PACED", null, null, ChatKind.Group);
        var other = new DeliveryTarget("slack", "T0FAKE", "C0OTHER", null, null, ChatKind.Group);
        var started = _time.GetUtcNow();
        var paced3 = Task.Run(async () =>
        {
            for (var i = 1; i <= 3; i++)
            {
                await sender.SendAsync(new OutboundMessage { Target = target, Text = $"m{i}" }, CancellationToken.None);
            }
        });

        // Token bucket, burst 1, one token per second: m2 waits a full second after m1, and the other channel does not.
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        await sender.SendAsync(new OutboundMessage { Target = other, Text = "o1" }, CancellationToken.None).WaitAsync(Wait);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(["m1", "o1"], _fake.CallsOf("chat.postMessage").Select(c => c.Text));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(1), count: 2); // m3 waits for the next token
        _time.Advance(TimeSpan.FromSeconds(1));
        await paced3.WaitAsync(Wait);

        var paced = _fake.CallsOf("chat.postMessage").Where(c => c.Channel == "C0PACED").ToList();
        Assert.Equal(["m1", "m2", "m3"], paced.Select(p => p.Text));
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], paced.Select(p => p.At - started));
        var o1 = Assert.Single(_fake.CallsOf("chat.postMessage"), c => c.Channel == "C0OTHER");
        Assert.Equal(started, o1.At);
        Assert.True(o1.At < paced[2].At);
    }
}
