using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.WebChat;

/// <summary>The handlers behind <see cref="WebChatEndpointRouteBuilderExtensions.MapWebChat"/>: the page and its assets,
/// the history, posting a message, and the event stream.</summary>
internal sealed class WebChatEndpoints
{
    /// <summary>The page may load only its own script, style and connections, and no frame may embed it.</summary>
    internal const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: http:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Events buffered per open stream before the oldest is dropped (a stalled tab must not grow memory).</summary>
    internal const int BufferPerStream = 256;

    private static readonly JsonSerializerOptions Json = WebChatEvent.Json;

    private readonly WebChatAccess _access;
    private readonly IChannelBroadcast _broadcast;
    private readonly IInboundPipeline _pipeline;
    private readonly IConversationHistory _history;
    private readonly WebChatOptions _options;
    private readonly TimeProvider _time;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<WebChatEndpoints> _logger;
    private int _openStreams;

    public WebChatEndpoints(
        WebChatAccess access,
        IChannelBroadcast broadcast,
        IInboundPipeline pipeline,
        IConversationHistory history,
        IOptions<WebChatOptions> options,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILogger<WebChatEndpoints> logger)
    {
        _access = access;
        _broadcast = broadcast;
        _pipeline = pipeline;
        _history = history;
        _options = options.Value;
        _time = time;
        _lifetime = lifetime;
        _logger = logger;
    }

    /// <summary>Event streams open on this node now.</summary>
    public int OpenStreams => Volatile.Read(ref _openStreams);

