using OpenClaw.Channels.Hub.Locks;
using OpenClaw.Channels.Hub.Stores;

namespace OpenClaw.Channels.Tests;

/// <summary>The session store against real Redis and against the embedded Garnet server: one implementation, two engines.</summary>
public class SessionStoreTests(TestRedis redis, TestGarnet garnet) : IClassFixture<TestRedis>, IClassFixture<TestGarnet>
{
    public static TheoryData<string> Stores => new() { "redis", "garnet" };

    private readonly RedisKeys _keys = new(TestRedis.NewPrefix());

    private StackExchange.Redis.IConnectionMultiplexer Engine(string kind) => kind == "redis" ? redis.Multiplexer : garnet.Multiplexer;

    private ISessionStore Create(string kind) => new RedisSessionStore(Engine(kind), _keys, TimeProvider.System);

    /// <summary>The fenced session lock on the same engine and keys as <see cref="Create"/>'s store.</summary>
    private ISessionLockProvider Locks(string kind) => new RedLockSessionLockProvider(
        [Engine(kind)], _keys, TimeSpan.FromSeconds(30), fenceInStore: true, TimeProvider.System,
        Microsoft.Extensions.Logging.Abstractions.NullLogger<RedLockSessionLockProvider>.Instance);

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

        var lease = await Locks(kind).AcquireAsync("s", TimeSpan.Zero, ct);
        var one = (await store.PeekAsync("s", ct))!.Message;
        Assert.Equal("one", one.Text);
        Assert.False(await store.TryCompleteAsync("s", ct));
        Assert.Equal(PopOutcome.Popped, await store.PopAsync("s", one.Id, lease!, ct));
        var two = (await store.PeekAsync("s", ct))!.Message;
        Assert.Equal("two", two.Text);
        Assert.Equal(PopOutcome.Popped, await store.PopAsync("s", two.Id, lease!, ct));
        Assert.Null(await store.PeekAsync("s", ct));
        Assert.True(await store.TryCompleteAsync("s", ct));

