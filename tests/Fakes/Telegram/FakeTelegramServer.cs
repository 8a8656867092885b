using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OpenClaw.Channels.Fakes.Telegram;

/// <summary>
/// A fake Telegram Bot API server on 127.0.0.1 speaking the wire format of core.telegram.org/bots/api at
/// <c>/bot{token}/{method}</c> (parameters as query string, form or JSON body, as Telegram.Bot sends them; answers
/// <c>{"ok":true,"result":…}</c> or <c>{"ok":false,"error_code":…,"description":…,"parameters":…}</c> with the HTTP
/// status equal to <c>error_code</c>). Point a client at it with
/// <c>new TelegramBotClientOptions(token, baseUrl: server.BaseUrl)</c>.
/// <para>Methods: <c>getMe</c>; <c>getUpdates</c> with real long-poll semantics (held until <c>timeout</c> seconds
/// pass or an update arrives; <c>offset</c> confirms and drops earlier updates; 409 while a webhook is set or when a
/// newer poller takes over); <c>setWebhook</c>/<c>deleteWebhook</c>/<c>getWebhookInfo</c>; <c>setMyCommands</c> (400
/// BOT_COMMAND_INVALID for names outside <c>[a-z0-9_]{1,32}</c> or descriptions outside 1–256 characters) and
/// <c>getMyCommands</c>; <c>sendMessage</c> (400
/// "message is too long" over 4096 characters after entity parsing, 400 "can't parse entities" for bad HTML);
/// <c>editMessageText</c> (400 "message is not modified" for identical text); <c>sendChatAction</c>.</para>
/// <para>Tests enqueue updates (<see cref="EnqueueUpdate(string)"/>), script failures (<see cref="FailNext"/>,
/// <see cref="RateLimitNext"/>), and read what the bot did (<see cref="SentMessages"/>,
/// <see cref="WaitForMessagesAsync"/>, …). All members are thread-safe.</para>
/// </summary>
public sealed partial class FakeTelegramServer : FakeServer
{
    /// <summary>Telegram's text limit, in characters after entity parsing.</summary>
    public const int MaxTextLength = 4096;

