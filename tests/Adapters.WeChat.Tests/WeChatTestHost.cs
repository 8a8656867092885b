using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.WeChat;

namespace OpenClaw.Channels.Tests;

/// <summary>The adapter's real endpoints in Kestrel on 127.0.0.1:0, with the hub seams (pipeline, state store)
/// replaced by the recording fakes, plus a tiny stand-in for the hub's agent job.</summary>
public sealed class WeChatTestHost : IAsyncDisposable
{
    public const string Token = "test-token";
    public const string AppId = "wx0123456789abcdef";
    public const string AppSecret = "test-secret";
    public const string AesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _agentTasks = [];
    private int _runs;
    private int _sendsDone;

    private WeChatTestHost(WebApplication app, RecordingInboundPipeline pipeline, IChannelStateStore store, string baseUrl)
    {
        _app = app;
        Pipeline = pipeline;
        Store = store;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(20) };
    }

    public RecordingInboundPipeline Pipeline { get; }

    /// <summary>Everything logged by the host, at every level.</summary>
    public FakeLogCollector Logs { get; private init; } = null!;

    /// <summary><see cref="Logs"/> as lines <c>{level} {category}: {message} {exception}</c>.</summary>
    public IReadOnlyList<string> LogLines => [.. Logs.GetSnapshot().Select(r => $"{r.Level} {r.Category}: {r.Message} {r.Exception}")];

    public IChannelStateStore Store { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Agent runs started by <see cref="StartAgent"/>.</summary>
    public int Runs => Volatile.Read(ref _runs);

    /// <summary>Agent runs whose send returned or threw: after it, that run makes no more platform calls.</summary>
    public int SendsDone => Volatile.Read(ref _sendsDone);

    /// <summary>Exceptions thrown by the sender inside the simulated agent job.</summary>
    public ConcurrentQueue<Exception> SendErrors { get; } = new();

    public static Dictionary<string, string?> WeChatConfig(string apiBaseUrl) => new()
    {
        ["Channels:WeChat:Token"] = Token,
        ["Channels:WeChat:AppId"] = AppId,
        ["Channels:WeChat:AppSecret"] = AppSecret,
        ["Channels:WeChat:AllowPrivateMediaHosts"] = "true", // the fake image host listens on 127.0.0.1
        ["Channels:WeChat:EncodingAESKey"] = AesKey,
        ["Channels:WeChat:ApiBaseUrl"] = apiBaseUrl,
    };

    public static async Task<WeChatTestHost> StartAsync(
        Dictionary<string, string?> config,
        IChannelStateStore? store = null,
        bool wechat = true,
        bool wecom = false,
        TimeProvider? time = null)
    {
        var builder = LoopbackKestrel.CreateBuilder();
        var logs = new FakeLogCollector();
        builder.Logging.AddProvider(new FakeLoggerProvider(logs));
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Configuration.AddInMemoryCollection(config);
        var pipeline = new RecordingInboundPipeline();
        store ??= new InMemoryStateStore();
        builder.Services.AddSingleton<IInboundPipeline>(pipeline);
        builder.Services.AddSingleton(store);
        builder.Services.AddRouting();
        if (time is not null)
        {
            builder.Services.AddSingleton(time); // before the adapter's TryAdd of the system clock
        }

        if (wechat)
        {
            builder.Services.AddWeChatChannel(builder.Configuration.GetSection("Channels:WeChat"));
        }

        if (wecom)
        {
            builder.Services.AddWeComChannel(builder.Configuration.GetSection("Channels:WeCom"));
        }

        var app = builder.Build();
        if (wechat)
        {
            app.MapWeChatWebhook();
        }

        if (wecom)
        {
            app.MapWeComWebhook();
        }

        var address = await LoopbackKestrel.StartAsync(app);
        return new WeChatTestHost(app, pipeline, store, address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)) { Logs = logs };
    }

    public IChannelSender Sender(string channel = "wechat")
        => Services.GetServices<IChannelAdapter>().Single(a => a.Channel == channel).Sender;

    /// <summary>Stands in for the hub's agent job: every accepted message gets <paramref name="answer"/> sent through
    /// the channel's sender after <paramref name="delay"/>.</summary>
    public void StartAgent(TimeSpan delay, Func<ChannelMessage, string> answer, string channel = "wechat")
    {
        var sender = Sender(channel);
        _agentTasks.Add(Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                ChannelMessage message;
                try
                {
                    message = await Pipeline.NextAsync(TimeSpan.FromMilliseconds(200));
                }
                catch (TimeoutException)
                {
                    continue;
                }

                Interlocked.Increment(ref _runs);
                _agentTasks.Add(Task.Run(async () =>
                {
                    await Task.Delay(delay);
                    try
                    {
                        await sender.SendAsync(
                            new OutboundMessage { Target = message.ReplyTarget, Text = answer(message), InReplyToMessageId = message.Id },
                            CancellationToken.None);
                    }
                    catch (Exception ex)
                    {
                        SendErrors.Enqueue(ex);
                    }
                    finally
                    {
                        Interlocked.Increment(ref _sendsDone);
                    }
                }));
            }
        }));
    }

    /// <summary>Query string of a plaintext callback (<c>signature</c>, <c>timestamp</c>, <c>nonce</c>, <c>openid</c>).</summary>
    public static string PlainQuery(string token = Token, string timestamp = "1700000000", string nonce = "12345")
        => $"?signature={WeChatCrypto.ComputeSignature(token, timestamp, nonce)}&timestamp={timestamp}&nonce={nonce}&openid=oUSER_openid_001";

    /// <summary>Encrypts <paramref name="innerXml"/> as WeChat does in safe mode and returns the URL and body.</summary>
    public static (string Query, string Body) SafeModeRequest(string innerXml, string receiveId = AppId, string token = Token, string aesKey = AesKey, string timestamp = "1700000000", string nonce = "12345")
    {
        var crypto = new WeChatCrypto(token, aesKey, receiveId);
        var cipher = crypto.Encrypt(innerXml);
        var msgSignature = WeChatCrypto.ComputeSignature(token, timestamp, nonce, cipher);
        var body = $"<xml><ToUserName><![CDATA[gh_test_account]]></ToUserName><Encrypt><![CDATA[{cipher}]]></Encrypt></xml>";
        return (PlainQuery(token, timestamp, nonce) + $"&encrypt_type=aes&msg_signature={msgSignature}", body);
    }

    public Task<HttpResponseMessage> PostXmlAsync(string pathAndQuery, string body)
        => Client.PostAsync(pathAndQuery, new StringContent(body, Encoding.UTF8, "text/xml"));

    public static string Payload(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name));

    /// <summary>A text message XML with a given MsgId.</summary>
    public static string TextXml(string content, long msgId, string from = "oUSER_openid_001")
        => $"<xml><ToUserName><![CDATA[gh_test_account]]></ToUserName><FromUserName><![CDATA[{from}]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content><MsgId>{msgId.ToString(CultureInfo.InvariantCulture)}</MsgId></xml>";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_agentTasks.ToArray());
        }
        catch (Exception)
        {
            // Shutting down.
        }

        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stop.Dispose();
    }
}
