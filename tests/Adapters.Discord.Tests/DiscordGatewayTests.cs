using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Discord;

namespace OpenClaw.Channels.Tests;

public sealed class DiscordGatewayTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    // A heartbeat interval far above a loaded machine's stalls: at 250 ms an ACK read late made the client resume on a
    // new connection, and a test's later frame or close went to the old one (as in DiscordShardFailoverTests).
    private readonly FakeDiscordServer _fake = new() { ExpectedIntents = 37377, HeartbeatIntervalMs = 2_000 };
    private DiscordTestHost _host = null!;

    public async Task InitializeAsync()
    {
        await _fake.StartAsync();
        _host = await DiscordTestHost.StartAsync(DiscordTestHost.DefaultSettings(_fake));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Handshake_IdentifiesWithIntents_HeartbeatsWithLastSeq_AndDmReachesPipeline()
    {
        var gatewayBot = await _fake.NextCallAsync(c => c.Path == "/api/v10/gateway/bot", Wait);
        Assert.Equal("Bot " + _fake.BotToken, gatewayBot.Authorization);
        Assert.StartsWith("DiscordBot (", gatewayBot.UserAgent, StringComparison.Ordinal);

        var conn = await _fake.NextConnectionAsync(Wait);
        Assert.Equal("/gateway", conn.Path);
        Assert.Contains("v=10", conn.Query, StringComparison.Ordinal);
        Assert.Contains("encoding=json", conn.Query, StringComparison.Ordinal);

        var identify = await conn.WaitForOpAsync(2, Wait);
        Assert.Equal(37377, identify["d"]!["intents"]!.GetValue<int>());
        Assert.Equal(_fake.BotToken, identify["d"]!["token"]!.GetValue<string>());
        Assert.NotNull(identify["d"]!["properties"]!["os"]);

        var seq = await conn.DispatchAsync("MESSAGE_CREATE", Payload.Json("message-create-dm.json"));
        var message = await _host.Pipeline.NextAsync(Wait);
        Assert.Equal("discord", message.Channel);
        Assert.Equal(_fake.ApplicationId, message.AccountId);
        Assert.Equal("1310000000000000101", message.PlatformMessageId);
        Assert.Equal(ChatKind.Direct, message.Chat.Kind);
        Assert.Equal("1200000000000000010", message.Chat.Id);
        Assert.Equal("1000000000000000042", message.Sender.Id);
        Assert.Equal("Alice", message.Sender.DisplayName);
        Assert.Equal("hello bot, what's the weather?", message.Text);

        // Heartbeats carry the last sequence number and get ACKed (no zombie reconnect follows).
        await WaitForHeartbeatWithSeqAsync(conn, seq);
        await WaitForHeartbeatWithSeqAsync(conn, seq);
        Assert.False(conn.Closed.IsCompleted);

        var sent = await _host.Sender.SendAsync(new OutboundMessage { Target = message.ReplyTarget, Text = "Sunny all day." }, CancellationToken.None);
        var post = await _fake.NextCallAsync(c => c.Method == "POST" && c.Path == "/api/v10/channels/1200000000000000010/messages", Wait);
        Assert.Equal("Sunny all day.", post.Body!["content"]!.GetValue<string>());
        Assert.Null(post.Body["message_reference"]);
        Assert.Empty(post.Body["allowed_mentions"]!["parse"]!.AsArray());
        Assert.Single(sent.PlatformMessageIds);
    }

    [Fact]
    public async Task ForcedDisconnect_ResumesWithSessionIdAndSeq_AndReplayedEventsAreNotAcceptedTwice()
    {
        var conn = await _fake.NextConnectionAsync(Wait);
        await conn.WaitForOpAsync(2, Wait);
        var seq = await conn.DispatchAsync("MESSAGE_CREATE", Payload.Json("message-create-dm.json"));
        await _host.Pipeline.NextAsync(Wait);

        _fake.ReplayFromSeq = seq; // the resume replays the message already handled
        conn.Abort();

        var resumed = await _fake.NextConnectionAsync(Wait);
        Assert.Equal("/resume", resumed.Path);
        var resume = await resumed.WaitForOpAsync(6, Wait);
        Assert.Equal(_fake.SessionId, resume["d"]!["session_id"]!.GetValue<string>());
        Assert.Equal(seq, resume["d"]!["seq"]!.GetValue<long>());
        Assert.Equal(_fake.BotToken, resume["d"]!["token"]!.GetValue<string>());
        Assert.DoesNotContain(resumed.Frames, f => f["op"]!.GetValue<int>() == 2);

        var next = Payload.Json("message-create-dm.json");
        next["id"] = "1310000000000000102";
        next["content"] = "second";
        await resumed.DispatchAsync("MESSAGE_CREATE", next);
        var second = await _host.Pipeline.NextAsync(Wait);

        Assert.Equal("1310000000000000102", second.PlatformMessageId);
        Assert.Equal(2, _host.Pipeline.Accepted.Count);
        Assert.Equal(["1310000000000000101", "1310000000000000102"], _host.Pipeline.Accepted.Select(m => m.PlatformMessageId));
    }

    [Fact]
    public async Task Reconnect_Op7_ClosesResumably_AndResumesOnResumeUrl()
    {
        var conn = await _fake.NextConnectionAsync(Wait);
        await conn.WaitForOpAsync(2, Wait);
        var seq = await conn.DispatchAsync("MESSAGE_CREATE", Payload.Json("message-create-dm.json"));
        await _host.Pipeline.NextAsync(Wait);

        await conn.SendReconnectAsync();

        var closeCode = await conn.Closed.WaitAsync(Wait);
        Assert.NotNull(closeCode);
        Assert.NotEqual(WebSocketCloseStatus.NormalClosure, closeCode);
        Assert.NotEqual(WebSocketCloseStatus.EndpointUnavailable, closeCode);
        var resumed = await _fake.NextConnectionAsync(Wait);
        Assert.Equal("/resume", resumed.Path);
        var resume = await resumed.WaitForOpAsync(6, Wait);
        Assert.Equal(seq, resume["d"]!["seq"]!.GetValue<long>());
    }

    [Fact]
    public async Task InvalidSessionNotResumable_IdentifiesAfreshOnGatewayUrl()
    {
        var conn = await _fake.NextConnectionAsync(Wait);
        await conn.WaitForOpAsync(2, Wait);
        await conn.DispatchAsync("MESSAGE_CREATE", Payload.Json("message-create-dm.json"));
        await _host.Pipeline.NextAsync(Wait);

        await conn.SendInvalidSessionAsync(resumable: false);

        var fresh = await _fake.NextConnectionAsync(Wait);
        Assert.Equal("/gateway", fresh.Path);
        var identify = await fresh.WaitForOpAsync(2, Wait);
        Assert.Equal(37377, identify["d"]!["intents"]!.GetValue<int>());
        Assert.DoesNotContain(fresh.Frames, f => f["op"]!.GetValue<int>() == 6);
    }

    [Fact]
    public async Task MissedHeartbeatAck_ClosesZombieWithNon1000Code_AndResumes()
    {
        var conn = await ReadyConnectionAsync();
        _fake.SkipHeartbeatAcks = true;

        var closeCode = await conn.Closed.WaitAsync(Wait);
        _fake.SkipHeartbeatAcks = false;

        Assert.NotNull(closeCode);
        Assert.NotEqual(WebSocketCloseStatus.NormalClosure, closeCode);
        Assert.NotEqual(WebSocketCloseStatus.EndpointUnavailable, closeCode);
        var resumed = await _fake.NextConnectionAsync(Wait);
        Assert.Equal("/resume", resumed.Path);
        var resume = await resumed.WaitForOpAsync(6, Wait);
        Assert.Equal(_fake.SessionId, resume["d"]!["session_id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(4004, "authentication failed")]
    [InlineData(4014, "disallowed intents")]
    public async Task FatalCloseCode_StopsWithoutReconnectLoop_AndReadinessReportsIt(int code, string meaning)
    {
        var conn = await _fake.NextConnectionAsync(Wait);
        await conn.WaitForOpAsync(2, Wait);
        await WaitForReadinessAsync(HttpStatusCode.OK);

        await conn.CloseAsync(code, "closing");

        var body = await WaitForReadinessAsync(HttpStatusCode.ServiceUnavailable);
        var codeText = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(codeText, body, StringComparison.Ordinal);
        Assert.Contains(meaning, body, StringComparison.OrdinalIgnoreCase);
        Assert.False(await _fake.AnyConnectionWithinAsync(TimeSpan.FromSeconds(1)));
        Assert.Contains(_host.Logs, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Critical && l.Message.Contains(codeText, StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Logs, l => l.Message.Contains(_fake.BotToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FatalCloseCode_ReadAfterAMissedHeartbeatAck_StillStops()
    {
        var conn = await ReadyConnectionAsync();
        _fake.AnswerClientCloseWith = 4004; // the server's close is read after the heartbeat flagged the connection
        _fake.SkipHeartbeatAcks = true;

        await conn.Closed.WaitAsync(Wait); // the client's zombie close, answered with 4004

        var body = await WaitForReadinessAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("4004", body, StringComparison.Ordinal);
        Assert.Contains("authentication failed", body, StringComparison.OrdinalIgnoreCase);
        Assert.False(await _fake.AnyConnectionWithinAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task ResumableCloseCode_Resumes()
    {
        var conn = await ReadyConnectionAsync();

        await conn.CloseAsync(4000, "Unknown error.");

        var resumed = await _fake.NextConnectionAsync(Wait);
        Assert.Equal("/resume", resumed.Path);
        await resumed.WaitForOpAsync(6, Wait);
    }

    [Fact]
    public async Task SessionTimedOut4009_IdentifiesAfresh()
    {
        var conn = await ReadyConnectionAsync();

        await conn.CloseAsync(4009, "Session timed out.");

        var fresh = await _fake.NextConnectionAsync(Wait);
        Assert.Equal("/gateway", fresh.Path);
        await fresh.WaitForOpAsync(2, Wait);
    }

    [Fact]
    public async Task MessageInThreadAnnouncedByThreadCreate_HasThreadId()
    {
        var conn = await _fake.NextConnectionAsync(Wait);
        await conn.WaitForOpAsync(2, Wait);
        await conn.DispatchAsync("THREAD_CREATE", new JsonObject
        {
            ["id"] = "1200000000000000031",
            ["guild_id"] = "1250000000000000001",
            ["parent_id"] = "1200000000000000020",
            ["type"] = 11,
            ["name"] = "plan review",
            ["newly_created"] = true,
        });
        var payload = Payload.Json("message-create-thread.json");
        payload.Remove("channel_type");
        payload["channel_id"] = "1200000000000000031";

        await conn.DispatchAsync("MESSAGE_CREATE", payload);

        var message = await _host.Pipeline.NextAsync(Wait);
        Assert.Equal("1200000000000000031", message.Chat.Id);
        Assert.Equal("1200000000000000031", message.Chat.ThreadId);
    }

    [Fact]
    public async Task SlashCommandOverGateway_IsAccepted_AndDeferredThroughCallback()
    {
        var conn = await ReadyConnectionAsync();
        var interaction = Payload.Json("interaction-ask-command.json");

        await conn.DispatchAsync("INTERACTION_CREATE", interaction);

        var message = await _host.Pipeline.NextAsync(Wait);
        Assert.Equal("What is the capital of Australia?", message.Text);
        var token = interaction["token"]!.GetValue<string>();
        Assert.Equal(token, message.ReplyContext);
        var callback = await _fake.NextCallAsync(c => c.Path.EndsWith("/callback", StringComparison.Ordinal), Wait);
        Assert.Equal($"/api/v10/interactions/1330000000000000002/{token}/callback", callback.Path);
        Assert.Equal(5, callback.Body!["type"]!.GetValue<int>());
    }

    [Fact]
    public async Task GuildMessageWithoutMention_IsNotAnswered_ButMentionIs()
    {
        _host.Pipeline.Policy = _host.Services.GetRequiredService<IChannelAdapter>().Policy;
        var conn = await _fake.NextConnectionAsync(Wait);
        await conn.WaitForOpAsync(2, Wait);

        await conn.DispatchAsync("MESSAGE_CREATE", Payload.Json("message-create-guild-plain.json"));
        await conn.DispatchAsync("MESSAGE_CREATE", Payload.Json("message-create-from-bot.json"));
        await conn.DispatchAsync("MESSAGE_CREATE", Payload.Json("message-create-guild-mention.json"));

        var accepted = await _host.Pipeline.NextAsync(Wait);
        Assert.Equal("1310000000000000202", accepted.PlatformMessageId);
        Assert.Equal(ChatKind.Group, accepted.Chat.Kind);
        Assert.True(accepted.MentionsBot);
        Assert.Single(_host.Pipeline.Accepted);
    }

    /// <summary>The first connection once the client has handled READY: readiness says the gateway is ready.</summary>
    private async Task<FakeGatewayConnection> ReadyConnectionAsync()
    {
        var conn = await _fake.NextConnectionAsync(Wait);
        await conn.WaitForOpAsync(2, Wait);
        await WaitForReadinessAsync(HttpStatusCode.OK, "Discord gateway ready");
        return conn;
    }

    private async Task<string> WaitForReadinessAsync(HttpStatusCode expected, string? containing = null)
    {
        var last = string.Empty;
        return await Eventually.ValueAsync(
            async () =>
            {
                using var response = await _host.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
                var body = await response.Content.ReadAsStringAsync();
                last = $"{response.StatusCode}: {body}";
                return response.StatusCode == expected && (containing is null || body.Contains(containing, StringComparison.Ordinal)) ? body : null;
            },
            Wait,
            () => $"/readyz {expected} {containing}; it stayed {last}");
    }

    private static async Task WaitForHeartbeatWithSeqAsync(FakeGatewayConnection conn, long seq)
    {
        for (var i = 0; i < 20; i++)
        {
            var beat = await conn.WaitForOpAsync(1, Wait);
            if (beat["d"] is JsonValue v && v.GetValue<long>() == seq)
            {
                return;
            }
        }

        Assert.Fail($"No heartbeat carried seq {seq}.");
    }
}
