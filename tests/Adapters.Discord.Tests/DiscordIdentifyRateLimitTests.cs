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
        settings["IdentifyWindowMs"] = "1000"; // max_concurrency is 1 in the fake's session_start_limit
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
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(900), $"Second Identify came after {(times[1] - times[0]).TotalMilliseconds} ms.");
    }
}
