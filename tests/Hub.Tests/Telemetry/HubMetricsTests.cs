using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Tests.EndToEnd;

namespace OpenClaw.Channels.Tests.Telemetry;

/// <summary>Issue 7: the hub's metrics on <c>/metrics</c> (Prometheus text) and one trace from webhook to send.</summary>
[Collection(IsolatedMetricsCollection.Name)]
public class HubMetricsTests(TestRedis redis) : IClassFixture<TestRedis>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnsweredMessage_ShowsEverySeriesOnMetrics(bool useRedis)
    {
        await using var t = await TelegramHub.StartAsync(useRedis ? redis : null);
        await t.PostOkAsync(TelegramUpdates.Text(7001, 71, 71, "count me"));
        await t.PostOkAsync(TelegramUpdates.Text(7001, 71, 71, "count me"));
        await t.Telegram.WaitForMessagesAsync(1, Wait);

        Series[] expected =
        [
            new("openclaw_inbound_messages_total", ["channel=\"telegram\"", "result=\"accepted\""], "1"),
            new("openclaw_inbound_messages_total", ["channel=\"telegram\"", "result=\"duplicate\""], "1"),
            new("openclaw_queue_wait_milliseconds_count", ["queue=\"chat\""], "1"),
            new("openclaw_queue_depth", ["queue=\"node-" + t.Hub.Services.GetNodeId() + "\""], "0"),
            new("openclaw_queue_depth", ["queue=\"cron\""], "0"),
            new("openclaw_hub_turn_duration_milliseconds_count", ["outcome=\"Completed\""], "1"),
            new("openclaw_lock_wait_milliseconds_count", [], "1"),
            new("openclaw_outbound_sends_total", ["channel=\"telegram\"", "result=\"ok\""], "1"),
            new("openclaw_agent_model_duration_milliseconds_count", ["outcome=\"ok\""], "1"),
            new("openclaw_agent_run_duration_milliseconds_count", ["status=\"Completed\""], "1"),
        ];
        var text = await ScrapeUntilAsync(t.Hub, expected);
        foreach (var series in expected)
        {
            Assert.True(series.IsIn(text), $"{series} not on /metrics:\n{text}");
        }
    }

    [Fact]
    public async Task PipelineFailure_IsCountedAsRejected_AndAnswered5xx()
    {
        await using var t = await TelegramHub.StartAsync(redis, configure: s => s["ConnectionStrings:Redis"] = "127.0.0.1:1,abortConnect=false,connectTimeout=200,syncTimeout=300,asyncTimeout=300");
        using var response = await t.PostUpdateAsync(TelegramUpdates.Text(7101, 72, 72, "redis is down"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Series rejected = new("openclaw_inbound_messages_total", ["channel=\"telegram\"", "result=\"rejected\""], "1");
        var text = await ScrapeUntilAsync(t.Hub, [rejected]);
        Assert.True(rejected.IsIn(text), $"{rejected} not on /metrics:\n{text}");
    }

    [Fact]
    public async Task WebhookJobModelCallAndSend_ShareTheWebhooksTraceId()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            // What an exporter's tracer provider listens to (the hub registers tracing only with an OTLP endpoint).
            ShouldListenTo = s => s.Name.StartsWith("OpenClaw.Channels", StringComparison.Ordinal) || s.Name is "System.Net.Http" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var t = await TelegramHub.StartAsync(redis);

        using (var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram"))
        {
            request.Content = new StringContent(TelegramUpdates.Text(7201, 73, 73, "trace me"), Encoding.UTF8, "application/json");
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", TelegramHub.Secret);
            using var response = await t.Hub.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await t.Telegram.WaitForMessagesAsync(1, Wait);

        // The webhook's trace: the test client's span for the POST, propagated to the hub in its traceparent header.
        var webhook = await WaitForAsync(() => stopped.FirstOrDefault(a => UrlOf(a).EndsWith("/webhooks/telegram", StringComparison.Ordinal)), a => a is not null);
        Assert.NotNull(webhook);
        var traceId = webhook.TraceId;
        var mine = await WaitForAsync(
            () => stopped.Where(a => a.TraceId == traceId).ToList(),
            spans => spans.Any(IsSend) && spans.Any(a => a.OperationName == "agent turn"));

        Assert.Contains(mine, a => a.Source.Name == "OpenClaw.Channels.Hub" && a.OperationName == "inbound telegram");
        Assert.Contains(mine, a => a.Source.Name == "OpenClaw.Channels.Hub" && a.OperationName == "agent turn");
        Assert.Contains(mine, a => a.Source.Name == "OpenClaw.Channels" && a.OperationName == "chat fake-model");
        Assert.Contains(mine, a => a.Source.Name == "System.Net.Http" && UrlOf(a).Contains("/chat/completions", StringComparison.Ordinal));
        Assert.Contains(mine, IsSend);
    }

    private static bool IsSend(Activity a) => a.Source.Name == "System.Net.Http" && UrlOf(a).Contains("/sendMessage", StringComparison.OrdinalIgnoreCase);

    private static string UrlOf(Activity a) => a.GetTagItem("url.full") as string ?? string.Empty;

    private static async Task<string> ScrapeUntilAsync(HubNode node, IReadOnlyList<Series> series)
    {
        // The Prometheus exporter caches a scrape for a moment and the send counter moves just after the fake got the message.
        return await WaitForAsync(
            async () =>
            {
                using var response = await node.Http.GetAsync("/metrics");
                return await response.Content.ReadAsStringAsync();
            },
            text => series.All(s => s.IsIn(text)));
    }

    private static Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> done) => WaitForAsync(() => Task.FromResult(read()), done);

    /// <summary>The first value that is <paramref name="done"/>, or the last one read when <see cref="Wait"/> passed (the
    /// caller's assertion then says what is missing).</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var value = await read();
        try
        {
            await Eventually.UntilAsync(async () => done(value = await read()), Wait);
        }
        catch (TimeoutException)
        {
            // the assertion on the last value names what is missing
        }

        return value;
    }

    /// <summary>One Prometheus sample: metric name, labels that must be among its labels (any order), value.</summary>
    private sealed record Series(string Name, string[] Labels, string Value)
    {
        public bool IsIn(string text) => text.Split('\n').Any(line =>
            line.StartsWith(Name + "{", StringComparison.Ordinal)
            && line.EndsWith("} " + Value, StringComparison.Ordinal)
            && Labels.All(l => line.Contains(l, StringComparison.Ordinal)));

        public override string ToString() => $"{Name}{{{string.Join(',', Labels)}}} {Value}";
    }
}
