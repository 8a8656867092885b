using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Slack;

namespace OpenClaw.Channels.Tests.Slack;

public sealed class SlackSocketModeTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly FakeSlackServer _fake = new();
    private SlackTestHost _host = null!;

    public async Task InitializeAsync()
    {
        await _fake.StartAsync();
        _host = await SlackTestHost.StartAsync(_fake, new Dictionary<string, string?>
        {
            ["Mode"] = "SocketMode",
            ["SocketConnections"] = "1",
            ["ReconnectDelay"] = "00:00:00.100",
            ["MaxReconnectDelay"] = "00:00:00.500",
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Events_AreAckedAndDeduped_AndDisconnectReconnectsBeforeClosing_WithoutLossOrDoubles()
    {
        var first = await _fake.WaitForSocketAsync(1, Wait);

        await first.SendEventAsync("env-1", SlackTestHost.Payload("dm-message.json"));
        await first.WaitForAckAsync("env-1", Wait);
        Assert.Single(_host.Pipeline.Accepted);

        // Slack re-sends the same event in a new envelope: acked, not accepted twice.
        await first.SendEventAsync("env-2", SlackTestHost.Payload("dm-message.json"), retryAttempt: 1);
        await first.WaitForAckAsync("env-2", Wait);
        Assert.Equal(1, _host.Pipeline.Duplicates);

        await first.SendDisconnectAsync("refresh_requested");
        var second = await _fake.WaitForSocketAsync(2, Wait);
        await first.Closed.WaitAsync(Wait);
        Assert.Equal(2, _fake.ConnectionOpens);
        Assert.True(second.OpenedAt <= first.ClosedAt, "the new connection must be open before the old one closes");

        await second.SendEventAsync("env-3", SlackTestHost.Payload("channel-mention-message.json"));
        await second.WaitForAckAsync("env-3", Wait);

        Assert.Equal(["env-1", "env-2"], first.Acks);
        Assert.Equal(["env-3"], second.Acks);
        Assert.Equal(["D0DM00001:1700000100.000200", "C0GENERAL:1700000300.000400"], _host.Pipeline.Accepted.Select(m => m.PlatformMessageId));
        Assert.Equal(1, _host.Pipeline.Duplicates);

        var health = _host.Services.GetRequiredService<HealthCheckService>();
        var report = await health.CheckHealthAsync(r => r.Tags.Contains("ready"));
        Assert.Equal(HealthStatus.Healthy, report.Entries["slack"].Status);
    }

    [Fact]
    public async Task DisconnectLinkDisabled_StopsReconnecting_AndHealthSaysWhy()
    {
        var first = await _fake.WaitForSocketAsync(1, Wait);

        await first.SendDisconnectAsync("link_disabled");

        // The worker closes the socket and stops; the health check names the reason.
        await first.Closed.WaitAsync(Wait);
        var health = _host.Services.GetRequiredService<HealthCheckService>();
        HealthReportEntry entry = default;
        await Eventually.UntilAsync(
            async () => (entry = (await health.CheckHealthAsync(r => r.Tags.Contains("ready"))).Entries["slack"]).Description?.Contains("link_disabled", StringComparison.Ordinal) == true,
            Wait,
            () => $"health still says {entry.Status}: {entry.Description}");

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("Socket Mode", entry.Description, StringComparison.Ordinal);
        Assert.Equal("link_disabled", entry.Data["reason"]);
        Assert.Equal(1, _fake.ConnectionOpens);
    }

    [Fact]
    public async Task ServerDroppedSocket_ReconnectsWithBackoff_AndKeepsReceiving()
    {
        var first = await _fake.WaitForSocketAsync(1, Wait);
        await first.CloseAsync();
        var second = await _fake.WaitForSocketAsync(2, Wait);

        await second.SendEventAsync("env-after-drop", SlackTestHost.Payload("dm-message.json"));
        await second.WaitForAckAsync("env-after-drop", Wait);
        Assert.Equal("D0DM00001:1700000100.000200", Assert.Single(_host.Pipeline.Accepted).PlatformMessageId);
    }

    [Fact]
    public async Task SlashCommandEnvelope_IsHandedToThePipeline_AndAcked()
    {
        var socket = await _fake.WaitForSocketAsync(1, Wait);
        var responseUrl = _fake.ResponseUrl("777");
        await socket.SendAsync($$"""{"envelope_id":"env-ask","type":"slash_commands","payload":{"token":"x","team_id":"T0FAKE","team_domain":"example","channel_id":"D0DM00001","channel_name":"directmessage","user_id":"U0ALICE","user_name":"alice","command":"/ask","text":"what time is it?","api_app_id":"A0FAKE","is_enterprise_install":"false","response_url":"{{responseUrl}}","trigger_id":"123.456.789"},"accepts_response_payload":true}""");

        await socket.WaitForAckAsync("env-ask", Wait);

        var message = Assert.Single(_host.Pipeline.Accepted);
        Assert.Equal("what time is it?", message.Text);
        Assert.Equal(ChatKind.Direct, message.Chat.Kind);
        Assert.Equal("response_url:" + responseUrl, message.ReplyContext);
        Assert.Equal("""{"response_type":"in_channel"}""", socket.AckPayloads["env-ask"]);
    }

    [Fact]
    public async Task SlashCommandAndIgnoredEvents_AreAckedWithoutMessages()
    {
        var socket = await _fake.WaitForSocketAsync(1, Wait);
        await socket.SendAsync("""{"envelope_id":"env-slash","type":"slash_commands","payload":{"command":"/hello","text":"","user_id":"U0ALICE","channel_id":"C0GENERAL"},"accepts_response_payload":true}""");
        await socket.SendEventAsync("env-bot", SlackTestHost.Payload("bot-message.json"));
        await socket.SendEventAsync("env-nomention", SlackTestHost.Payload("channel-message.json"));
        await socket.WaitForAckAsync("env-slash", Wait);
        await socket.WaitForAckAsync("env-bot", Wait);
        await socket.WaitForAckAsync("env-nomention", Wait);
        Assert.Empty(_host.Pipeline.Accepted);
    }
}