    /// <summary><c>GET /</c>: the page. With a valid <c>?token=</c> (remote access) it keeps the proof in a cookie and
    /// redirects to <c>/</c>, so the token leaves the address bar.</summary>
    public async Task PageAsync(HttpContext context)
    {
        if (Refuse(context, acceptQueryToken: true) is { } refused)
        {
            await refused.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        _access.ChatIdOf(context);
        if (context.Request.Query.ContainsKey("token"))
        {
            context.Response.Redirect("/");
            return;
        }

        await AssetAsync(context, "index.html", "text/html; charset=utf-8").ConfigureAwait(false);
    }

    /// <summary><c>GET /webchat/{file}</c>: the page's script or style sheet.</summary>
    public async Task StaticAsync(HttpContext context, string file)
    {
        if (Refuse(context, acceptQueryToken: false) is { } refused)
        {
            await refused.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var contentType = file switch
        {
            "app.js" => "text/javascript; charset=utf-8",
            "app.css" => "text/css; charset=utf-8",
            _ => null,
        };
        if (contentType is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await AssetAsync(context, file, contentType).ConfigureAwait(false);
    }

    /// <summary><c>GET /webchat/api/history</c>: <c>{"messages":[{"role":"user","text":…},{"role":"assistant","html":…}]}</c>,
    /// oldest first, from the transcript.</summary>
    public async Task<IResult> HistoryAsync(HttpContext context)
    {
        if (Refuse(context, acceptQueryToken: false) is { } refused)
        {
            return refused;
        }

        var chat = ChatOf(_access.ChatIdOf(context));
        var entries = await _history.ReadAsync(WebChatOptions.ChannelName, chat, _options.HistoryEntries, context.RequestAborted).ConfigureAwait(false);
        var messages = entries.Select(e => e.Role == "assistant"
            ? new { role = e.Role, text = (string?)null, html = (string?)WebChatMarkdown.ToHtml(e.Text), timestamp = e.Timestamp }
            : new { role = e.Role, text = (string?)e.Text, html = (string?)null, timestamp = e.Timestamp });
        NoStore(context);
        return Results.Json(new { messages }, Json);
    }

    /// <summary><c>POST /webchat/api/messages</c> with <see cref="WebChatPostedMessage"/>: 202 accepted, 200 for a
    /// duplicate (the same client id again) or an ignored message, 400 malformed, 415 not JSON, 503 when the hub could
    /// not store it (the page retries with the same id).</summary>
    public async Task<IResult> PostAsync(HttpContext context)
    {
        if (Refuse(context, acceptQueryToken: false) is { } refused)
        {
            return refused;
        }

        if (!context.Request.HasJsonContentType())
        {
            return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }

        WebChatPostedMessage? posted;
        try
        {
            posted = await context.Request.ReadFromJsonAsync<WebChatPostedMessage>(Json, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return Malformed("body is not JSON of the expected shape");
        }

        if (posted?.Id is not { } id || !IsClientId(id))
        {
            return Malformed("id must be 1-64 characters of A-Z a-z 0-9 - _");
        }

        var text = posted.Text?.Trim() ?? string.Empty;
        if (text.Length == 0 || text.Length > _options.MaxMessageLength)
        {
            return Malformed($"text must be 1-{_options.MaxMessageLength} characters");
        }

        var chatId = _access.ChatIdOf(context);
        var command = BotCommand.TryParse(text, null);
        var message = new ChannelMessage
        {
            Channel = WebChatOptions.ChannelName,
            AccountId = _options.AccountId,
            PlatformMessageId = chatId + ":" + id,
            NativeMessageId = id,
            Chat = ChatOf(chatId),
            Sender = new SenderRef(chatId, "Web chat user"),
            Type = command is null ? MessageType.Text : MessageType.Command,
            Text = text,
            Command = command,
            Timestamp = _time.GetUtcNow(),
        };

        InboundResult result;
        try
        {
            result = await _pipeline.AcceptAsync(message, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            WebChatLog.PipelineFailed(_logger, ex);
            return Results.Json(new { outcome = "failed" }, Json, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        WebChatLog.Accepted(_logger, result.Outcome);
        return result.Outcome switch
        {
            InboundOutcome.Accepted => Results.Json(new { outcome = "accepted" }, Json, statusCode: StatusCodes.Status202Accepted),
            InboundOutcome.Duplicate => Results.Json(new { outcome = "duplicate" }, Json),
            _ => Results.Json(new { outcome = "ignored", reason = result.Reason }, Json),
        };
    }

    /// <summary><c>GET /webchat/api/events</c>: a Server-Sent Events stream of this browser's answers
    /// (<c>event: message</c>, <c>data: {"id":…,"html":…,"final":…}</c>), a <c>ready</c> event first, and a comment line
    /// every <see cref="WebChatOptions.KeepAliveIntervalMs"/>. Ends when the browser leaves or the host stops.</summary>
    public async Task EventsAsync(HttpContext context)
    {
        if (Refuse(context, acceptQueryToken: false) is { } refused)
        {
            await refused.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var chatId = _access.ChatIdOf(context);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _lifetime.ApplicationStopping);
        var ct = stop.Token;
        var events = Channel.CreateBounded<WebChatEvent>(new BoundedChannelOptions(BufferPerStream) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        var subscription = await _broadcast.SubscribeAsync(WebChatEvent.TopicOf(chatId), payload => Receive(events.Writer, payload), ct).ConfigureAwait(false);
        await using var unsubscribe = subscription.ConfigureAwait(false);
        Interlocked.Increment(ref _openStreams);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        NoStore(context);
        response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            await response.WriteAsync("retry: 2000\n\nevent: ready\ndata: {}\n\n", ct).ConfigureAwait(false);
            await response.Body.FlushAsync(ct).ConfigureAwait(false);
            var reader = events.Reader;
            Task<bool>? wait = null;
            while (true)
            {
                wait ??= reader.WaitToReadAsync(ct).AsTask();
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    var keepAlive = Task.Delay(_options.KeepAliveInterval, _time, idle.Token);
                    if (await Task.WhenAny(wait, keepAlive).ConfigureAwait(false) == keepAlive)
                    {
                        await response.WriteAsync(": keep-alive\n\n", ct).ConfigureAwait(false);
                        await response.Body.FlushAsync(ct).ConfigureAwait(false);
                        continue;
                    }

                    await idle.CancelAsync().ConfigureAwait(false);
                }

                var more = await wait.ConfigureAwait(false);
                wait = null;
                if (!more)
                {
                    return;
                }

                while (reader.TryRead(out var item))
                {
                    var data = JsonSerializer.Serialize(new { id = item.Id, html = item.Html, final = item.Final }, WebChatEvent.Json);
                    await response.WriteAsync($"event: {item.Type}\ndata: {data}\n\n", ct).ConfigureAwait(false);
                }

                await response.Body.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the browser left or the host is stopping
        }
        finally
        {
            Interlocked.Decrement(ref _openStreams);
        }
    }

    private void Receive(ChannelWriter<WebChatEvent> writer, string payload)
    {
        try
        {
            if (JsonSerializer.Deserialize<WebChatEvent>(payload, WebChatEvent.Json) is { } item)
            {
                writer.TryWrite(item);
            }
        }
        catch (JsonException)
        {
            WebChatLog.Malformed(_logger, "an event on the broadcast is not a web chat event");
        }
    }

    private IResult? Refuse(HttpContext context, bool acceptQueryToken)
    {
        var result = _access.Authorize(context, acceptQueryToken);
        if (result is IStatusCodeHttpResult { StatusCode: { } status })
        {
            WebChatLog.Refused(_logger, context.Request.Method, status);
        }

        return result;
    }

    private IResult Malformed(string reason)
    {
        WebChatLog.Malformed(_logger, reason);
        return Results.Json(new { outcome = "malformed", reason }, Json, statusCode: StatusCodes.Status400BadRequest);
    }

    private static ChatRef ChatOf(string chatId) => new(chatId, ChatKind.Direct, null, "Web chat");

    private static bool IsClientId(string id) => id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static void NoStore(HttpContext context) => context.Response.Headers.CacheControl = "no-store";

    private static async Task AssetAsync(HttpContext context, string file, string contentType)
    {
        var stream = typeof(WebChatEndpoints).Assembly.GetManifestResourceStream("webchat/" + file)
            ?? throw new InvalidOperationException($"The web chat asset {file} is missing from {typeof(WebChatEndpoints).Assembly.GetName().Name}.");
        await using (stream.ConfigureAwait(false))
        {
            var response = context.Response;
            response.ContentType = contentType;
            response.ContentLength = stream.Length;
            response.Headers.CacheControl = "no-cache";
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers["Referrer-Policy"] = "no-referrer";
            await stream.CopyToAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
