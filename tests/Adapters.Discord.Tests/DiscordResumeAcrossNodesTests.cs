using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Discord;

namespace OpenClaw.Channels.Tests;

/// <summary>A node that takes a shard over resumes the session another node stored, and gets RESUMED instead of
/// READY: it must still know the bot's identity, or a replayed message gets another idempotency key (and is answered
/// twice across nodes) and the bot's own messages are no longer recognised.</summary>
public sealed class DiscordResumeAcrossNodesTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly FakeDiscordServer _fake = new();

    public Task InitializeAsync() => _fake.StartAsync();

    public Task DisposeAsync() => _fake.DisposeAsync().AsTask();

    [Fact]
    public async Task ResumingAnotherNodesSession_StampsTheSameAccount_AndIgnoresTheBotsOwnMessages()
    {
        var store = new InMemoryStateStore();
        var settings = DiscordTestHost.DefaultSettings(_fake);
        settings["AllowBots"] = "true"; // other bots are let through: only the bot's own identity filters its messages
        await using var a = await DiscordTestHost.StartAsync(settings, store);
        var first = await _fake.NextConnectionAsync(Wait);
        await first.WaitForOpAsync(2, Wait);
        var seq = await first.DispatchAsync("MESSAGE_CREATE", Payload.Json("message-create-dm.json"));
        var onA = await a.Pipeline.NextAsync(Wait);
        await WaitForStoredSessionAsync(store, seq);

        // Node B starts on what node A stored and resumes that session; the resume replays the message A handled.
        _fake.ReplayFromSeq = seq;
        await using var b = await DiscordTestHost.StartAsync(settings, store.Snapshot());
        var resumed = await _fake.NextConnectionAsync(Wait);
        Assert.Equal("/resume", resumed.Path);
        var replayed = await b.Pipeline.NextAsync(Wait);

        Assert.Equal(onA.PlatformMessageId, replayed.PlatformMessageId);
        Assert.Equal(_fake.ApplicationId, replayed.AccountId);
        Assert.Equal(onA.IdempotencyKey, replayed.IdempotencyKey); // the hub's dedupe drops it

        var own = Payload.Json("message-create-dm.json");
        own["id"] = "1310000000000000201";
        own["author"] = new System.Text.Json.Nodes.JsonObject { ["id"] = _fake.BotUserId, ["username"] = "openclaw", ["bot"] = true, ["discriminator"] = "0" };
        await resumed.DispatchAsync("MESSAGE_CREATE", own);
        var after = Payload.Json("message-create-dm.json");
        after["id"] = "1310000000000000202";
        await resumed.DispatchAsync("MESSAGE_CREATE", after);
        var next = await b.Pipeline.NextAsync(Wait);

        Assert.Equal("1310000000000000202", next.PlatformMessageId); // the bot's own message was not handed over
        Assert.DoesNotContain(b.Pipeline.Accepted, m => m.PlatformMessageId == "1310000000000000201");
    }

    private static Task WaitForStoredSessionAsync(InMemoryStateStore store, long seq)
        => Eventually.UntilAsync(
            () => store.Values.Any(v => v.Contains($"\"Seq\":{seq},", StringComparison.Ordinal) || v.Contains($"\"Seq\":{seq}}}", StringComparison.Ordinal)),
            Wait,
            () => $"the session with seq {seq} stored");
}
