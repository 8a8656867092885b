using System.Globalization;
using System.Net;
using System.Text;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Fakes.Telegram;
using OpenClaw.Channels.Hub.Stores;
using OpenClaw.Channels.Tests.EndToEnd;
using OpenClaw.Channels.Tests.Ordering;
using StackExchange.Redis;

namespace OpenClaw.Channels.Tests.Faults;

/// <summary>Pending marks that no run will clear, after a redis-server SIGKILL lands between a script and its reply.
/// With <c>--appendfsync always</c> Redis writes (and fsyncs) the append-only file before it sends the replies of an
/// event-loop pass, so a kill in between keeps a write whose client only saw the connection fail. For the inbox append
/// that means: the message is in the inbox, the session pending, its run marked as being scheduled by the accepting
/// node (<c>sched:{node}@{ms}</c>), the webhook failed, Telegram's redelivery was a duplicate, and no run was ever
/// scheduled; every later message of the chat then joins a session whose run is "pending". The sweep used to take the
/// marker as alive as long as the node lived: the chat stalled for good.</summary>
/// <remarks>The kill cannot be timed into that microsecond window from a test, so the test writes the window's outcome
/// with the hub's own append script (<see cref="RedisSessionStore.AppendIfNewAsync"/> with the hub's node id, and no
/// run scheduled: what the hub did when the reply was lost), then SIGKILLs redis-server and restarts it from its
/// append-only file, and redelivers the update through the webhook as Telegram does. The hub runs in the test process
/// (<see cref="LoggedHubNode"/>): the fault is redis-server's death, not the hub's.</remarks>
[TypicalDuration(25)]
public sealed class LostAppendReplyTests : IAsyncLifetime
{
    private const string Prefix = "lostreply:";
    private const string NodeId = "lostreply-a";
    private const long Chat = 910_001;
    private const int StaleSessionMs = 2_000;

    /// <summary>The scheduling grace (<c>Hub:SchedulingGraceMs</c>, see <c>SessionRescueService.SchedulingGrace</c>; the
    /// product's default is 10 s): here as short as the grace can be, one stale period.</summary>
    private const int SchedulingGraceMs = StaleSessionMs;

    /// <summary>How soon a stalled session must be answered: the scheduling grace, then one stale period and a sweep
    /// tick, plus a margin for a loaded machine (a turn of the fake model takes 100 ms).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(SchedulingGraceMs + StaleSessionMs + 500 + 12_500);

    private readonly FakeTelegramServer _telegram = new();
    private readonly FakeOpenAiServer _model = new() { LatencyMs = 100 };
    private RedisServerProcess _redis = null!;
    private long _updateId;

    private static string SessionKey => "agent:main:telegram:direct:" + Chat.ToString(CultureInfo.InvariantCulture);

    public async Task InitializeAsync()
    {
        await _telegram.StartAsync();
        await _model.StartAsync();
        _redis = await RedisServerProcess.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _telegram.DisposeAsync();
        await _model.DisposeAsync();
    }

    [Fact]
    public async Task AppendWhoseReplyWasLost_IsAnsweredWithinTheBound_AndSoIsTheNextMessageOfItsChat()
    {
        await using var hub = await LoggedHubNode.StartAsync(NodeId, Settings());
        Assert.Equal(HttpStatusCode.OK, await PostAsync(hub, NextUpdateId(), "c1 m1"));
        await WaitAnswersAsync(["c1 m1"], TimeSpan.FromSeconds(30));
        await WaitNotPendingAsync(TimeSpan.FromSeconds(30));

        // The append of update 2 lands and is in the AOF; its reply is lost with the connection (no run scheduled).
        var lostUpdate = NextUpdateId();
        var appended = await Store().AppendIfNewAsync(MessageOf(lostUpdate, "c1 m2").IdempotencyKey, TimeSpan.FromMinutes(10), SessionKey, MessageOf(lostUpdate, "c1 m2"), CancellationToken.None);
        Assert.Equal(AppendOutcome.AppendedNeedsRun, appended);
        _redis.Kill();
        await _redis.RestartAsync();

        // Telegram redelivers the update whose webhook failed: a duplicate now. Then the chat's next message.
        Assert.Equal(HttpStatusCode.OK, await RetryPostAsync(hub, lostUpdate, "c1 m2"));
        Assert.Equal(HttpStatusCode.OK, await RetryPostAsync(hub, NextUpdateId(), "c1 m3"));

        await WaitAnswersAsync(["c1 m1", "c1 m2", "c1 m3"], Bound);
        await WaitNotPendingAsync(Bound);
        Assert.Equal(["answer: c1 m1", "answer: c1 m2", "answer: c1 m3"], _telegram.SentMessages.Select(m => m.PlainText).ToList()); // once each, in order
        Assert.Equal(1, hub.CountLines("Rescued stale session"));
    }

