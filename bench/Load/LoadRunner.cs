using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Hub;
using StackExchange.Redis;

namespace OpenClaw.Channels.Bench.Load;

/// <summary>Starts the fakes (lean Telegram Bot API sink, fake OpenAI-compatible model) and a hub in process (or targets an
/// external one), drives the webhook and collects the figures. Loopback only; bounded in messages and time.</summary>
public sealed class LoadRunner(LoadOptions o, TextWriter log)
{
    private const string BotToken = "123456789:AAFakeTokenForLoadOnly_abcdefghijklmn";
    private const string Secret = "load-secret_123";

    private readonly LatencyHistogram _ack = new();
    private readonly LatencyHistogram _ackFromDue = new();
    private long _sent;
    private long _acked;
    private long _failed;

    public async Task<LoadResult> RunAsync(CancellationToken cancellationToken)
    {
        var ledger = new ChatLedger(o.Chats, o.ModelLatencyMs, o.Warmup);
        await using var sink = new TelegramSink(ledger, BotToken, o.FakeTelegramPort);
        await sink.StartAsync();
        await using var model = new FakeOpenAiServer { LatencyMs = o.ModelLatencyMs, Port = o.FakeModelPort };
        await model.StartAsync();

        var prefix = $"load:{Guid.NewGuid():N}:";
        var dataDir = Path.Combine(Path.GetTempPath(), "openclaw-load", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Channels:Telegram:BotToken"] = BotToken,
            ["Channels:Telegram:Mode"] = "Webhook",
            ["Channels:Telegram:WebhookSecret"] = Secret,
            ["Channels:Telegram:ApiBaseUrl"] = sink.BaseUrl,
            ["Channels:Telegram:MessagesPerSecond"] = "0", // the fake is not Telegram: no per-bot pacing
            ["Agent:Endpoint"] = model.ApiBaseUrl,
            ["Agent:Model"] = "fake-model",
            ["Agent:ApiKey"] = "sk-load",
            // The fake model has no quota and sends no rate-limit headers: no explicit caps (the defaults since issue 12 too).
            ["Agent:RequestsPerMinute"] = "0",
            ["Agent:MaxConcurrency"] = "1000",
            ["Hub:DataDirectory"] = dataDir,
            ["Hub:KeyPrefix"] = prefix,
            ["Hub:NodeId"] = "load",
            ["Hub:DedupeTtlSeconds"] = "3600",
        };
        if (o.Redis is not null)
        {
            settings["ConnectionStrings:Redis"] = o.Redis;
        }

        if (o.WorkerCount > 0)
        {
            settings["Hub:WorkerCount"] = o.WorkerCount.ToString(CultureInfo.InvariantCulture);
        }

        WebApplication? app = null;
        string hubUrl;
        if (o.Target is null)
        {
            app = HubHost.Create([], builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                builder.Logging.ClearProviders();
                builder.Logging.AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
            });
            await app.StartAsync(cancellationToken);
            hubUrl = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        }
        else
        {
            hubUrl = o.Target;
            log.WriteLine($"Start the hub with: --Channels:Telegram:BotToken={BotToken} --Channels:Telegram:Mode=Webhook --Channels:Telegram:WebhookSecret={Secret} --Channels:Telegram:ApiBaseUrl={sink.BaseUrl} --Channels:Telegram:MessagesPerSecond=0 --Agent:Endpoint={model.ApiBaseUrl} --Agent:Model=fake-model --Agent:ApiKey=sk-load --Agent:RequestsPerMinute=0 --Agent:MaxConcurrency=1000");
        }

        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Clamp(o.Chats, 16, 1024),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(hubUrl), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await WaitReadyAsync(http, o.Target is null ? TimeSpan.FromSeconds(30) : TimeSpan.FromMinutes(2), cancellationToken);
            return await DriveAsync(http, ledger, model, sink, cancellationToken);
        }
        finally
        {
            if (app is not null)
            {
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await app.StopAsync(stop.Token);
                await app.DisposeAsync();
            }

            await CleanUpAsync(prefix, dataDir);
        }
    }

    private async Task<LoadResult> DriveAsync(HttpClient http, ChatLedger ledger, FakeOpenAiServer model, TelegramSink sink, CancellationToken cancellationToken)
    {
        var updateBase = Random.Shared.Next(1, 1_000_000_000);
        var total = o.Messages > 0 ? o.Messages : o.Rate > 0 ? (long)(o.Rate * (o.WarmupSeconds + o.DurationSeconds)) : long.MaxValue;
        var started = Stopwatch.GetTimestamp();
        var measureFrom = started + (long)(o.WarmupSeconds * Stopwatch.Frequency);
        ledger.MeasureFrom = measureFrom;
        var stopSending = o.DurationSeconds > 0 ? measureFrom + (long)(o.DurationSeconds * Stopwatch.Frequency) : long.MaxValue;
        double rssAtSample = double.NaN;
        using var monitorStop = new CancellationTokenSource();
        var monitor = MonitorAsync();

        async Task MonitorAsync()
        {
            var lastPrint = Stopwatch.GetTimestamp();
            while (!monitorStop.IsCancellationRequested)
            {
                await Task.Delay(250, CancellationToken.None);
                model.Clear(); // the fake model logs requests; keep its memory out of the RSS figures
                if (double.IsNaN(rssAtSample) && ledger.Answered >= o.RssSampleAt)
                {
                    rssAtSample = ProcessMemory.RssMiB();
                }

                if (Stopwatch.GetElapsedTime(lastPrint) >= TimeSpan.FromSeconds(5))
                {
                    lastPrint = Stopwatch.GetTimestamp();
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {Stopwatch.GetElapsedTime(started).TotalSeconds,6:0.0}s sent {Interlocked.Read(ref _sent)} acked {Interlocked.Read(ref _acked)} failed {Interlocked.Read(ref _failed)} answered {ledger.Answered} rss {ProcessMemory.RssMiB():0} MiB"));
                }
            }
        }

        // due: when the open loop scheduled the message (its send time in the closed loop); the ack measured from it
        // also counts the generator's own lateness and a chat's wait for its previous ack (no coordinated omission).
        async Task PostAsync(int chat, int seq, long index, long due)
        {
            var chatId = ChatLedger.ChatIdBase + chat;
            var body = string.Create(CultureInfo.InvariantCulture, $$$"""{"update_id":{{{updateBase + index}}},"message":{"message_id":{{{seq + 1}}},"from":{"id":{{{chatId}}},"is_bot":false,"first_name":"Ann","username":"ann"},"chat":{"id":{{{chatId}}},"type":"private","first_name":"Ann"},"date":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"text":"seq {{{seq}}}"}}""");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", Secret);
            var t0 = Stopwatch.GetTimestamp();
            ledger.Sent(chat, seq, index, t0);
            Interlocked.Increment(ref _sent);
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref _acked);
                    if (index >= o.Warmup && t0 >= measureFrom)
                    {
                        _ack.Record(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                        _ackFromDue.Record(Stopwatch.GetElapsedTime(Math.Min(due, t0)).TotalMilliseconds);
                    }
                }
                else
                {
                    Interlocked.Increment(ref _failed);
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref _failed);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failed);
            }
        }

        if (o.Rate > 0)
        {
            // Open loop: message i is due at i / rate; a chat's next message waits for its previous acknowledgement,
            // as Telegram delivers one chat's updates in order. The due messages go out every 5 ms: a 1 ms timer loop
            // costs a busy core in thread-pool wake-ups (measured), which the hub would then be charged for.
            var tails = Enumerable.Repeat(Task.CompletedTask, o.Chats).ToArray();
            long issued = 0;
            while (issued < total && Stopwatch.GetTimestamp() < stopSending)
            {
                var due = Math.Min(total, (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * o.Rate) + 1);
                for (; issued < due; issued++)
                {
                    var chat = (int)(issued % o.Chats);
                    var seq = (int)(issued / o.Chats);
                    var previous = tails[chat];
                    var index = issued;
                    var dueAt = started + (long)(index / o.Rate * Stopwatch.Frequency);
                    tails[chat] = previous.IsCompleted ? PostAsync(chat, seq, index, dueAt) : ChainAsync(previous, () => PostAsync(chat, seq, index, dueAt));
                }

                await Task.Delay(5, cancellationToken);
            }

            await Task.WhenAll(tails);
        }
        else
        {
            // Closed loop: every chat sends its next message as soon as the previous webhook was acknowledged.
            await Task.WhenAll(Enumerable.Range(0, o.Chats).Select(chat => Task.Run(
                async () =>
                {
                    for (var seq = 0; ; seq++)
                    {
                        var index = ((long)seq * o.Chats) + chat;
                        if (index >= total || Stopwatch.GetTimestamp() >= stopSending)
                        {
                            break;
                        }

                        await PostAsync(chat, seq, index, Stopwatch.GetTimestamp());
                    }
                },
                CancellationToken.None)));
        }

        var sendSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  sending done after {sendSeconds:0.0}s; waiting for replies"));

        // Drain: until every acknowledged message is answered, or no progress for 20 s, or the drain timeout.
        var drainEnd = Stopwatch.GetTimestamp() + (long)(o.DrainTimeoutSeconds * Stopwatch.Frequency);
        var lastCount = -1L;
        var lastProgress = Stopwatch.GetTimestamp();
        while (ledger.Answered < Interlocked.Read(ref _acked) && Stopwatch.GetTimestamp() < drainEnd && Stopwatch.GetElapsedTime(lastProgress) < TimeSpan.FromSeconds(20))
        {
            if (ledger.Answered != lastCount)
            {
                lastCount = ledger.Answered;
                lastProgress = Stopwatch.GetTimestamp();
            }

            await Task.Delay(50, cancellationToken);
        }

        await Task.Delay(1000, cancellationToken); // late duplicates
        var missingSeries = await MissingMetricSeriesAsync(http, cancellationToken);
        await monitorStop.CancelAsync();
        await monitor;
        var rssEnd = ProcessMemory.RssMiB();
        // Throughput over the measured window: replies received after the warm-up ÷ (last reply − end of warm-up). With no
        // warm-up the window starts at the first send and every reply is in it.
        var seconds = Math.Max(1e-3, (ledger.LastAnswerTimestamp - measureFrom) / (double)Stopwatch.Frequency);
        var acked = Interlocked.Read(ref _acked);
        return new LoadResult
        {
            Label = o.Label,
            Mode = o.Target is not null ? "target" : o.Redis is null ? "embedded" : "redis",
            Chats = o.Chats,
            OfferedRate = o.Rate > 0 ? o.Rate.ToString(CultureInfo.InvariantCulture) : "max",
            ModelLatencyMs = o.ModelLatencyMs,
            Sent = Interlocked.Read(ref _sent),
            Acked = acked,
            Failed = Interlocked.Read(ref _failed),
            Answered = ledger.Answered,
            DurationSeconds = Math.Round(seconds, 2),
            WarmupSeconds = o.WarmupSeconds,
            AnsweredPerSecond = Math.Round(ledger.AnsweredInWindow / seconds, 1),
            AckP50Ms = _ack.Percentile(50),
            AckP95Ms = _ack.Percentile(95),
            AckP99Ms = _ack.Percentile(99),
            AckFromDueP99Ms = _ackFromDue.Percentile(99),
            OverheadP50Ms = ledger.Overhead.Percentile(50),
            OverheadP95Ms = ledger.Overhead.Percentile(95),
            OverheadP99Ms = ledger.Overhead.Percentile(99),
            PeakRssMiB = Math.Round(ProcessMemory.PeakRssMiB(), 1),
            RssAtSampleMiB = Math.Round(rssAtSample, 1),
            RssSampleAtMessages = o.RssSampleAt,
            RssAtEndMiB = Math.Round(rssEnd, 1),
            MetricSeriesMissing = missingSeries,
            Lost = Math.Max(0, acked - ledger.Answered),
            Duplicated = ledger.Duplicates,
            OutOfOrder = ledger.OutOfOrder,
            Fairness = ledger.Fairness(),
        };
    }

    /// <summary>The series issue 7 asks for on <c>/metrics</c> (Prometheus names); checked after every run.</summary>
    internal static readonly string[] RequiredSeries =
    [
        "openclaw_inbound_messages_total",
        "openclaw_queue_depth",
        "openclaw_queue_wait_milliseconds",
        "openclaw_hub_turn_duration_milliseconds",
        "openclaw_agent_run_duration_milliseconds",
        "openclaw_agent_model_duration_milliseconds",
        "openclaw_outbound_sends_total",
        "openclaw_lock_wait_milliseconds",
    ];

    /// <summary>Scrapes the hub's <c>/metrics</c> and returns the required series it lacks (model retries only appear once
    /// a retry happened, so that series is not required here).</summary>
    private static async Task<IReadOnlyList<string>> MissingMetricSeriesAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var text = await http.GetStringAsync("/metrics", cancellationToken);
        return RequiredSeries.Where(name => !text.Contains(name, StringComparison.Ordinal)).ToList();
    }

    private static async Task ChainAsync(Task previous, Func<Task> next)
    {
        await previous;
        await next();
    }

    private static async Task WaitReadyAsync(HttpClient http, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("/readyz", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (Stopwatch.GetTimestamp() < deadline)
            {
                // not up yet
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"The hub at {http.BaseAddress} was not ready within {timeout}.");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private async Task CleanUpAsync(string prefix, string dataDir)
    {
        if (Directory.Exists(dataDir))
        {
            Directory.Delete(dataDir, recursive: true);
        }

        if (o.Redis is null || o.Target is not null)
        {
            return;
        }

        using var redis = await ConnectionMultiplexer.ConnectAsync(o.Redis);
        var server = redis.GetServers()[0];
        var db = redis.GetDatabase();
        var batch = new List<RedisKey>(1000);
        await foreach (var key in server.KeysAsync(pattern: prefix + "*", pageSize: 1000))
        {
            batch.Add(key);
            if (batch.Count == 1000)
            {
                await db.KeyDeleteAsync(batch.ToArray());
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await db.KeyDeleteAsync(batch.ToArray());
        }
    }
}
