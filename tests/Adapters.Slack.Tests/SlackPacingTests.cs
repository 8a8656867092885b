using OpenClaw.Channels.Fakes.Slack;

namespace OpenClaw.Channels.Tests.Slack;

public sealed class SlackPacingTests : IAsyncLifetime
{
    private readonly FakeSlackServer _fake = new();
    private SlackTestHost _host = null!;

    public async Task InitializeAsync()
    {
        await _fake.StartAsync();
        _host = await SlackTestHost.StartAsync(_fake, new Dictionary<string, string?> { ["BurstPerChannel"] = "1", ["MessagesPerSecondPerChannel"] = "1" });
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
        var paced3 = Task.Run(async () =>
        {
            for (var i = 1; i <= 3; i++)
            {
                await sender.SendAsync(new OutboundMessage { Target = target, Text = $"m{i}" }, CancellationToken.None);
            }
        });
        await Task.Delay(50);
        await sender.SendAsync(new OutboundMessage { Target = other, Text = "o1" }, CancellationToken.None);
        await paced3;

        var paced = _fake.CallsOf("chat.postMessage").Where(c => c.Channel == "C0PACED").ToList();
        Assert.Equal(["m1", "m2", "m3"], paced.Select(p => p.Text));
        // Token bucket, burst 1, one token per second: three posts need at least one full replenishment period.
        Assert.True(paced[2].At - paced[0].At >= TimeSpan.FromMilliseconds(900), $"spacing {paced[2].At - paced[0].At}");
        var o1 = Assert.Single(_fake.CallsOf("chat.postMessage"), c => c.Channel == "C0OTHER");
        Assert.True(o1.At < paced[2].At);
    }
}