    [Fact]
    public async Task PendingMarkOfAnEmptyInbox_IsClearedWithinTheBound_AndTheChatIsAnsweredAfterwards()
    {
        await using var hub = await LoggedHubNode.StartAsync(NodeId, Settings());

        // Modelled state, written directly: a pending mark and a scheduling marker of a live node whose job never came,
        // over an empty inbox (the append script run by the hub's own store, then the inbox emptied).
        var update = NextUpdateId();
        await Store().AppendIfNewAsync(MessageOf(update, "c1 m0").IdempotencyKey, TimeSpan.FromMinutes(10), SessionKey, MessageOf(update, "c1 m0"), CancellationToken.None);
        await _redis.Client.GetDatabase().KeyDeleteAsync(Prefix + "inbox:" + SessionKey);

        await WaitNotPendingAsync(Bound);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(hub, NextUpdateId(), "c1 m1"));
        await WaitAnswersAsync(["c1 m1"], TimeSpan.FromSeconds(30));
        await WaitNotPendingAsync(TimeSpan.FromSeconds(30));
        Assert.Single(_telegram.SentMessages);
    }

    /// <summary>A fetch whose reply was lost: its <c>RPOPLPUSH</c> (and, with <paramref name="fetchedWritten"/>, its
    /// <c>HSET Fetched</c>) reached redis-server and its append-only file, the reply did not, so the run's job sits in
    /// its queue's <c>:dequeued</c> list, still Enqueued, on a live node, with no worker: the sweep took it for alive
    /// (Hangfire.Redis's watcher requeues it after 1-2 minutes, or 30 with <c>Fetched</c>). The window's outcome is
    /// written directly (the job's keys as the hub's Hangfire storage writes them), then redis-server is SIGKILLed and
    /// restarted from its append-only file.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FetchWhoseReplyWasLost_IsRescuedWithinTheBound_AndAnsweredOnce(bool fetchedWritten)
    {
        await using var hub = await LoggedHubNode.StartAsync(NodeId, Settings());
        Assert.Equal(HttpStatusCode.OK, await PostAsync(hub, NextUpdateId(), "c1 m1"));
        await WaitAnswersAsync(["c1 m1"], TimeSpan.FromSeconds(30));
        await WaitNotPendingAsync(TimeSpan.FromSeconds(30));

        var update = NextUpdateId();
        Assert.Equal(AppendOutcome.AppendedNeedsRun, await Store().AppendIfNewAsync(MessageOf(update, "c1 m2").IdempotencyKey, TimeSpan.FromMinutes(10), SessionKey, MessageOf(update, "c1 m2"), CancellationToken.None));
        var hangfire = new RedisKeys(Prefix).HangfirePrefix;
        var queue = "node-" + NodeId;
        var jobId = Guid.NewGuid().ToString();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var db = _redis.Client.GetDatabase();
        await db.HashSetAsync(hangfire + "job:" + jobId, [new("State", "Enqueued"), new("CreatedAt", now)]);
        await db.HashSetAsync(hangfire + "job:" + jobId + ":state", [new("State", "Enqueued"), new("Queue", queue), new("EnqueuedAt", now)]);
        await db.ListLeftPushAsync(hangfire + "queue:" + queue + ":dequeued", jobId); // the fetch's RPOPLPUSH
        if (fetchedWritten)
        {
            await db.HashSetAsync(hangfire + "job:" + jobId, "Fetched", now);
        }

        await Store().SetRunAsync(SessionKey, jobId, CancellationToken.None);
        _redis.Kill();
        await _redis.RestartAsync();

        await WaitAnswersAsync(["c1 m1", "c1 m2"], Bound);
        await WaitNotPendingAsync(Bound);
        Assert.Equal(["answer: c1 m1", "answer: c1 m2"], _telegram.SentMessages.Select(m => m.PlainText).ToList());
        Assert.Equal(1, hub.CountLines("Rescued stale session"));
    }

    /// <summary>The append records the id of the job its router creates (<c>sched:{node}@{ms}#{job id}</c>, no
    /// <c>HSET runs</c> after the job): once that job exists its state decides, not the marker's grace. Here the job
    /// ended (Deleted) with the session's message still queued, well within a grace of a minute, and the sweep rescues
    /// it after one stale period; by the marker's rule (what the sweep read before) it would wait out the grace.</summary>
    [Fact]
    public async Task MarkerNamingAJobThatEnded_IsRescuedByTheJobsState_BeforeTheMarkersGrace()
    {
        var settings = Settings();
        settings["Hub:SchedulingGraceMs"] = "60000";
        await using var hub = await LoggedHubNode.StartAsync(NodeId, settings);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(hub, NextUpdateId(), "c1 m1"));
        await WaitAnswersAsync(["c1 m1"], TimeSpan.FromSeconds(30));
        await WaitNotPendingAsync(TimeSpan.FromSeconds(30));

        var update = NextUpdateId();
        var jobId = Guid.NewGuid().ToString();
        Assert.Equal(AppendOutcome.AppendedNeedsRun, await Store().AppendIfNewAsync(MessageOf(update, "c1 m2").IdempotencyKey, TimeSpan.FromMinutes(10), SessionKey, MessageOf(update, "c1 m2"), jobId, CancellationToken.None));
        var db = _redis.Client.GetDatabase();
        Assert.EndsWith("#" + jobId, (string?)await db.HashGetAsync(Prefix + "runs", SessionKey), StringComparison.Ordinal);
        var hangfire = new RedisKeys(Prefix).HangfirePrefix;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        await db.HashSetAsync(hangfire + "job:" + jobId, [new("State", "Deleted"), new("CreatedAt", now)]);
        await db.HashSetAsync(hangfire + "job:" + jobId + ":state", [new("State", "Deleted"), new("DeletedAt", now)]);

        await WaitAnswersAsync(["c1 m1", "c1 m2"], TimeSpan.FromSeconds(30)); // half the grace
        await WaitNotPendingAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["answer: c1 m1", "answer: c1 m2"], _telegram.SentMessages.Select(m => m.PlainText).ToList());
        Assert.Equal(1, hub.CountLines("Rescued stale session"));
    }

    /// <summary>A fetch under way: between its <c>RPOPLPUSH</c> and its <c>HSET Fetched</c> the job sits in
    /// <c>:dequeued</c>, still Enqueued, without <c>Fetched</c>, which is also what a fetch that lost its reply leaves
    /// behind; a loaded machine stretches that moment past a sweep. The window is written directly and held until the
    /// hub's sweep has seen it once, then the worker moves the job on to Processing on the hub's live Hangfire server. One
    /// look must not rescue it (a rescue here is a second run of the session).</summary>
    [Fact]
    public async Task FetchUnderWay_LooksLostToOneSweep_IsNotRescued()
    {
        var settings = Settings();
        settings["Hub:StaleSessionMs"] = "4000"; // sweeps 1 s apart: time for the test to move the job on between two
        settings["Hub:SchedulingGraceMs"] = "4000";
        settings["Logging:LogLevel:OpenClaw.Channels.Hub.Routing.SessionRescueService"] = "Information"; // "looks like a lost fetch"
        await using var hub = await LoggedHubNode.StartAsync(NodeId, settings);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(hub, NextUpdateId(), "c1 m1"));
        await WaitAnswersAsync(["c1 m1"], TimeSpan.FromSeconds(30));
        await WaitNotPendingAsync(TimeSpan.FromSeconds(30));

        var update = NextUpdateId();
        Assert.Equal(AppendOutcome.AppendedNeedsRun, await Store().AppendIfNewAsync(MessageOf(update, "c1 m2").IdempotencyKey, TimeSpan.FromMinutes(10), SessionKey, MessageOf(update, "c1 m2"), CancellationToken.None));
        var hangfire = new RedisKeys(Prefix).HangfirePrefix;
        var queue = "node-" + NodeId;
        var jobId = Guid.NewGuid().ToString();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var db = _redis.Client.GetDatabase();
        await db.HashSetAsync(hangfire + "job:" + jobId, [new("State", "Enqueued"), new("CreatedAt", now)]);
        await db.HashSetAsync(hangfire + "job:" + jobId + ":state", [new("State", "Enqueued"), new("Queue", queue), new("EnqueuedAt", now)]);
        await db.ListLeftPushAsync(hangfire + "queue:" + queue + ":dequeued", jobId); // the fetch's RPOPLPUSH, its HSET not yet
        await Store().SetRunAsync(SessionKey, jobId, CancellationToken.None);

        await Eventually.UntilAsync(() => Task.FromResult(hub.CountLines("looks like a lost fetch") > 0 || hub.CountLines("Rescued stale session") > 0), TimeSpan.FromSeconds(30));
        Assert.True(hub.CountLines("Rescued stale session") == 0, "one look rescued it:\n" + string.Join("\n", hub.Output.Where(l => l.Contains("tale session", StringComparison.Ordinal))));

        // The worker's next steps: Fetched, then Processing on its (live) server.
        var server = (await db.SetMembersAsync(hangfire + "servers")).Select(v => v.ToString()).First(s => s.StartsWith(NodeId + ":", StringComparison.Ordinal));
        await db.HashSetAsync(hangfire + "job:" + jobId, [new("State", "Processing"), new("Fetched", now)]);
        await db.HashSetAsync(hangfire + "job:" + jobId + ":state", [new("State", "Processing"), new("ServerId", server), new("StartedAt", now)]);
        var movedOn = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // A later sweep finds it alive and touches the session.
        await Eventually.UntilAsync(async () => await db.SortedSetScoreAsync(Prefix + "pending", SessionKey) > movedOn, TimeSpan.FromSeconds(30));
        Assert.Equal(0, hub.CountLines("Rescued stale session"));
        Assert.DoesNotContain(_telegram.SentMessages, m => m.PlainText == "answer: c1 m2");
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["ConnectionStrings:Redis"] = _redis.ConnectionString,
        ["Hub:KeyPrefix"] = Prefix,
        ["Hub:StaleSessionMs"] = StaleSessionMs.ToString(CultureInfo.InvariantCulture),
        ["Hub:SchedulingGraceMs"] = SchedulingGraceMs.ToString(CultureInfo.InvariantCulture),
        ["Hub:NodeHeartbeatMs"] = "500",
        ["Hub:NodeTtlMs"] = "3000",
        ["Hub:LockLeaseMs"] = "30000",
        ["Hub:LockWaitMs"] = "1000",
        ["Channels:Telegram:BotToken"] = _telegram.BotToken,
        ["Channels:Telegram:Mode"] = "Webhook",
        ["Channels:Telegram:WebhookSecret"] = TelegramHub.Secret,
        ["Channels:Telegram:ApiBaseUrl"] = _telegram.BaseUrl,
        ["Agent:Endpoint"] = _model.ApiBaseUrl,
        ["Agent:Model"] = "fake-model",
        ["Agent:ApiKey"] = "sk-test-key",
        ["Agent:RetryBaseDelayMs"] = "50",
    };

    private RedisSessionStore Store() => new(_redis.Client, new RedisKeys(Prefix), TimeProvider.System, NodeId);

    private long NextUpdateId() => Interlocked.Increment(ref _updateId);

    /// <summary>The message the Telegram normalizer makes of <see cref="TelegramUpdates.Text"/> (same idempotency key,
    /// session and reply target).</summary>
    private ChannelMessage MessageOf(long updateId, string text) => new()
    {
        Channel = "telegram",
        AccountId = _telegram.BotId.ToString(CultureInfo.InvariantCulture),
        PlatformMessageId = updateId.ToString(CultureInfo.InvariantCulture),
        NativeMessageId = updateId.ToString(CultureInfo.InvariantCulture),
        Chat = new ChatRef(Chat.ToString(CultureInfo.InvariantCulture), ChatKind.Direct),
        Sender = new SenderRef(Chat.ToString(CultureInfo.InvariantCulture), "Ann"),
        Text = text,
    };

    private static async Task<HttpStatusCode> PostAsync(ITestHub hub, long updateId, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram")
        {
            Content = new StringContent(TelegramUpdates.Text(updateId, Chat, Chat, text), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", TelegramHub.Secret);
        using var response = await hub.Http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>As Telegram: redelivers until the hub answers 200 (it may still be reconnecting to Redis).</summary>
    private static async Task<HttpStatusCode> RetryPostAsync(ITestHub hub, long updateId, string text)
    {
        var status = HttpStatusCode.ServiceUnavailable;
        await Eventually.UntilAsync(async () => (status = await PostAsync(hub, updateId, text)) == HttpStatusCode.OK, TimeSpan.FromSeconds(30), () => $"update {updateId} answered {status}");
        return status;
    }

    private async Task WaitAnswersAsync(string[] texts, TimeSpan within)
    {
        var expected = texts.Select(t => "answer: " + t).ToList();
        try
        {
            await Eventually.UntilAsync(() => expected.All(e => _telegram.SentMessages.Any(m => m.PlainText == e)), within);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"not answered within {within.TotalSeconds:0} s; sent [{string.Join(", ", _telegram.SentMessages.Select(m => m.PlainText))}]; store:\n"
                + await SessionStateDump.DescribeAsync(_redis.Client, Prefix, [SessionKey]));
        }
    }

    private async Task WaitNotPendingAsync(TimeSpan within)
    {
        try
        {
            await Eventually.UntilAsync(async () => await _redis.Client.GetDatabase().SortedSetLengthAsync(Prefix + "pending") == 0, within);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"still pending after {within.TotalSeconds:0} s:\n" + await SessionStateDump.DescribeAsync(_redis.Client, Prefix, [SessionKey]));
        }
    }
}
