using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace OpenClaw.Channels.Telegram;

/// <summary>Creates <see cref="TelegramBotClient"/>s on the typed HttpClient named <see cref="HttpClientName"/>
/// (IHttpClientFactory), pointed at <see cref="TelegramOptions.ApiBaseUrl"/>. Telegram.Bot's own 429 retry is off
/// (<c>RetryThreshold = 0</c>): the sender retries with Polly and the poller backs off itself.</summary>
public sealed class TelegramBotClientFactory(IHttpClientFactory httpClientFactory, IOptions<TelegramOptions> options)
{
    /// <summary>Name of the HttpClient registration.</summary>
    public const string HttpClientName = "OpenClaw.Channels.Telegram";

    // Built once (the options are a singleton and never change): the constructor parses the token and the base URL,
    // which every send paid for otherwise.
    private readonly Lazy<TelegramBotClientOptions> _clientOptions = new(() =>
    {
        var o = options.Value;
        return new TelegramBotClientOptions(o.BotToken, o.ApiBaseUrl.TrimEnd('/'))
        {
            RetryThreshold = 0,
            RetryCount = 0,
        };
    });

    /// <summary>Creates a client for one unit of work (a send, a poll loop, a start-up call). Cheap: the HttpClient
    /// comes from the factory's pooled handlers.</summary>
    /// <returns>A client for <see cref="TelegramOptions.BotToken"/> at <see cref="TelegramOptions.ApiBaseUrl"/>.</returns>
    public ITelegramBotClient Create()
        => new TelegramBotClient(_clientOptions.Value, httpClientFactory.CreateClient(HttpClientName));
}
