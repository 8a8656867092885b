using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Channels.Bench.Load;

/// <summary>A lean fake of the Telegram Bot API methods the hub calls in webhook mode (core.telegram.org/bots/api:
/// <c>getMe</c>, <c>sendMessage</c>, <c>sendChatAction</c>, <c>setWebhook</c>, <c>deleteWebhook</c>), same wire format
/// as tests/Fakes/Telegram/FakeTelegramServer, but it keeps no per-request log: each <c>sendMessage</c> only updates
/// the <see cref="ChatLedger"/>, so memory stays flat over 200,000 messages.</summary>
public sealed class TelegramSink(ChatLedger ledger, string botToken, int port) : IAsyncDisposable
{
    private WebApplication? _app;
    private long _nextMessageId;

    public string BaseUrl { get; private set; } = string.Empty;

    public long ChatActions;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(System.Net.IPAddress.Loopback, port);
            o.AddServerHeader = false;
        });
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Map("/bot{token}/{method}", HandleAsync);
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    private async Task HandleAsync(HttpContext context, string token, string method)
    {
        if (!string.Equals(token, botToken, StringComparison.Ordinal))
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync("""{"ok":false,"error_code":401,"description":"Unauthorized"}""");
            return;
        }

        context.Response.ContentType = "application/json";
        switch (method.ToLowerInvariant())
        {
            case "getme":
                var id = botToken[..botToken.IndexOf(':', StringComparison.Ordinal)];
                await context.Response.WriteAsync($$$"""{"ok":true,"result":{"id":{{{id}}},"is_bot":true,"first_name":"Load","username":"load_bot","can_join_groups":true,"can_read_all_group_messages":false,"supports_inline_queries":false}}""");
                break;
            case "sendmessage":
                await SendMessageAsync(context);
                break;
            case "sendchataction":
                Interlocked.Increment(ref ChatActions);
                await context.Response.WriteAsync("""{"ok":true,"result":true}""");
                break;
            default:
                await context.Response.WriteAsync("""{"ok":true,"result":true}""");
                break;
        }
    }

    private async Task SendMessageAsync(HttpContext context)
    {
        var received = Stopwatch.GetTimestamp();
        long chatId = 0;
        string text = string.Empty;
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync();
            _ = long.TryParse(form["chat_id"], CultureInfo.InvariantCulture, out chatId);
            text = form["text"].ToString();
        }
        else
        {
            using var doc = await JsonDocument.ParseAsync(context.Request.Body);
            var root = doc.RootElement;
            if (root.TryGetProperty("chat_id", out var chat))
            {
                chatId = chat.ValueKind == JsonValueKind.Number ? chat.GetInt64() : long.Parse(chat.GetString()!, CultureInfo.InvariantCulture);
            }

            text = root.TryGetProperty("text", out var t) ? t.GetString() ?? string.Empty : string.Empty;
        }

        var seqAt = text.LastIndexOf("seq ", StringComparison.Ordinal);
        var seq = seqAt >= 0 && int.TryParse(text.AsSpan(seqAt + 4).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : -1;
        ledger.Replied(chatId, seq, received);
        var messageId = Interlocked.Increment(ref _nextMessageId);
        await context.Response.WriteAsync($$$"""{"ok":true,"result":{"message_id":{{{messageId}}},"date":1700000000,"chat":{"id":{{{chatId}}},"type":"private","first_name":"Ann"},"text":{{{JsonSerializer.Serialize(text)}}}}}""");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
