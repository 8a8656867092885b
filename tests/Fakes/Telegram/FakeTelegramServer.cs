using System.Collections.Concurrent;
using System.Globalization;
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

    /// <summary>Waits until at least <paramref name="count"/> messages were sent.</summary>
    /// <param name="count">Messages to wait for.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>All sent messages so far, in order.</returns>
    /// <exception cref="TimeoutException">Fewer arrived in time.</exception>
    public async Task<IReadOnlyList<FakeTelegramSentMessage>> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        await Eventually.UntilAsync(() => _sent.Count >= count, timeout, () => $"fake Telegram: {count} sent message(s), got {_sent.Count}");
        return [.. _sent];
    }

    /// <summary>Waits until at least <paramref name="count"/> chat actions were received.</summary>
    /// <param name="count">Actions to wait for.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>All chat actions so far, in order.</returns>
    /// <exception cref="TimeoutException">Fewer arrived in time.</exception>
    public async Task<IReadOnlyList<FakeTelegramChatAction>> WaitForChatActionsAsync(int count, TimeSpan timeout)
    {
        await Eventually.UntilAsync(() => _actions.Count >= count, timeout, () => $"fake Telegram: {count} chat action(s), got {_actions.Count}");
        return [.. _actions];
    }

    /// <summary>Waits until at least <paramref name="count"/> calls of <paramref name="method"/> were received.</summary>
    /// <param name="method">Bot API method.</param>
    /// <param name="count">Calls to wait for.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <exception cref="TimeoutException">Fewer arrived in time.</exception>
    public Task WaitForRequestsAsync(string method, int count, TimeSpan timeout)
        => Eventually.UntilAsync(() => CountRequests(method) >= count, timeout, () => $"fake Telegram: {count} {method} call(s), got {CountRequests(method)}");

    /// <summary>Waits until a <c>getUpdates</c> call confirmed at least <paramref name="offset"/>.</summary>
    /// <param name="offset">The offset (last processed <c>update_id</c> + 1).</param>
    /// <param name="timeout">How long to wait.</param>
    /// <exception cref="TimeoutException">Not confirmed in time.</exception>
    public Task WaitForConfirmedOffsetAsync(long offset, TimeSpan timeout)
        => Eventually.UntilAsync(() => ConfirmedOffset >= offset, timeout, () => $"fake Telegram: offset {offset} confirmed, got {ConfirmedOffset}");

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
}
