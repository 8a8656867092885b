using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Telegram;
using OpenClaw.Channels.Telegram;

namespace OpenClaw.Channels.Tests;

public sealed class TelegramPollerTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly FakeTelegramServer _fake = new();

    public Task InitializeAsync() => _fake.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private string OffsetKey => "telegram:" + _fake.BotId + ":offset";

    [Fact]
    public async Task Polling_AcceptsUpdatesInOrder_AndPersistsNextOffset()
    {
        await using var host = await TelegramTestHost.StartAsync(_fake, TelegramMode.Polling);
        var ids = new[]
        {
            _fake.EnqueueTextMessage(1001, 1001, "one"),
            _fake.EnqueueTextMessage(1001, 1001, "two"),
            _fake.EnqueueTextMessage(1001, 1001, "three"),
        };

        var texts = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            texts.Add((await host.Pipeline.NextAsync(Wait)).Text);
        }

        Assert.Equal(["one", "two", "three"], texts);
        await _fake.WaitForConfirmedOffsetAsync(ids[^1] + 1, Wait);
        Assert.Equal((ids[^1] + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), await host.Store.GetAsync(OffsetKey, CancellationToken.None));
        Assert.Equal(0, host.Pipeline.Duplicates);
        Assert.Equal(0, _fake.PendingUpdateCount);
    }

    [Fact]
    public async Task Polling_Restart_ResumesWhereItStopped_WithoutReprocessing()
    {
        var store = new InMemoryStateStore();
        await using (var first = await TelegramTestHost.StartAsync(_fake, TelegramMode.Polling, store: store))
        {
            _fake.EnqueueTextMessage(1001, 1001, "before restart 1");
            var last = _fake.EnqueueTextMessage(1001, 1001, "before restart 2");
            await first.Pipeline.NextAsync(Wait);
            await first.Pipeline.NextAsync(Wait);
            await Eventually.UntilAsync(async () => await store.GetAsync(OffsetKey, CancellationToken.None) == (last + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Wait, () => $"offset {last + 1} stored");
        }

        var resumeAt = long.Parse((await store.GetAsync(OffsetKey, CancellationToken.None))!, System.Globalization.CultureInfo.InvariantCulture);
        var after = _fake.EnqueueTextMessage(1001, 1001, "after restart");
        var seenBefore = _fake.Requests.Count;
        await using var second = await TelegramTestHost.StartAsync(_fake, TelegramMode.Polling, store: store);
        var m = await second.Pipeline.NextAsync(Wait);
        Assert.Equal("after restart", m.Text);
        var firstPoll = _fake.Requests.Skip(seenBefore).First(r => r.Method == "getUpdates");
        Assert.Equal(resumeAt, firstPoll.Parameters["offset"]!.GetValue<long>()); // resumed from the stored offset
        await _fake.WaitForConfirmedOffsetAsync(after + 1, Wait);
        Assert.Single(second.Pipeline.Accepted); // a fresh pipeline (no dedupe memory) saw nothing twice
        Assert.Equal(0, second.Pipeline.Duplicates);
    }

    [Fact]
    public async Task Polling_AfterAWebhookWasSet_DeletesIt_KeepingPendingUpdates_AndAnswers()
    {
        // Left over from webhook mode: every getUpdates would get 409 and the bot would be deaf.
        _fake.SetWebhook("https://elsewhere.example.org/hook");
        _fake.EnqueueTextMessage(1001, 1001, "sent while the webhook was set");
        await using var host = await TelegramTestHost.StartAsync(_fake, TelegramMode.Polling);

        Assert.Equal("sent while the webhook was set", (await host.Pipeline.NextAsync(Wait)).Text);
        Assert.Equal(string.Empty, _fake.WebhookUrl);
        var calls = _fake.Requests.Select(r => r.Method.ToLowerInvariant()).ToList();
        Assert.True(calls.IndexOf("getwebhookinfo") >= 0 && calls.IndexOf("getwebhookinfo") < calls.IndexOf("deletewebhook") && calls.IndexOf("deletewebhook") < calls.IndexOf("getupdates"), string.Join(",", calls));
        var delete = _fake.Requests.Single(r => string.Equals(r.Method, "deleteWebhook", StringComparison.OrdinalIgnoreCase));
        Assert.NotEqual(true, delete.Parameters["drop_pending_updates"]?.GetValue<bool>());
        var health = host.Services.GetRequiredService<HealthCheckService>();
        await Eventually.UntilAsync(async () => (await health.CheckHealthAsync(r => r.Tags.Contains("ready"))).Status == HealthStatus.Healthy, Wait, () => "telegram healthy");
    }

    [Fact]
    public async Task Polling_WebhookSetWhilePolling_IsDeletedAfterThe409_AndPollingGoesOn()
    {
        // A long ConflictBackoff: only the delete-after-409 path can bring the next message within the wait.
        await using var host = await TelegramTestHost.StartAsync(_fake, TelegramMode.Polling, s => s["Channels:Telegram:ConflictBackoff"] = "00:01:00");
        _fake.EnqueueTextMessage(1001, 1001, "before");
        Assert.Equal("before", (await host.Pipeline.NextAsync(Wait)).Text);

        _fake.SetWebhook("https://elsewhere.example.org/hook");
        await _fake.WaitForRequestsAsync("deleteWebhook", 1, Wait);
        _fake.EnqueueTextMessage(1001, 1001, "after");

        Assert.Equal("after", (await host.Pipeline.NextAsync(Wait)).Text);
        Assert.Equal(string.Empty, _fake.WebhookUrl);
        Assert.Equal(2, _fake.CountRequests("getWebhookInfo"));
    }

    [Fact]
    public async Task Polling_WithoutAWebhook_DeletesNothing()
    {
        await using var host = await TelegramTestHost.StartAsync(_fake, TelegramMode.Polling);
        _fake.EnqueueTextMessage(1001, 1001, "hello");

        Assert.Equal("hello", (await host.Pipeline.NextAsync(Wait)).Text);
        Assert.Equal(1, _fake.CountRequests("getWebhookInfo"));
        Assert.Equal(0, _fake.CountRequests("deleteWebhook"));
    }

    [Fact]
    public async Task Start_PublishesTheHubCommands_WithSetMyCommands()
    {
        await using var host = await TelegramTestHost.StartAsync(_fake, TelegramMode.Polling);

        await _fake.WaitForRequestsAsync("setMyCommands", 1, Wait);
        using var menu = System.Text.Json.JsonDocument.Parse(_fake.MyCommands ?? "null");
        Assert.Equal(
            HubCommands.All.Select(c => (c.Name, c.Description)),
            menu.RootElement.EnumerateArray().Select(c => (c.GetProperty("command").GetString()!, c.GetProperty("description").GetString()!)));
    }

    [Fact]
    public async Task Polling_ResumesFromStoredOffset_SkippingUpdatesAlreadyHandled()
    {
        // Another node handled 1..2 and stored offset 3, but Telegram was never told (crash before the next getUpdates).
        var store = new InMemoryStateStore();
        _fake.EnqueueTextMessage(1001, 1001, "handled elsewhere 1");
        var second = _fake.EnqueueTextMessage(1001, 1001, "handled elsewhere 2");
        await store.SetAsync(OffsetKey, (second + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), null, CancellationToken.None);
        _fake.EnqueueTextMessage(1001, 1001, "new");
        await using var host = await TelegramTestHost.StartAsync(_fake, TelegramMode.Polling, store: store);
        Assert.Equal("new", (await host.Pipeline.NextAsync(Wait)).Text);
        await _fake.WaitForConfirmedOffsetAsync(second + 2, Wait);
        Assert.Single(host.Pipeline.Accepted);
    }

    [Fact]
    public async Task Polling_PipelineFailure_KeepsOffset_AndRedeliversTheUpdate()
    {
        await using var host = await TelegramTestHost.StartAsync(_fake, TelegramMode.Polling);
        host.Pipeline.Policy = new ChannelPolicy { AllowFrom = new ThrowingAllowList() }; // AcceptAsync throws once
        var id = _fake.EnqueueTextMessage(1001, 1001, "while the store is down");

        // The failed update must come again (offset not advanced); the recording pipeline remembers its key from the
        // failed attempt, so the second delivery counts as a duplicate and is then confirmed.
        await Eventually.UntilAsync(() => host.Pipeline.Duplicates >= 1, Wait, () => "the redelivered update counted as a duplicate");
        await Eventually.UntilAsync(async () => await host.Store.GetAsync(OffsetKey, CancellationToken.None) == (id + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Wait, () => $"offset {id + 1} stored");
        await _fake.WaitForConfirmedOffsetAsync(id + 1, Wait);
        Assert.Empty(host.Pipeline.Accepted);
    }

    [Fact]
    public async Task HealthCheck_IsDegraded_WhenGetMeFails()
    {
        _fake.FailNext("getMe", 401, "Unauthorized", times: 100);
        await using var host = await TelegramTestHost.StartAsync(_fake, TelegramMode.Polling);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"));
        Assert.Equal(HealthStatus.Degraded, report.Entries["telegram"].Status);
        Assert.Empty(host.Pipeline.Accepted);
    }

    [Fact]
    public async Task DisabledChannel_RegistersNothing()
    {
        await using var host = await TelegramTestHost.StartAsync(_fake, TelegramMode.Polling, s => s["Channels:Telegram:Enabled"] = "false", mapWebhook: false);
        Assert.Empty(host.Services.GetServices<IChannelAdapter>());
        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public async Task Polling_IgnoresUnhandledUpdates_ButConfirmsThem()
    {
        await using var host = await TelegramTestHost.StartAsync(_fake, TelegramMode.Polling);
        var poll = _fake.EnqueueUpdate(TelegramPayloads.Read("telegram-poll"));
        var text = _fake.EnqueueTextMessage(1001, 1001, "hello");
        Assert.Equal("hello", (await host.Pipeline.NextAsync(Wait)).Text);
        await _fake.WaitForConfirmedOffsetAsync(Math.Max(poll, text) + 1, Wait);
        Assert.Single(host.Pipeline.Accepted);
    }

    [Fact]
    public async Task Polling_StopsPromptly_DuringALongPoll()
    {
        var host = await TelegramTestHost.StartAsync(_fake, TelegramMode.Polling, s => s["Channels:Telegram:PollingTimeoutSeconds"] = "50");
        await _fake.WaitForRequestsAsync("getUpdates", 1, Wait);
        var stop = host.DisposeAsync().AsTask();
        await stop.WaitAsync(TimeSpan.FromSeconds(8)); // a 50 s long poll does not hold the shutdown
    }
}
