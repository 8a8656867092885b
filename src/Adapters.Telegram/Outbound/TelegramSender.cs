using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;
using OpenClaw.Channels.Adapters.Markdown;
using Polly;
using Polly.Retry;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace OpenClaw.Channels.Telegram;

/// <summary>Sends answers through the Bot API (core.telegram.org/bots/api#sendmessage): Markdown converted to Telegram
/// HTML (<see cref="TelegramHtmlRenderer"/>), split on its blocks to 4096 characters of visible text, replies quoted in groups
/// (<c>reply_parameters</c> with <c>allow_sending_without_reply</c>), topics kept (<c>message_thread_id</c>), edits via
/// <c>editMessageText</c> ("message is not modified" counts as success), a plain-text resend when Telegram answers
/// 400 "can't parse entities", and bounded Polly retries on 429 (waiting <c>parameters.retry_after</c>), 5xx and
/// network errors.</summary>
public sealed partial class TelegramSender : IChannelSender
{
    /// <summary>Telegram's text limit per message, in UTF-16 characters (core.telegram.org/bots/api#sendmessage).</summary>
    public const int MaxTextLength = 4096;

    /// <summary>Sends per bot, across the cluster, by default: 30 messages/s (core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this),
    /// burst 5; <see cref="TelegramOptions.MessagesPerSecond"/> sets the rate.</summary>
    public static readonly RateLimit BotLimit = new(30, TimeSpan.FromSeconds(1), 5);

    /// <summary>Sends per group chat, across the cluster: 20 messages/min (same FAQ), burst 3.</summary>
    public static readonly RateLimit GroupLimit = new(20, TimeSpan.FromMinutes(1), 3);

    private static readonly ResiliencePropertyKey<string> MethodKey = new("telegram.method");
    private static readonly ResiliencePropertyKey<string> ChatKey = new("telegram.chat");

    private readonly TelegramBotClientFactory _clients;
    private readonly IOptions<TelegramOptions> _options;
    private readonly ILogger<TelegramSender> _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly ISharedRateLimiter _limiter;
    private readonly TimeProvider _time;
    private readonly RateLimit? _botLimit; // null: per-bot pacing off (MessagesPerSecond 0)

