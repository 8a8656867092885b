using OpenClaw.Channels.Hub.Stores;

namespace OpenClaw.Channels.Tests;

/// <summary>The session store against real Redis and against the embedded Garnet server: one implementation, two engines.</summary>
public class SessionStoreTests(TestRedis redis, TestGarnet garnet) : IClassFixture<TestRedis>, IClassFixture<TestGarnet>
{
    public static TheoryData<string> Stores => new() { "redis", "garnet" };

    private ISessionStore Create(string kind)
        => new RedisSessionStore(kind == "redis" ? redis.Multiplexer : garnet.Multiplexer, new RedisKeys(TestRedis.NewPrefix()), TimeProvider.System);

    private static ChannelMessage Message(string id, string text = "hi") => new()
    {
        Channel = "telegram",
        AccountId = "1",
        PlatformMessageId = id,
        Chat = new ChatRef("5", ChatKind.Direct),
        Sender = new SenderRef("5", "Ann"),
        Text = text,
    };

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task SameIdempotencyKey_IsStoredOnce(string kind)
    {
        var store = Create(kind);
        var ct = CancellationToken.None;
        Assert.Equal(AppendOutcome.AppendedNeedsRun, await store.AppendIfNewAsync("k1", TimeSpan.FromMinutes(1), "s", Message("1"), ct));
        Assert.Equal(AppendOutcome.Duplicate, await store.AppendIfNewAsync("k1", TimeSpan.FromMinutes(1), "s", Message("1"), ct));
        Assert.Equal(1, await store.CountAsync("s", ct));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task OnlyTheFirstMessage_OfAnIdleSession_AsksForARun(string kind)
    {
        var store = Create(kind);
        var ct = CancellationToken.None;
        Assert.Equal(AppendOutcome.AppendedNeedsRun, await store.AppendIfNewAsync("a", TimeSpan.FromMinutes(1), "s", Message("a", "one"), ct));
        Assert.Equal(AppendOutcome.AppendedRunPending, await store.AppendIfNewAsync("b", TimeSpan.FromMinutes(1), "s", Message("b", "two"), ct));

        Assert.Equal("one", (await store.PeekAsync("s", ct))!.Text);
        Assert.False(await store.TryCompleteAsync("s", ct));
        await store.PopAsync("s", ct);
        Assert.Equal("two", (await store.PeekAsync("s", ct))!.Text);
        await store.PopAsync("s", ct);
        Assert.Null(await store.PeekAsync("s", ct));
        Assert.True(await store.TryCompleteAsync("s", ct));

        Assert.Equal(AppendOutcome.AppendedNeedsRun, await store.AppendIfNewAsync("c", TimeSpan.FromMinutes(1), "s", Message("c"), ct));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task StoredMessage_RoundTripsEveryField(string kind)
    {
        var store = Create(kind);
        var original = Message("x", "caption") with
        {
            Type = MessageType.Image,
            Attachments = [new Attachment(AttachmentKind.Image, PlatformFileId: "f1", MimeType: "image/jpeg", SizeBytes: 1234)],
            Command = new BotCommand("status", "now"),
            MentionsBot = true,
            Chat = new ChatRef("-100", ChatKind.Group, "7", "Team"),
            NativeMessageId = "55",
            ReplyContext = "ctx",
        };
        await store.AppendIfNewAsync("x", TimeSpan.FromMinutes(1), "s", original, CancellationToken.None);
        var read = await store.PeekAsync("s", CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(original.Id, read.Id);
        Assert.Equal(original.Chat, read.Chat);
        Assert.Equal(original.Command, read.Command);
        Assert.Equal(original.Attachments.Single(), read.Attachments.Single());
        Assert.Equal(original.Timestamp, read.Timestamp);
        Assert.Equal("ctx", read.ReplyContext);
        Assert.Equal(MessageType.Image, read.Type);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task IgnoredMessages_AreRememberedToo(string kind)
    {
        var store = Create(kind);
        Assert.True(await store.MarkSeenAsync("i", TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.False(await store.MarkSeenAsync("i", TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task StalePendingSessions_AreFound_UntilTouched(string kind)
    {
        var store = Create(kind);
        var ct = CancellationToken.None;
        await store.AppendIfNewAsync("p", TimeSpan.FromMinutes(1), "stale", Message("p"), ct);
        await Task.Delay(50);
        Assert.Contains("stale", await store.GetStalePendingAsync(DateTimeOffset.UtcNow, 10, ct));
        await store.TouchAsync("stale", ct);
        Assert.DoesNotContain("stale", await store.GetStalePendingAsync(DateTimeOffset.UtcNow.AddSeconds(-5), 10, ct));
    }
}
