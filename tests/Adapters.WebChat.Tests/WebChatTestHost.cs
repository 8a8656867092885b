using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.WebChat;

namespace OpenClaw.Channels.Tests;

/// <summary>The adapter alone on Kestrel 127.0.0.1:0 (AddWebChatChannel + MapWebChat) with a given pipeline, a
/// <see cref="FakeTimeProvider"/>, an in-process broadcast and an empty history: for what needs no hub.</summary>
public sealed class WebChatTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebChatTestHost(WebApplication app, string baseUrl, FakeTimeProvider time)
    {
        _app = app;
        BaseUrl = baseUrl;
        Time = time;
    }

    public string BaseUrl { get; }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<WebChatTestHost> StartAsync(IInboundPipeline pipeline, IDictionary<string, string?>? settings = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var builder = LoopbackKestrel.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddRouting();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(pipeline);
        builder.Services.AddSingleton<IConversationHistory, EmptyHistory>();
        builder.Services.AddSingleton<IChannelBroadcast, InProcessBroadcast>();
        builder.Services.AddWebChatChannel(builder.Configuration.GetSection("Channels:WebChat"));
        var app = builder.Build();
        app.MapWebChat();
        var address = await LoopbackKestrel.StartAsync(app);
        return new WebChatTestHost(app, address.TrimEnd('/'), time);
    }

    public HttpClient NewBrowser() => new(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() })
    {
        BaseAddress = new Uri(BaseUrl),
        Timeout = TimeSpan.FromSeconds(30),
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class EmptyHistory : IConversationHistory
    {
        public Task<IReadOnlyList<ConversationEntry>> ReadAsync(string channel, ChatRef chat, int maxEntries, CancellationToken cancellationToken)
            => Task.FromResult<IReadOnlyList<ConversationEntry>>([]);
    }

    private sealed class InProcessBroadcast : IChannelBroadcast
    {
        private readonly Lock _gate = new();
        private readonly List<(string Topic, Action<string> Handler)> _subscribers = [];

        public Task PublishAsync(string topic, string message, CancellationToken cancellationToken)
        {
            List<Action<string>> handlers;
            lock (_gate)
            {
                handlers = _subscribers.Where(s => s.Topic == topic).Select(s => s.Handler).ToList();
            }

            handlers.ForEach(h => h(message));
            return Task.CompletedTask;
        }

        public Task<IAsyncDisposable> SubscribeAsync(string topic, Action<string> handler, CancellationToken cancellationToken)
        {
            var entry = (topic, handler);
            lock (_gate)
            {
                _subscribers.Add(entry);
            }

            return Task.FromResult<IAsyncDisposable>(new Unsubscribe(() =>
            {
                lock (_gate)
                {
                    _subscribers.Remove(entry);
                }
            }));
        }

        private sealed class Unsubscribe(Action action) : IAsyncDisposable
        {
            public ValueTask DisposeAsync()
            {
                action();
                return ValueTask.CompletedTask;
            }
        }
    }
}