    /// <summary>Creates the sender.</summary>
    /// <param name="clients">Creates Bot API clients.</param>
    /// <param name="options">Channel options (parse mode, retry bounds).</param>
    /// <param name="logger">Logger.</param>
    /// <param name="timeProvider">Clock for retry waits.</param>
    /// <param name="limiter">The cluster's send buckets (<see cref="BotLimit"/> per bot, <see cref="GroupLimit"/> per
    /// group); a bucket of this process when null.</param>
    public TelegramSender(TelegramBotClientFactory clients, IOptions<TelegramOptions> options, ILogger<TelegramSender> logger, TimeProvider timeProvider, ISharedRateLimiter? limiter = null)
    {
        _clients = clients;
        _time = timeProvider;
        _limiter = limiter ?? new LocalRateLimiter(timeProvider);
        _options = options;
        var perSecond = options.Value.MessagesPerSecond;
        _botLimit = perSecond <= 0 ? null : BotLimit with { Count = perSecond };
        _logger = logger;
        var o = options.Value;
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (o.SendMaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = o.SendMaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromSeconds(1),
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && IsRetryable(ex, o.MaxRetryAfterSeconds)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is ApiRequestException { ErrorCode: 429, Parameters.RetryAfter: { } after }
                        ? TimeSpan.FromSeconds(after)
                        : (TimeSpan?)null),
                OnRetry = args =>
                {
                    var code = args.Outcome.Exception is ApiRequestException api ? api.ErrorCode : 0;
                    TelegramLog.SendRetry(
                        _logger,
                        args.Context.Properties.GetValue(MethodKey, "?"),
                        args.Context.Properties.GetValue(ChatKey, "?"),
                        (long)args.RetryDelay.TotalMilliseconds,
                        args.AttemptNumber + 1,
                        code);
                    return default;
                },
            });
        }

        _pipeline = builder.Build();
    }

    /// <inheritdoc />
    public string Channel => TelegramNormalizer.ChannelName;

    /// <inheritdoc />
    public ChannelCapabilities Capabilities { get; } = new()
    {
        MaxTextLength = MaxTextLength,
        SupportsEdit = true,
        SupportsTyping = true,
        SupportsThreads = true,
        SupportsFiles = true,
        TypingIntervalMs = 4000,
    };

    /// <inheritdoc />
    /// <exception cref="TelegramApiException">Telegram refused a chunk after bounded retries; chunks before it were
    /// delivered.</exception>
    public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if ((message.EditMessageId is null || message.Files.Count > 0) && AnswerSegments.HasMedia(message))
        {
            return await SendWithImagesAsync(message, AnswerSegments.Split(message), cancellationToken).ConfigureAwait(false); // TelegramSender.Images.cs
        }

        var target = message.Target;
        var chunks = Plan(message.Text, message.Format, _options.Value.ParseMode, MaxTextLength);
        if (chunks.Count == 0)
        {
            return SendResult.Empty;
        }

        var bot = _clients.Create();
        var chat = ChatIdOf(target.ChatId);
        var threadId = ThreadIdOf(target.ThreadId);
        var reply = target.ChatKind != ChatKind.Direct && int.TryParse(target.ReplyToId, NumberStyles.None, CultureInfo.InvariantCulture, out var replyTo)
            ? new ReplyParameters { MessageId = replyTo, AllowSendingWithoutReply = true }
            : null;
        var ids = new List<string>(chunks.Count);
        var start = 0;
        if (message.EditMessageId is { } edit && int.TryParse(edit, NumberStyles.None, CultureInfo.InvariantCulture, out var editId))
        {
            await EditAsync(bot, chat, editId, chunks[0], target.ChatId, cancellationToken).ConfigureAwait(false);
            ids.Add(edit);
            start = 1;
        }

        for (var i = start; i < chunks.Count; i++)
        {
            var sent = await SendChunkAsync(bot, chat, threadId, i == 0 ? reply : null, chunks[i], target.ChatId, cancellationToken).ConfigureAwait(false);
            ids.Add(sent.MessageId.ToString(CultureInfo.InvariantCulture));
        }

        return new SendResult(ids);
    }

    /// <inheritdoc />
    public async Task SendTypingAsync(DeliveryTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        try
        {
            await _clients.Create().SendChatAction(ChatIdOf(target.ChatId), ChatAction.Typing, ThreadIdOf(target.ThreadId), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            TelegramLog.TypingFailed(_logger, target.ChatId, ex);
        }
    }

    /// <summary>Splits and converts an answer into message-sized chunks (<see cref="MarkdownSplitter"/> with
    /// <see cref="TelegramHtmlRenderer"/>): every chunk's text after entity parsing and its plain fallback are at most
    /// <paramref name="maxLength"/> characters; a code block cut by a split is closed and reopened with its language.</summary>
    internal static IReadOnlyList<TelegramChunk> Plan(string text, TextFormat format, ParseMode parseMode, int maxLength)
    {
        var chunks = new List<TelegramChunk>();
        if (format == TextFormat.Plain || parseMode != ParseMode.Html)
        {
            foreach (var s in TextChunker.Split(text, maxLength))
            {
                chunks.Add(new TelegramChunk(s, ParseMode.None, s));
            }

            return chunks;
        }

        // One Markdig parse, split on its blocks; the limit counts the text after entity parsing. The plain fallback is the
        // chunk's Markdown when it fits, else the text the chunk shows.
        foreach (var chunk in MarkdownSplitter.Split(text, TelegramHtmlRenderer.Instance, maxLength))
        {
            var plain = chunk.Source is { } source && source.Length <= maxLength ? source : TelegramHtmlRenderer.VisibleText(chunk.Text);
            chunks.Add(new TelegramChunk(chunk.Text, ParseMode.Html, plain));
        }

        return chunks;
    }

    private async Task<Message> SendChunkAsync(
        ITelegramBotClient bot, ChatId chat, int? threadId, ReplyParameters? reply, TelegramChunk chunk, string chatLabel, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(
                "sendMessage",
                chatLabel,
                ct => bot.SendMessage(chat, chunk.Text, chunk.ParseMode, reply, messageThreadId: threadId, cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
        }
        catch (TelegramApiException ex) when (chunk.ParseMode != ParseMode.None && IsEntityError(ex))
        {
            TelegramLog.EntitiesRejected(_logger, chatLabel);
            return await CallAsync(
                "sendMessage",
                chatLabel,
                ct => bot.SendMessage(chat, chunk.PlainText, ParseMode.None, reply, messageThreadId: threadId, cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task EditAsync(ITelegramBotClient bot, ChatId chat, int messageId, TelegramChunk chunk, string chatLabel, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                await CallAsync(
                    "editMessageText",
                    chatLabel,
                    ct => bot.EditMessageText(chat, messageId, chunk.Text, chunk.ParseMode, cancellationToken: ct),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (TelegramApiException ex) when (chunk.ParseMode != ParseMode.None && IsEntityError(ex))
            {
                TelegramLog.EntitiesRejected(_logger, chatLabel);
                await CallAsync(
                    "editMessageText",
                    chatLabel,
                    ct => bot.EditMessageText(chat, messageId, chunk.PlainText, ParseMode.None, cancellationToken: ct),
                    cancellationToken).ConfigureAwait(false);
            }
        }
        catch (TelegramApiException ex) when (ex.InnerException is ApiRequestException { ErrorCode: 400 } api
                                                   && api.Message.Contains("message is not modified", StringComparison.OrdinalIgnoreCase))
        {
            // Same content as before: the message already shows this text.
        }
    }

    private async Task<T> CallAsync<T>(string method, string chatLabel, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(MethodKey, method);
        context.Properties.Set(ChatKey, chatLabel);
        try
        {
            return await _pipeline.ExecuteAsync(
                async (ctx, state) =>
                {
                    await PaceAsync(method, chatLabel, ctx.CancellationToken).ConfigureAwait(false);
                    try
                    {
                        return await state(ctx.CancellationToken).ConfigureAwait(false);
                    }
                    catch (ApiRequestException ex) when (ex.ErrorCode == 429 && ex.Parameters?.RetryAfter is { } after)
                    {
                        // The limit holds for the bot on every node: the whole cluster waits out the Retry-After.
                        var (bucket, limit) = IsGroup(chatLabel) ? (GroupBucket(chatLabel), GroupLimit) : (BotBucket(), _botLimit ?? BotLimit);
                        await _limiter.BlockAsync(bucket, limit, TimeSpan.FromSeconds(after), CancellationToken.None).ConfigureAwait(false);
                        throw;
                    }
                },
                context,
                call).ConfigureAwait(false);
        }
        catch (ApiRequestException ex)
        {
            throw new TelegramApiException($"Telegram {method} failed: {ex.ErrorCode} {ex.Message}", ex)
            {
                Method = method,
                ErrorCode = ex.ErrorCode.ToString(CultureInfo.InvariantCulture),
                RetryAfter = ex.Parameters?.RetryAfter is { } after ? TimeSpan.FromSeconds(after) : null,
                IsTransient = ex.ErrorCode == 429 || ex.ErrorCode >= 500,
            };
        }
        catch (RequestException ex)
        {
            throw new TelegramApiException($"Telegram {method} failed: {ex.Message}", ex)
            {
                Method = method,
                ErrorCode = ex.HttpStatusCode is { } status ? ((int)status).ToString(CultureInfo.InvariantCulture) : null,
                IsTransient = true,
            };
        }
        catch (HttpRequestException ex)
        {
            throw new TelegramApiException($"Telegram {method} failed: {ex.Message}", ex) { Method = method, IsTransient = true };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static bool IsEntityError(TelegramApiException ex)
        => ex.InnerException is ApiRequestException { ErrorCode: 400 } api
           && api.Message.Contains("can't parse entities", StringComparison.OrdinalIgnoreCase);

    /// <summary>Waits for the bot's shared bucket and, for a new message in a group, the group's; a wait above
    /// <see cref="TelegramOptions.MaxRetryAfterSeconds"/> fails at once (transient), so the hub retries the run later
    /// instead of holding its session lock.</summary>
    private async Task PaceAsync(string method, string chatLabel, CancellationToken cancellationToken)
    {
        var wait = _botLimit is { } botLimit ? await _limiter.ReserveAsync(BotBucket(), botLimit, cancellationToken).ConfigureAwait(false) : TimeSpan.Zero;
        if (IsGroup(chatLabel) && method == "sendMessage") // edits of a streamed answer are not new group messages
        {
            var group = await _limiter.ReserveAsync(GroupBucket(chatLabel), GroupLimit, cancellationToken).ConfigureAwait(false);
            wait = group > wait ? group : wait;
        }

        if (wait > TimeSpan.FromSeconds(_options.Value.MaxRetryAfterSeconds))
        {
            throw new TelegramApiException($"Telegram {method}: chat paced for {wait.TotalSeconds:F0} s.")
            {
                Method = method,
                ErrorCode = "429",
                RetryAfter = wait,
                IsTransient = true,
            };
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private string BotBucket() => "telegram:bot:" + _options.Value.BotId;

    private string GroupBucket(string chatId) => "telegram:bot:" + _options.Value.BotId + ":group:" + chatId;

    // Group and supergroup ids are negative (core.telegram.org/bots/api#chat); channels too, paced like groups.
    private static bool IsGroup(string chatId) => chatId.StartsWith('-');

    private static bool IsRetryable(Exception ex, int maxRetryAfterSeconds) => ex switch
    {
        ApiRequestException { ErrorCode: 429 } api => (api.Parameters?.RetryAfter ?? 1) <= maxRetryAfterSeconds,
        ApiRequestException api => api.ErrorCode >= 500,
        RequestException r => r.HttpStatusCode is null || (int)r.HttpStatusCode >= 500,
        HttpRequestException => true,
        _ => false,
    };

    private static ChatId ChatIdOf(string chatId)
        => long.TryParse(chatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? new ChatId(id) : new ChatId(chatId);

    private static int? ThreadIdOf(string? threadId)
        => int.TryParse(threadId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