    private static readonly HashSet<string> SupportedTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji", "tg-time",
    };

    private readonly object _gate = new();
    private readonly List<JsonObject> _pending = [];
    private readonly ConcurrentQueue<FakeTelegramRequest> _requests = new();
    private readonly ConcurrentQueue<FakeTelegramSentMessage> _sent = new();
    private readonly ConcurrentQueue<FakeTelegramSentMessage> _edits = new();
    private readonly ConcurrentQueue<FakeTelegramSentPhoto> _photos = new();
    private readonly ConcurrentQueue<FakeTelegramChatAction> _actions = new();
    private readonly Dictionary<string, Queue<(int Code, string Description, int? RetryAfter)>> _failures = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string Chat, long Id), string> _texts = [];
    private readonly Dictionary<string, long> _nextMessageId = [];
    private TaskCompletionSource _updateSignal = NewSignal();
    private TaskCompletionSource _changed = NewSignal();
    private TaskCompletionSource? _activePoll;
    private long _nextUpdateId = 1;
    private long _confirmedOffset;
    private int _pollConflicts;
    private string _webhookUrl = string.Empty;
    private string? _webhookSecret;
    private JsonNode? _webhookAllowedUpdates;
    private JsonArray? _myCommands;

    /// <summary>Creates the fake for one bot.</summary>
    /// <param name="botToken">The token the bot must use; requests with another token get 401. Its digits before
    /// <c>:</c> are the bot id.</param>
    /// <param name="botUsername">The bot's username returned by <c>getMe</c> (without <c>@</c>).</param>
    public FakeTelegramServer(string botToken = "123456789:AAFakeTokenForTestsOnly_abcdefghijk", string botUsername = "openclaw_test_bot")
    {
        BotToken = botToken;
        BotUsername = botUsername;
        BotId = long.Parse(botToken[..botToken.IndexOf(':', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
    }

    /// <summary>The token the fake accepts.</summary>
    public string BotToken { get; }

    /// <summary>The bot's user id (the token's numeric prefix).</summary>
    public long BotId { get; }

    /// <summary>The bot's username, without <c>@</c>.</summary>
    public string BotUsername { get; }

    /// <summary>Files bots can download: <c>getFile</c> with a stored <c>file_id</c> answers a <c>File</c>
    /// (<c>file_id</c>, <c>file_unique_id</c>, <c>file_size</c>, <c>file_path</c>), or 400 "Bad Request: file is too big" above
    /// 20 MB and 400 "Bad Request: invalid file_id" for an unknown id; <c>GET /file/bot{token}/{file_path}</c> serves the bytes
    /// (core.telegram.org/bots/api#getfile).</summary>
    public FakeFileStore Files { get; } = new();

    /// <summary>Photos accepted by <c>sendPhoto</c>, in order.</summary>
    public IReadOnlyCollection<FakeTelegramSentPhoto> SentPhotos => _photos;

    /// <summary>Decides which photo URLs Telegram "cannot fetch" (400 "failed to get HTTP URL content"); default none.</summary>
    public Func<string, bool> RejectPhotoUrl { get; set; } = _ => false;

    /// <summary>Every call received, in order.</summary>
    public IReadOnlyCollection<FakeTelegramRequest> Requests => _requests;

    /// <summary>Messages accepted by <c>sendMessage</c>, in order (rejected calls are not listed).</summary>
    public IReadOnlyCollection<FakeTelegramSentMessage> SentMessages => _sent;

    /// <summary>Edits accepted by <c>editMessageText</c>, in order.</summary>
    public IReadOnlyCollection<FakeTelegramSentMessage> EditedMessages => _edits;

    /// <summary><c>sendChatAction</c> calls, in order.</summary>
    public IReadOnlyCollection<FakeTelegramChatAction> ChatActions => _actions;

    /// <summary>Highest offset a <c>getUpdates</c> call confirmed (updates below it are dropped); 0 when none.</summary>
    public long ConfirmedOffset
    {
        get
        {
            lock (_gate)
            {
                return _confirmedOffset;
            }
        }
    }

    /// <summary><c>getUpdates</c> calls terminated with 409 "terminated by other getUpdates request" because a newer
    /// poll arrived while they were held (two pollers of one bot).</summary>
    public int PollConflicts => Volatile.Read(ref _pollConflicts);

    /// <summary>Updates enqueued and not yet confirmed.</summary>
    public int PendingUpdateCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>The URL set by <c>setWebhook</c>; empty when none.</summary>
    public string WebhookUrl
    {
        get
        {
            lock (_gate)
            {
                return _webhookUrl;
            }
        }
    }

    /// <summary>The <c>secret_token</c> given to <c>setWebhook</c>, or <see langword="null"/>.</summary>
    public string? WebhookSecret
    {
        get
        {
            lock (_gate)
            {
                return _webhookSecret;
            }
        }
    }

    /// <summary>The <c>commands</c> given to the last valid <c>setMyCommands</c> (default scope) as JSON, or
    /// <see langword="null"/>.</summary>
    public string? MyCommands
    {
        get
        {
            lock (_gate)
            {
                return _myCommands?.ToJsonString();
            }
        }
    }

    /// <summary>The <c>allowed_updates</c> given to <c>setWebhook</c> as JSON, or <see langword="null"/>.</summary>
    public string? WebhookAllowedUpdates
    {
        get
        {
            lock (_gate)
            {
                return _webhookAllowedUpdates?.ToJsonString();
            }
        }
    }

    /// <summary>Counts received calls of <paramref name="method"/> (case-insensitive), including failed ones.</summary>
    /// <param name="method">Bot API method name, e.g. <c>sendMessage</c>.</param>
    public int CountRequests(string method) => _requests.Count(r => string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase));

    /// <summary>Adds an update for <c>getUpdates</c> (and wakes a waiting long poll). The JSON must be a Bot API
    /// <c>Update</c> object; when it has no <c>update_id</c>, the next one is assigned.</summary>
    /// <param name="updateJson">The update JSON.</param>
    /// <returns>The update's <c>update_id</c>.</returns>
    public long EnqueueUpdate(string updateJson) => EnqueueUpdate(JsonNode.Parse(updateJson)!.AsObject());

    /// <summary>Adds an update for <c>getUpdates</c>; see <see cref="EnqueueUpdate(string)"/>.</summary>
    /// <param name="update">The update object (not modified; a copy is kept).</param>
    /// <returns>The update's <c>update_id</c>.</returns>
    public long EnqueueUpdate(JsonObject update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var copy = update.DeepClone().AsObject();
        TaskCompletionSource signal;
        long id;
        lock (_gate)
        {
            if (copy["update_id"] is JsonValue v && v.TryGetValue<long>(out var given))
            {
                id = given;
            }
            else
            {
                id = _nextUpdateId;
                copy["update_id"] = id;
            }

            _nextUpdateId = Math.Max(_nextUpdateId, id + 1);
            _pending.Add(copy);
            _pending.Sort((a, b) => a["update_id"]!.GetValue<long>().CompareTo(b["update_id"]!.GetValue<long>()));
            signal = _updateSignal;
            _updateSignal = NewSignal();
        }

        signal.TrySetResult();
        return id;
    }

    /// <summary>Builds and enqueues a text <c>message</c> update.</summary>
    /// <param name="chatId">Chat id (positive for a private chat, negative for groups).</param>
    /// <param name="fromId">Sender user id.</param>
    /// <param name="text">Message text (entities for <c>@bot</c> mentions and leading <c>/commands</c> are added).</param>
    /// <param name="chatType"><c>private</c>, <c>group</c>, <c>supergroup</c> or <c>channel</c>.</param>
    /// <param name="messageThreadId">Forum topic id; sets <c>is_topic_message</c>.</param>
    /// <param name="replyToBotMessageId">When set, the message replies to this message of the bot.</param>
    /// <returns>The <c>update_id</c>.</returns>
    public long EnqueueTextMessage(long chatId, long fromId, string text, string chatType = "private", int? messageThreadId = null, long? replyToBotMessageId = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        long messageId;
        lock (_gate)
        {
            messageId = NextMessageId(chatId.ToString(CultureInfo.InvariantCulture));
        }

        var chat = new JsonObject { ["id"] = chatId, ["type"] = chatType };
        if (chatType != "private")
        {
            chat["title"] = "Test " + chatType;
        }
        else
        {
            chat["first_name"] = "Test";
        }

        var message = new JsonObject
        {
            ["message_id"] = messageId,
            ["from"] = new JsonObject { ["id"] = fromId, ["is_bot"] = false, ["first_name"] = "Test", ["last_name"] = "User", ["username"] = "test_user" },
            ["chat"] = chat,
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["text"] = text,
        };
        var entities = new JsonArray();
        var handle = "@" + BotUsername;
        var at = text.IndexOf(handle, StringComparison.OrdinalIgnoreCase);
        if (text.StartsWith('/'))
        {
            var end = text.IndexOf(' ', StringComparison.Ordinal);
            entities.Add(new JsonObject { ["offset"] = 0, ["length"] = end < 0 ? text.Length : end, ["type"] = "bot_command" });
        }
        else if (at >= 0)
        {
            entities.Add(new JsonObject { ["offset"] = at, ["length"] = handle.Length, ["type"] = "mention" });
        }

        if (entities.Count > 0)
        {
            message["entities"] = entities;
        }

        if (messageThreadId is { } thread)
        {
            message["message_thread_id"] = thread;
            message["is_topic_message"] = true;
        }

        if (replyToBotMessageId is { } replyTo)
        {
            message["reply_to_message"] = new JsonObject
            {
                ["message_id"] = replyTo,
                ["from"] = new JsonObject { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "Bot", ["username"] = BotUsername },
                ["chat"] = chat.DeepClone(),
                ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["text"] = "earlier answer",
            };
        }

        return EnqueueUpdate(new JsonObject { ["message"] = message });
    }

    /// <summary>Fault tests: runs after a <c>sendMessage</c> was accepted (it is in <see cref="SentMessages"/>) and before
    /// its response is written, e.g. to kill the sending process between the platform's acceptance and the hub's pop.</summary>
    public Func<FakeTelegramSentMessage, Task>? BeforeSendMessageResponse { get; set; }

    /// <summary>Drops the failures queued by <see cref="FailNext"/> for <paramref name="method"/>.</summary>
    /// <param name="method">Bot API method, e.g. <c>sendMessage</c>.</param>
    public void ClearFailures(string method)
    {
        lock (_gate)
        {
            _failures.Remove(method);
        }
    }

    /// <summary>Makes the next <paramref name="times"/> calls of <paramref name="method"/> fail with
    /// <c>{"ok":false,"error_code":errorCode,"description":description}</c> (plus <c>parameters.retry_after</c> when given).</summary>
    /// <param name="method">Bot API method, e.g. <c>sendMessage</c>.</param>
    /// <param name="errorCode">HTTP status and <c>error_code</c>, e.g. 400, 403, 500.</param>
    /// <param name="description">Telegram's description, e.g. <c>Forbidden: bot was blocked by the user</c>.</param>
    /// <param name="retryAfterSeconds">Optional <c>parameters.retry_after</c>, in seconds.</param>
    /// <param name="times">How many consecutive calls fail.</param>
    public void FailNext(string method, int errorCode, string description, int? retryAfterSeconds = null, int times = 1)
    {
        lock (_gate)
        {
            if (!_failures.TryGetValue(method, out var queue))
            {
                _failures[method] = queue = new Queue<(int, string, int?)>();
            }

            for (var i = 0; i < times; i++)
            {
                queue.Enqueue((errorCode, description, retryAfterSeconds));
            }
        }
    }

    /// <summary>Makes the next <paramref name="times"/> calls of <paramref name="method"/> answer 429
    /// <c>Too Many Requests: retry after N</c> with <c>parameters.retry_after</c> = <paramref name="retryAfterSeconds"/>.</summary>
    /// <param name="method">Bot API method, e.g. <c>sendMessage</c>.</param>
    /// <param name="retryAfterSeconds">Seconds the client must wait.</param>
    /// <param name="times">How many consecutive calls are limited.</param>
    public void RateLimitNext(string method, int retryAfterSeconds, int times = 1)
        => FailNext(method, 429, "Too Many Requests: retry after " + retryAfterSeconds.ToString(CultureInfo.InvariantCulture), retryAfterSeconds, times);

    /// <summary>Sets a webhook as if <c>setWebhook</c> had been called (then <c>getUpdates</c> answers 409).</summary>
    /// <param name="url">Webhook URL; empty removes it.</param>
    /// <param name="secretToken">Secret token echoed in <c>X-Telegram-Bot-Api-Secret-Token</c>.</param>
    public void SetWebhook(string url, string? secretToken = null)
    {
        lock (_gate)
        {
            _webhookUrl = url ?? string.Empty;
            _webhookSecret = secretToken;
        }

        Pulse();
    }

    /// <summary>Delivers an update to the registered webhook like Telegram does: <c>POST</c> of the JSON with
    /// <c>X-Telegram-Bot-Api-Secret-Token</c> set to the registered secret.</summary>
    /// <param name="updateJson">The update JSON.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The status code the webhook answered.</returns>
    /// <exception cref="InvalidOperationException">No webhook is set.</exception>
    public async Task<HttpStatusCode> PostToWebhookAsync(string updateJson, CancellationToken cancellationToken)
    {
        string url;
        string? secret;
        lock (_gate)
        {
            url = _webhookUrl;
            secret = _webhookSecret;
        }

        if (string.IsNullOrEmpty(url))
        {
            throw new InvalidOperationException("No webhook is set.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(updateJson, Encoding.UTF8, "application/json") };
        if (secret is not null)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        }

        using var client = new HttpClient();
        using var response = await client.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    /// <summary>Waits until at least <paramref name="count"/> messages were sent.</summary>
    /// <param name="count">Messages to wait for.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>All sent messages so far, in order.</returns>
    /// <exception cref="TimeoutException">Fewer arrived in time.</exception>
    public async Task<IReadOnlyList<FakeTelegramSentMessage>> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        await WaitUntilAsync(() => _sent.Count >= count, timeout, $"{count} sent message(s)");
        return [.. _sent];
    }

    /// <summary>Waits until at least <paramref name="count"/> chat actions were received.</summary>
    /// <param name="count">Actions to wait for.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>All chat actions so far, in order.</returns>
    /// <exception cref="TimeoutException">Fewer arrived in time.</exception>
    public async Task<IReadOnlyList<FakeTelegramChatAction>> WaitForChatActionsAsync(int count, TimeSpan timeout)
    {
        await WaitUntilAsync(() => _actions.Count >= count, timeout, $"{count} chat action(s)");
        return [.. _actions];
    }

    /// <summary>Waits until at least <paramref name="count"/> calls of <paramref name="method"/> were received.</summary>
    /// <param name="method">Bot API method.</param>
    /// <param name="count">Calls to wait for.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <exception cref="TimeoutException">Fewer arrived in time.</exception>
    public Task WaitForRequestsAsync(string method, int count, TimeSpan timeout)
        => WaitUntilAsync(() => CountRequests(method) >= count, timeout, $"{count} {method} call(s)");

    /// <summary>Waits until a <c>getUpdates</c> call confirmed at least <paramref name="offset"/>.</summary>
    /// <param name="offset">The offset (last processed <c>update_id</c> + 1).</param>
    /// <param name="timeout">How long to wait.</param>
    /// <exception cref="TimeoutException">Not confirmed in time.</exception>
    public Task WaitForConfirmedOffsetAsync(long offset, TimeSpan timeout)
        => WaitUntilAsync(() => ConfirmedOffset >= offset, timeout, $"offset {offset} confirmed");

    /// <inheritdoc />
    protected override void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        MapUploads(app); // FakeTelegramServer.Uploads.cs
        app.Map("/bot{token}/{method}", HandleAsync);
        app.MapGet("/file/bot{token}/{**path}", async (HttpContext context, string token, string path) =>
        {
            if (!string.Equals(token, BotToken, StringComparison.Ordinal))
            {
                context.Response.StatusCode = 401;
                return;
            }

            // file_path is "{kind}/{file_id}" here (Telegram's look like photos/file_0.jpg); the part after the slash is the key.
            await Files.ServeAsync(context, path[(path.IndexOf('/', StringComparison.Ordinal) + 1)..]);
        });
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (condition())
            {
                return;
            }

            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                if (condition())
                {
                    return;
                }

                throw new TimeoutException($"Fake Telegram: timed out after {timeout} waiting for {what}.");
            }
        }
    }

    private void Pulse()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private async Task HandleAsync(HttpContext context, string token, string method)
    {
        var parameters = await ReadParametersAsync(context.Request);
        _requests.Enqueue(new FakeTelegramRequest(method, parameters, DateTimeOffset.UtcNow));
        Pulse();
        if (!string.Equals(token, BotToken, StringComparison.Ordinal))
        {
            await ErrorAsync(context, 401, "Unauthorized");
            return;
        }

        (int Code, string Description, int? RetryAfter)? failure = null;
        lock (_gate)
        {
            if (_failures.TryGetValue(method, out var queue) && queue.Count > 0)
            {
                failure = queue.Dequeue();
            }
        }

        if (failure is { } f)
        {
            await ErrorAsync(context, f.Code, f.Description, f.RetryAfter);
            return;
        }

        switch (method.ToLowerInvariant())
        {
            case "getme":
                await OkAsync(context, BotUser());
                break;
            case "getupdates":
                await GetUpdatesAsync(context, parameters);
                break;
            case "setwebhook":
                lock (_gate)
                {
                    _webhookUrl = Str(parameters, "url") ?? string.Empty;
                    _webhookSecret = Str(parameters, "secret_token");
                    _webhookAllowedUpdates = parameters["allowed_updates"]?.DeepClone();
                    if (Bool(parameters, "drop_pending_updates") == true)
                    {
                        _pending.Clear();
                    }
                }

                await OkAsync(context, true, _webhookUrl.Length == 0 ? "Webhook was deleted" : "Webhook was set");
                break;
            case "deletewebhook":
                lock (_gate)
                {
                    _webhookUrl = string.Empty;
                    _webhookSecret = null;
                    if (Bool(parameters, "drop_pending_updates") == true)
                    {
                        _pending.Clear();
                    }
                }

                await OkAsync(context, true, "Webhook was deleted");
                break;
            case "getwebhookinfo":
                JsonObject info;
                lock (_gate)
                {
                    info = new JsonObject { ["url"] = _webhookUrl, ["has_custom_certificate"] = false, ["pending_update_count"] = _pending.Count };
                    if (_webhookAllowedUpdates is not null)
                    {
                        info["allowed_updates"] = _webhookAllowedUpdates.DeepClone();
                    }
                }

                await OkAsync(context, info);
                break;
            case "setmycommands":
                {
                    // core.telegram.org/bots/api#setmycommands: at most 100 BotCommand objects, command 1-32 chars of
                    // lower-case letters, digits and underscores, description 1-256 chars.
                    if (parameters["commands"] is not JsonArray commands || commands.Count > 100
                        || commands.Any(c => c is not JsonObject o
                            || Str(o, "command") is not { } name || !System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9_]{1,32}$")
                            || Str(o, "description") is not { Length: >= 1 and <= 256 }))
                    {
                        await ErrorAsync(context, 400, "Bad Request: BOT_COMMAND_INVALID");
                        break;
                    }

                    lock (_gate)
                    {
                        _myCommands = (JsonArray)commands.DeepClone();
                    }

                    await OkAsync(context, true);
                    break;
                }

            case "getmycommands":
                JsonArray mine;
                lock (_gate)
                {
                    mine = (JsonArray?)_myCommands?.DeepClone() ?? [];
                }

                await OkAsync(context, mine);
                break;
            case "sendmessage":
                await SendMessageAsync(context, parameters);
                break;
            case "editmessagetext":
                await EditMessageTextAsync(context, parameters);
                break;
            case "getfile":
                {
                    var fileId = Str(parameters, "file_id") ?? string.Empty;
                    if (Files.Get(fileId) is not { } file)
                    {
                        await ErrorAsync(context, 400, "Bad Request: invalid file_id");
                    }
                    else if (file.Data.Length > 20 * 1024 * 1024)
                    {
                        await ErrorAsync(context, 400, "Bad Request: file is too big");
                    }
                    else
                    {
                        await OkAsync(context, new JsonObject
                        {
                            ["file_id"] = file.Key,
                            ["file_unique_id"] = "U" + file.Key,
                            ["file_size"] = file.Data.Length,
                            ["file_path"] = "files/" + file.Key,
                        });
                    }

                    break;
                }

            case "sendphoto":
                await SendPhotoAsync(context, parameters);
                break;
            case "sendchataction":
                _actions.Enqueue(new FakeTelegramChatAction(Str(parameters, "chat_id") ?? string.Empty, Str(parameters, "action") ?? string.Empty, Int(parameters, "message_thread_id")));
                Pulse();
                await OkAsync(context, true);
                break;
            default:
                await ErrorAsync(context, 404, "Not Found: method not found");
                break;
        }
    }

    private async Task GetUpdatesAsync(HttpContext context, JsonObject parameters)
    {
        var offset = Long(parameters, "offset") ?? 0;
        var limit = Math.Clamp(Int(parameters, "limit") ?? 100, 1, 100);
        var timeout = TimeSpan.FromSeconds(Math.Max(0, Int(parameters, "timeout") ?? 0));
        var mine = NewSignal();
        TaskCompletionSource? previous = null;
        bool webhookActive;
        lock (_gate)
        {
            webhookActive = _webhookUrl.Length > 0;
            if (!webhookActive)
            {
                if (offset > 0)
                {
                    _pending.RemoveAll(u => u["update_id"]!.GetValue<long>() < offset);
                    _confirmedOffset = Math.Max(_confirmedOffset, offset);
                }

                previous = _activePoll;
                _activePoll = mine;
            }
        }

        if (webhookActive)
        {
            await ErrorAsync(context, 409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
            return;
        }

        Pulse();
        previous?.TrySetResult(); // a newer poller terminates the older one, as the real server does
        try
        {
            var deadline = DateTimeOffset.UtcNow + timeout;
            while (true)
            {
                Task signal;
                JsonArray? batch = null;
                lock (_gate)
                {
                    signal = _updateSignal.Task;
                    if (_pending.Count > 0)
                    {
                        batch = [.. _pending.Take(limit).Select(u => (JsonNode)u.DeepClone())];
                    }
                }

                if (mine.Task.IsCompleted)
                {
                    Interlocked.Increment(ref _pollConflicts);
                    await ErrorAsync(context, 409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
                    return;
                }

                var remaining = deadline - DateTimeOffset.UtcNow;
                if (batch is not null || remaining <= TimeSpan.Zero)
                {
                    await OkAsync(context, batch ?? []);
                    return;
                }

                try
                {
                    await Task.WhenAny(signal, mine.Task, Task.Delay(remaining, context.RequestAborted));
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                if (context.RequestAborted.IsCancellationRequested)
                {
                    return;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_activePoll, mine))
                {
                    _activePoll = null;
                }
            }
        }
    }

    private async Task SendMessageAsync(HttpContext context, JsonObject parameters)
    {
        var chatId = Str(parameters, "chat_id");
        var text = Str(parameters, "text") ?? string.Empty;
        var parseMode = Str(parameters, "parse_mode");
        if (string.IsNullOrEmpty(chatId))
        {
            await ErrorAsync(context, 400, "Bad Request: chat_id is empty");
            return;
        }

        if (!TryPlainText(text, parseMode, out var plain, out var error))
        {
            await ErrorAsync(context, 400, "Bad Request: can't parse entities: " + error);
            return;
        }

        if (plain.Trim().Length == 0)
        {
            await ErrorAsync(context, 400, "Bad Request: message text is empty");
            return;
        }

        if (plain.Length > MaxTextLength)
        {
            await ErrorAsync(context, 400, "Bad Request: message is too long");
            return;
        }

        var thread = Int(parameters, "message_thread_id");
        var replyParameters = parameters["reply_parameters"] as JsonObject;
        var replyTo = (replyParameters is null ? null : Int(replyParameters, "message_id")) ?? Int(parameters, "reply_to_message_id");
        var allowWithoutReply = replyParameters is null ? Bool(parameters, "allow_sending_without_reply") : Bool(replyParameters, "allow_sending_without_reply");
        long messageId;
        lock (_gate)
        {
            messageId = NextMessageId(chatId);
            _texts[(chatId, messageId)] = plain;
        }

        var sent = new FakeTelegramSentMessage(messageId, chatId, text, plain, parseMode, thread, replyTo, allowWithoutReply);
        _sent.Enqueue(sent);
        Pulse();
        if (BeforeSendMessageResponse is { } hook)
        {
            await hook(sent);
        }

        await OkAsync(context, MessageJson(chatId, messageId, plain, thread, edited: false));
    }

    /// <summary><c>sendPhoto</c> (core.telegram.org/bots/api#sendphoto) with <c>photo</c> as an HTTP URL or a file_id: 400
    /// "failed to get HTTP URL content" when <see cref="RejectPhotoUrl"/> says so, 400 "message caption is too long" over
    /// 1024 characters.</summary>
    private async Task SendPhotoAsync(HttpContext context, JsonObject parameters)
    {
        var chatId = Str(parameters, "chat_id");
        var photo = Str(parameters, "photo");
        var caption = Str(parameters, "caption");
        if (string.IsNullOrEmpty(chatId) || string.IsNullOrEmpty(photo))
        {
            await ErrorAsync(context, 400, "Bad Request: there is no photo in the request");
            return;
        }

        if (photo.StartsWith("http", StringComparison.OrdinalIgnoreCase) && RejectPhotoUrl(photo))
        {
            await ErrorAsync(context, 400, "Bad Request: failed to get HTTP URL content");
            return;
        }

        if (caption is { Length: > 1024 })
        {
            await ErrorAsync(context, 400, "Bad Request: message caption is too long");
            return;
        }

        var thread = Int(parameters, "message_thread_id");
        var replyTo = parameters["reply_parameters"] is JsonObject rp ? Int(rp, "message_id") : Int(parameters, "reply_to_message_id");
        long messageId;
        lock (_gate)
        {
            messageId = NextMessageId(chatId);
        }

        _photos.Enqueue(new FakeTelegramSentPhoto(messageId, chatId, photo, caption, thread, replyTo));
        Pulse();
        var message = MessageJson(chatId, messageId, string.Empty, thread, edited: false);
        message.Remove("text");
        message["photo"] = new JsonArray { new JsonObject { ["file_id"] = "AgACAgQAAxkBSent" + messageId, ["file_unique_id"] = "S" + messageId, ["width"] = 800, ["height"] = 600 } };
        if (caption is not null)
        {
            message["caption"] = caption;
        }

        await OkAsync(context, message);
    }

    private async Task EditMessageTextAsync(HttpContext context, JsonObject parameters)
    {
        var chatId = Str(parameters, "chat_id") ?? string.Empty;
        var messageId = Long(parameters, "message_id") ?? 0;
        var text = Str(parameters, "text") ?? string.Empty;
        var parseMode = Str(parameters, "parse_mode");
        if (!TryPlainText(text, parseMode, out var plain, out var error))
        {
            await ErrorAsync(context, 400, "Bad Request: can't parse entities: " + error);
            return;
        }

        if (plain.Length > MaxTextLength)
        {
            await ErrorAsync(context, 400, "Bad Request: MESSAGE_TOO_LONG");
            return;
        }

        bool found;
        bool same = false;
        lock (_gate)
        {
            found = _texts.TryGetValue((chatId, messageId), out var current);
            if (found)
            {
                same = current == plain;
                _texts[(chatId, messageId)] = plain;
            }
        }

        if (!found)
        {
            await ErrorAsync(context, 400, "Bad Request: message to edit not found");
            return;
        }

        if (same)
        {
            await ErrorAsync(context, 400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
            return;
        }

        _edits.Enqueue(new FakeTelegramSentMessage(messageId, chatId, text, plain, parseMode, null, null, null));
        Pulse();
        await OkAsync(context, MessageJson(chatId, messageId, plain, null, edited: true));
    }

    private long NextMessageId(string chatId)
    {
        var next = _nextMessageId.TryGetValue(chatId, out var n) ? n : 1000;
        _nextMessageId[chatId] = next + 1;
        return next;
    }

    private JsonObject BotUser() => new()
    {
        ["id"] = BotId,
        ["is_bot"] = true,
        ["first_name"] = "OpenClaw Test Bot",
        ["username"] = BotUsername,
        ["can_join_groups"] = true,
        ["can_read_all_group_messages"] = false,
        ["supports_inline_queries"] = false,
    };

    private JsonObject MessageJson(string chatId, long messageId, string text, int? thread, bool edited)
    {
        var numeric = long.TryParse(chatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id);
        var chat = new JsonObject
        {
            ["id"] = numeric ? id : -1001000000000,
            ["type"] = !numeric ? "channel" : id > 0 ? "private" : "supergroup",
        };
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var message = new JsonObject
        {
            ["message_id"] = messageId,
            ["from"] = BotUser(),
            ["chat"] = chat,
            ["date"] = now,
            ["text"] = text,
        };
        if (thread is { } t)
        {
            message["message_thread_id"] = t;
            message["is_topic_message"] = true;
        }

        if (edited)
        {
            message["edit_date"] = now;
        }

        return message;
    }

    /// <summary>Parses Telegram HTML (core.telegram.org/bots/api#html-style) into the displayed text; false with
    /// Telegram's wording when a tag is unsupported, unbalanced or unclosed.</summary>
    private static bool TryPlainText(string text, string? parseMode, out string plain, out string error)
    {
        error = string.Empty;
        if (!string.Equals(parseMode, "HTML", StringComparison.OrdinalIgnoreCase))
        {
            plain = text;
            return true;
        }

        var sb = new StringBuilder(text.Length);
        var stack = new Stack<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '<')
            {
                var close = text.IndexOf('>', i + 1);
                var byteOffset = Encoding.UTF8.GetByteCount(text.AsSpan(0, i));
                if (close < 0)
                {
                    plain = string.Empty;
                    error = $"Unclosed start tag at byte offset {byteOffset}";
                    return false;
                }

                var inner = text[(i + 1)..close];
                if (inner.StartsWith('/'))
                {
                    var name = inner[1..].Trim().ToLowerInvariant();
                    if (stack.Count == 0 || stack.Peek() != name)
                    {
                        plain = string.Empty;
                        error = stack.Count == 0
                            ? $"Unexpected end tag at byte offset {byteOffset}"
                            : $"Unmatched end tag at byte offset {byteOffset}, expected \"</{stack.Peek()}>\", found \"</{name}>\"";
                        return false;
                    }

                    stack.Pop();
                }
                else
                {
                    var end = 0;
                    while (end < inner.Length && !char.IsWhiteSpace(inner[end]) && inner[end] != '/')
                    {
                        end++;
                    }

                    var name = inner[..end].ToLowerInvariant();
                    if (!SupportedTags.Contains(name))
                    {
                        plain = string.Empty;
                        error = $"Unsupported start tag \"{name}\" at byte offset {byteOffset}";
                        return false;
                    }

                    stack.Push(name);
                }

                i = close + 1;
                continue;
            }

            if (c == '&')
            {
                var semi = text.IndexOf(';', i + 1);
                var entity = semi > i && semi - i <= 10 ? text[(i + 1)..semi] : null;
                string? decoded = entity switch
                {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    _ when entity is not null && entity.StartsWith('#') && int.TryParse(
                        entity.StartsWith("#x", StringComparison.OrdinalIgnoreCase) ? entity[2..] : entity[1..],
                        entity.StartsWith("#x", StringComparison.OrdinalIgnoreCase) ? NumberStyles.HexNumber : NumberStyles.None,
                        CultureInfo.InvariantCulture,
                        out var code) && code is > 0 and <= 0x10FFFF => char.ConvertFromUtf32(code),
                    _ => null,
                };
                if (decoded is not null)
                {
                    sb.Append(decoded);
                    i = semi + 1;
                    continue;
                }
            }

            sb.Append(c);
            i++;
        }

        if (stack.Count > 0)
        {
            plain = string.Empty;
            error = $"Can't find end tag corresponding to start tag \"{stack.Peek()}\"";
            return false;
        }

        plain = sb.ToString();
        return true;
    }

    private static async Task<JsonObject> ReadParametersAsync(HttpRequest request)
    {
        var result = new JsonObject();
        foreach (var (key, value) in request.Query)
        {
            result[key] = ParseValue(value.ToString());
        }

        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            foreach (var (key, value) in form)
            {
                result[key] = ParseValue(value.ToString());
            }

            return result;
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        if (body.Trim().Length > 0 && JsonNode.Parse(body) is JsonObject json)
        {
            foreach (var (key, value) in json)
            {
                result[key] = value?.DeepClone();
            }
        }

        return result;
    }

    private static JsonNode? ParseValue(string value)
    {
        var t = value.TrimStart();
        if (t.StartsWith('{') || t.StartsWith('['))
        {
            try
            {
                return JsonNode.Parse(value);
            }
            catch (JsonException)
            {
                // Not JSON after all: keep the string.
            }
        }

        return JsonValue.Create(value);
    }

    private static string? Str(JsonObject parameters, string name) => parameters[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var node => node.ToJsonString(),
    };

    private static long? Long(JsonObject parameters, string name)
        => long.TryParse(Str(parameters, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static int? Int(JsonObject parameters, string name)
        => int.TryParse(Str(parameters, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static bool? Bool(JsonObject parameters, string name)
        => parameters[name] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            var node => bool.TryParse(node.ToString(), out var b) ? b : null,
        };

    private static Task OkAsync(HttpContext context, JsonNode? result, string? description = null)
    {
        var body = new JsonObject { ["ok"] = true, ["result"] = result };
        if (description is not null)
        {
            body["description"] = description;
        }

        return WriteAsync(context, 200, body);
    }

    private static Task ErrorAsync(HttpContext context, int code, string description, int? retryAfter = null)
    {
        var body = new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description };
        if (retryAfter is { } after)
        {
            body["parameters"] = new JsonObject { ["retry_after"] = after };
        }

        return WriteAsync(context, code, body);
    }

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
