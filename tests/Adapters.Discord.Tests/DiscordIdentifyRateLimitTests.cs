using OpenClaw.Channels.Fakes.Discord;

namespace OpenClaw.Channels.Tests;

public sealed class DiscordIdentifyRateLimitTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly FakeDiscordServer _fake = new();
    private DiscordTestHost _host = null!;

    public async Task InitializeAsync()
    {
        await _fake.StartAsync();
        var settings = DiscordTestHost.DefaultSettings(_fake);
        // max_concurrency is 1 in the fake's session_start_limit. The fake can only time Identify by arrival, and in a cold
        // test process the first arrival was once seen ≈ 0.9 s after it was sent: a 2 s window asserted at ≥ 1 s still
        // tells the gate (≥ 2 s after the first send) from no gate (≈ 0.1 s) with a second of slack.
        settings["IdentifyWindowMs"] = "2000";
        _host = await DiscordTestHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task ImmediateReidentify_WaitsForTheIdentifyWindow()
    {
        var conn = await _fake.NextConnectionAsync(Wait);
        await conn.WaitForOpAsync(2, Wait);

        await conn.SendInvalidSessionAsync(resumable: false);

        var fresh = await _fake.NextConnectionAsync(Wait);
        await fresh.WaitForOpAsync(2, Wait);
        var times = _fake.IdentifyTimes.ToList();
        Assert.Equal(2, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(1000), $"Second Identify came after {(times[1] - times[0]).TotalMilliseconds} ms.");
    }
}