        Assert.Equal(AppendOutcome.AppendedNeedsRun, await store.AppendIfNewAsync("c", TimeSpan.FromMinutes(1), "s", Message("c"), ct));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task RunMarker_NamesTheJobIdTheAppendWasGiven_OnlyWhenTheSessionNeedsARun(string kind)
    {
        var store = Create(kind);
        var ct = CancellationToken.None;
        Assert.Equal(AppendOutcome.AppendedNeedsRun, await store.AppendIfNewAsync("r1", TimeSpan.FromMinutes(1), "s", Message("r1"), "job-1", ct));
        Assert.Equal(AppendOutcome.AppendedRunPending, await store.AppendIfNewAsync("r2", TimeSpan.FromMinutes(1), "s", Message("r2"), "job-2", ct));

        var run = await store.GetRunAsync("s", ct);
        Assert.StartsWith(ISessionStore.SchedulingMarker + "local@", run, StringComparison.Ordinal);
        Assert.EndsWith(ISessionStore.RunIdSeparator + "job-1", run, StringComparison.Ordinal);
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
        var read = (await store.PeekAsync("s", CancellationToken.None))?.Message;
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
    public async Task PeekWithoutTouch_LeavesThePendingMark_AndAPeekWithIt_RecordsProgress(string kind)
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new RedisSessionStore(Engine(kind), _keys, time);
        var ct = CancellationToken.None;
        await store.AppendIfNewAsync("t", TimeSpan.FromMinutes(1), "s", Message("t"), ct);
        var appended = time.GetUtcNow();
        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal("t", (await store.PeekAsync("s", touch: false, ct))!.Message.PlatformMessageId);
        Assert.Contains("s", await store.GetStalePendingAsync(appended, 10, ct)); // still the append's mark

        Assert.NotNull(await store.PeekAsync("s", touch: true, ct));
        Assert.DoesNotContain("s", await store.GetStalePendingAsync(time.GetUtcNow().AddSeconds(-1), 10, ct));
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

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Pop_RemovesOnlyTheMessageItNames_SoAStaleRunCannotPopAnUnansweredOne(string kind)
    {
        var store = Create(kind);
        var ct = CancellationToken.None;
        var lease = (await Locks(kind).AcquireAsync("s", TimeSpan.Zero, ct))!;
        var first = Message("a", "one");
        var second = Message("b", "two");
        await store.AppendIfNewAsync("a", TimeSpan.FromMinutes(1), "s", first, ct);
        await store.AppendIfNewAsync("b", TimeSpan.FromMinutes(1), "s", second, ct);

        Assert.Equal(PopOutcome.NotAtHead, await store.PopAsync("s", second.Id, lease, ct));
        Assert.Equal(PopOutcome.Popped, await store.PopAsync("s", first.Id, lease, ct));
        Assert.Equal(PopOutcome.NotAtHead, await store.PopAsync("s", first.Id, lease, ct)); // a second run popping the same message
        Assert.Equal(second.Id, (await store.PeekAsync("s", ct))!.Message.Id);
        Assert.Equal(1, await store.CountAsync("s", ct));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task DeliveryRecord_IsReturnedWithTheHead_AndDroppedByThePop(string kind)
    {
        var store = Create(kind);
        var ct = CancellationToken.None;
        var lease = (await Locks(kind).AcquireAsync("s", TimeSpan.Zero, ct))!;
        var message = Message("d");
        await store.AppendIfNewAsync("d", TimeSpan.FromMinutes(1), "s", message, ct);
        Assert.Null((await store.PeekAsync("s", ct))!.Delivery);

        await store.RecordDeliveryAsync(message.Id, new DeliveryRecord(["m1", "m2"], Complete: true), TimeSpan.FromMinutes(1), ct);
        var head = await store.PeekAsync("s", ct);
        Assert.Equal(["m1", "m2"], head!.Delivery!.PlatformMessageIds);
        Assert.True(head.Delivery.Complete);

        Assert.Equal(PopOutcome.Popped, await store.PopAsync("s", message.Id, lease, ct));
        await store.RequeueAtHeadAsync("s", [message], ct);
        Assert.Null((await store.PeekAsync("s", ct))!.Delivery);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Peek_TellsWhetherTheHeadHasARecordOrAttemptCount_AndAPopOfAHeadThatHadOneDropsIt(string kind)
    {
        var store = Create(kind);
        var ct = CancellationToken.None;
        var db = Engine(kind).GetDatabase();
        var lease = (await Locks(kind).AcquireAsync("s", TimeSpan.Zero, ct))!;
        var counted = Message("c1");
        var recorded = Message("c2");
        var plain = Message("c3");
        foreach (var message in new[] { counted, recorded, plain })
        {
            await store.AppendIfNewAsync(message.PlatformMessageId, TimeSpan.FromMinutes(1), "s", message, ct);
        }

        Assert.True((await store.PeekAsync("s", ct))!.Clean);
        Assert.Equal(1, await store.CountFailureAsync(counted.Id, ct)); // an earlier run's failed attempt
        var head = (await store.PeekAsync("s", ct))!;
        Assert.False(head.Clean);
        await store.PopAsync("s", counted.Id, lease, null, TimeSpan.FromMinutes(1), PopCompletion.CompleteAndRelease, ct, clean: head.Clean);
        Assert.False(await db.KeyExistsAsync(_keys.Attempts(counted.Id)));

        await store.RecordDeliveryAsync(recorded.Id, new DeliveryRecord(["m1"], Complete: true), TimeSpan.FromMinutes(1), ct);
        head = (await store.PeekAsync("s", ct))!;
        Assert.False(head.Clean);
        await store.PopAsync("s", recorded.Id, lease, null, TimeSpan.FromMinutes(1), PopCompletion.CompleteAndRelease, ct, clean: head.Clean);
        Assert.False(await db.KeyExistsAsync(_keys.Delivery(recorded.Id)));

        head = (await store.PeekAsync("s", ct))!;
        Assert.True(head.Clean);
        Assert.Equal(PopOutcome.Completed, await store.PopAsync("s", plain.Id, lease, null, TimeSpan.FromMinutes(1), PopCompletion.CompleteAndRelease, ct, clean: head.Clean));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task RequeueAtHead_PutsMessagesBeforeTheQueuedOnes_Once(string kind)
    {
        var store = Create(kind);
        var ct = CancellationToken.None;
        var old1 = Message("o1", "old one");
        var old2 = Message("o2", "old two");
        await store.AppendIfNewAsync("n", TimeSpan.FromMinutes(1), "s", Message("n", "new"), ct);

        Assert.False(await store.RequeueAtHeadAsync("s", [old1, old2], ct)); // a run is pending already
        Assert.False(await store.RequeueAtHeadAsync("s", [old1], ct)); // already at the head: not twice
        Assert.Equal(3, await store.CountAsync("s", ct));
        Assert.Equal("old one", (await store.PeekAsync("s", ct))!.Message.Text);
        Assert.True(await store.RequeueAtHeadAsync("idle", [old1], ct));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task DeadLetters_AreListedNewestFirst_AndReplayPutsOneBackAtItsSessionHead(string kind)
    {
        var store = Create(kind);
        var ct = CancellationToken.None;
        var first = Message("x1", "poison one");
        var second = Message("x2", "poison two");
        await store.DeadLetterAsync("s1", first, "send failed: 400", ct);
        await Task.Delay(5);
        await store.DeadLetterAsync("s2", second, "turn failed", ct);

        var list = await store.ListDeadLettersAsync(10, ct);
        Assert.Equal([second.Id, first.Id], list.Select(d => d.Id));
        Assert.Equal("send failed: 400", list[1].Reason);
        Assert.Equal("s1", list[1].SessionKey);

        var replayed = await store.ReplayDeadLetterAsync(first.Id, ct);
        Assert.NotNull(replayed);
        Assert.True(replayed.Value.NeedsRun);
        Assert.Equal(first.Id, (await store.PeekAsync("s1", ct))!.Message.Id);
        Assert.Single(await store.ListDeadLettersAsync(10, ct));
        Assert.Null(await store.ReplayDeadLetterAsync(first.Id, ct));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Peek_RecordsProgress_SoTheRescueSweepLeavesARunningSessionAlone(string kind)
    {
        var store = Create(kind);
        var ct = CancellationToken.None;
        await store.AppendIfNewAsync("p", TimeSpan.FromMinutes(1), "busy", Message("p"), ct);
        await Task.Delay(50);
        Assert.Contains("busy", await store.GetStalePendingAsync(DateTimeOffset.UtcNow, 10, ct));
        Assert.NotNull(await store.PeekAsync("busy", ct));
        Assert.DoesNotContain("busy", await store.GetStalePendingAsync(DateTimeOffset.UtcNow.AddSeconds(-5), 10, ct));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task LastPop_CompletesTheSession_AndReleasesTheLock_InOneStep(string kind)
    {
        var store = Create(kind);
        var ct = CancellationToken.None;
        var db = Engine(kind).GetDatabase();
        var lease = (await Locks(kind).AcquireAsync("s", TimeSpan.Zero, ct))!;
        var first = Message("a", "one");
        var second = Message("b", "two");
        await store.AppendIfNewAsync("a", TimeSpan.FromMinutes(1), "s", first, ct);
        await store.AppendIfNewAsync("b", TimeSpan.FromMinutes(1), "s", second, ct);
        var delivered = new DeliveryRecord(["m1"], Complete: true);

        Assert.Equal(PopOutcome.Popped, await store.PopAsync("s", first.Id, lease, delivered, TimeSpan.FromMinutes(1), PopCompletion.CompleteAndRelease, ct));
        Assert.False(await db.KeyExistsAsync(_keys.Delivery(first.Id))); // popped in the same step: no record needed
        Assert.True(lease.IsHeld);
        Assert.Equal(AppendOutcome.AppendedRunPending, await store.AppendIfNewAsync("c", TimeSpan.FromMinutes(1), "s", Message("c", "three"), ct));
        await store.PopAsync("s", second.Id, lease, delivered, TimeSpan.FromMinutes(1), PopCompletion.CompleteAndRelease, ct);
        var third = (await store.PeekAsync("s", ct))!.Message;

        Assert.Equal(PopOutcome.Completed, await store.PopAsync("s", third.Id, lease, delivered, TimeSpan.FromMinutes(1), PopCompletion.CompleteAndRelease, ct));
        Assert.False(lease.IsHeld);
        Assert.False(await db.KeyExistsAsync(_keys.Lock("s")));
        Assert.Equal(AppendOutcome.AppendedNeedsRun, await store.AppendIfNewAsync("d", TimeSpan.FromMinutes(1), "s", Message("d"), ct));
        var next = await Locks(kind).AcquireAsync("s", TimeSpan.Zero, ct); // free at once, not after the lease
        Assert.NotNull(next);
        await lease.DisposeAsync(); // released by the store: must not touch the next run's lock
        Assert.Equal(next.Token, (string?)await db.StringGetAsync(_keys.Lock("s")));
        await next.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task PopWithADelivery_OnALostLease_RecordsTheDelivery_AndRemovesNothing(string kind)
    {
        var store = Create(kind);
        var ct = CancellationToken.None;
        var db = Engine(kind).GetDatabase();
        var lease = (await Locks(kind).AcquireAsync("s", TimeSpan.Zero, ct))!;
        var message = Message("l");
        await store.AppendIfNewAsync("l", TimeSpan.FromMinutes(1), "s", message, ct);
        await db.StringSetAsync(_keys.Lock("s"), "another-run"); // the lease expired and another run took the lock

        var outcome = await store.PopAsync("s", message.Id, lease, new DeliveryRecord(["m9"], Complete: true), TimeSpan.FromMinutes(1), PopCompletion.CompleteAndRelease, ct);

        Assert.Equal(PopOutcome.LeaseLost, outcome);
        var head = (await store.PeekAsync("s", ct))!;
        Assert.Equal(message.Id, head.Message.Id);
        Assert.Equal(["m9"], head.Delivery!.PlatformMessageIds); // the run that holds the lock pops it without sending
        Assert.Equal("another-run", (string?)await db.StringGetAsync(_keys.Lock("s")));
        Assert.Equal(1, await store.CountAsync("s", ct));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task PopWithADelivery_OfAMessageNotAtTheHead_RecordsIt_AndRemovesNothing(string kind)
    {
        var store = Create(kind);
        var ct = CancellationToken.None;
        var db = Engine(kind).GetDatabase();
        var lease = (await Locks(kind).AcquireAsync("s", TimeSpan.Zero, ct))!;
        var first = Message("h1");
        var second = Message("h2");
        await store.AppendIfNewAsync("h1", TimeSpan.FromMinutes(1), "s", first, ct);
        await store.AppendIfNewAsync("h2", TimeSpan.FromMinutes(1), "s", second, ct);

        var outcome = await store.PopAsync("s", second.Id, lease, new DeliveryRecord(["m2"], Complete: true), TimeSpan.FromMinutes(1), PopCompletion.Complete, ct);

        Assert.Equal(PopOutcome.NotAtHead, outcome);
        Assert.True(await db.KeyExistsAsync(_keys.Delivery(second.Id)));
        Assert.Equal(2, await store.CountAsync("s", ct));
        Assert.True(lease.IsHeld);
        await lease.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task PopWithCompletion_KeepsTheOthersInArrivalOrder_WhetherItPopsOrNot(string kind)
    {
        var store = Create(kind);
        var ct = CancellationToken.None;
        var db = Engine(kind).GetDatabase();
        var lease = (await Locks(kind).AcquireAsync("s", TimeSpan.Zero, ct))!;
        var messages = new[] { Message("o1"), Message("o2"), Message("o3") };
        foreach (var m in messages)
        {
            await store.AppendIfNewAsync(m.PlatformMessageId, TimeSpan.FromMinutes(1), "s", m, ct);
        }

        async Task<string[]> Ids() => (await db.ListRangeAsync(_keys.Inbox("s"))).Select(v => MessageSerializer.Deserialize(v.ToString()).Id).ToArray();

        Assert.Equal(PopOutcome.NotAtHead, await store.PopAsync("s", messages[1].Id, lease, null, TimeSpan.FromMinutes(1), PopCompletion.CompleteAndRelease, ct));
        Assert.Equal(messages.Select(m => m.Id), await Ids());
        Assert.Equal(PopOutcome.Popped, await store.PopAsync("s", messages[0].Id, lease, null, TimeSpan.FromMinutes(1), PopCompletion.CompleteAndRelease, ct));
        Assert.Equal(messages.Skip(1).Select(m => m.Id), await Ids());
        Assert.Equal(PopOutcome.Popped, await store.PopAsync("s", messages[1].Id, lease, ct)); // no completion asked
        Assert.Equal(PopOutcome.NotAtHead, await store.PopAsync("s", messages[1].Id, lease, null, TimeSpan.FromMinutes(1), PopCompletion.Complete, ct));
        Assert.Equal([messages[2].Id], await Ids());
        Assert.Equal(PopOutcome.Completed, await store.PopAsync("s", messages[2].Id, lease, null, TimeSpan.FromMinutes(1), PopCompletion.CompleteAndRelease, ct));
        Assert.False(await db.KeyExistsAsync(_keys.Inbox("s")));
        Assert.False(lease.IsHeld);
    }
}
