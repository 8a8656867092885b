using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OpenClaw.Channels.Adapters.Markdown;
using Polly;
using Polly.Retry;

namespace OpenClaw.Channels.WeChat;

/// <summary>Sends answers to a WeChat Official Account user (<c>POST /cgi-bin/message/custom/send</c>, W-KF) or a
/// WeCom member (<c>POST /cgi-bin/message/send</c> with <c>agentid</c>, WC 90236). When the answer's target carries a
/// passive-reply slot that is still open (on any node: <see cref="IPassiveReplyHandover"/>), a one-message answer
/// claims the slot instead (it rides on the callback's HTTP response); otherwise it goes through the API. The Markdown is
/// parsed once and split on its blocks by UTF-8 bytes (<see cref="MarkdownSplitter"/>) into at most
/// <c>MaxMessagesPerAnswer</c> messages of plain text. Token errors 40001 / 40014 /
/// 42001 invalidate the shared token and retry once; transient failures (errcode -1, 5xx, timeouts) are retried
/// twice with backoff.</summary>
internal sealed partial class WeChatSender : IChannelSender
{
    /// <summary>Prefix of <see cref="ChannelMessage.ReplyContext"/> values that name a passive-reply slot.</summary>
    public const string SlotPrefix = "slot:";

    private readonly WeChatChannelProfile _profile;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly WeChatAccessTokenCache _tokens;
    private readonly IPassiveReplyHandover _handover;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retry;

    public WeChatSender(
        WeChatChannelProfile profile,
        IHttpClientFactory httpClientFactory,
        WeChatAccessTokenCache tokens,
        IPassiveReplyHandover handover,
        TimeProvider timeProvider,
        ILogger<WeChatSender> logger)
    {
        _profile = profile;
        _httpClientFactory = httpClientFactory;
        _tokens = tokens;
        _handover = handover;
        _logger = logger;
        _retry = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<WeChatApiException>(e => e.IsTransient),
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(500),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
        Capabilities = new ChannelCapabilities
        {
            // Characters: a CJK character takes 3 UTF-8 bytes.
            MaxTextLength = profile.MaxTextBytes / 3,
            SupportsEdit = false,
            SupportsTyping = !profile.IsWeCom,
            SupportsThreads = false,
            SupportsFiles = true, // image files (tool results) are uploaded like Markdown images; others become placeholders
            TypingIntervalMs = 10_000,
        };
    }

    /// <inheritdoc />
    public string Channel => _profile.Channel;

    /// <inheritdoc />
    public ChannelCapabilities Capabilities { get; }

    /// <inheritdoc />
    public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var parts = HasImages(message)
            ? await BuildPartsWithImagesAsync(message, cancellationToken).ConfigureAwait(false)
            : BuildTextParts(message);
        if (SlotId(message.Target.ReplyContext) is { } slotId)
        {
            // One atomic claim decides: the callback (on whichever node holds it) carries the answer, or its window
            // ended first and the API sends it. A claimed answer that the callback does not confirm in time (its node
            // died or stalled) is withdrawn atomically and sent through the API.
            if (parts.Count == 1 && await _handover.TryHandOverAsync(slotId, parts[0].ToPayload(), cancellationToken).ConfigureAwait(false))
            {
                if (await _handover.AwaitDeliveryAsync(slotId, cancellationToken).ConfigureAwait(false))
                {
                    WeChatLog.HandedOver(_logger, _profile.Channel, message.Target.ChatId);
                    return SendResult.Empty;
                }

                WeChatLog.NotConfirmed(_logger, _profile.Channel, message.Target.ChatId);
            }
            else
            {
                // More than one message (or nothing to say): release the callback at once, send through the API.
                await _handover.TryHandOverAsync(slotId, null, cancellationToken).ConfigureAwait(false);
            }
        }

        var ids = new List<string>(parts.Count);
        foreach (var part in parts)
        {
            var body = part.MediaId is { } mediaId ? BuildImageBody(message.Target.ChatId, mediaId) : BuildSendBody(message.Target.ChatId, part.Text!);
            var json = await CallAsync(SendPath, body, cancellationToken).ConfigureAwait(false);
            if (json.TryGetProperty("msgid", out var msgId))
            {
                ids.Add(msgId.ToString());
            }
        }

        return new SendResult(ids);
    }

    /// <summary>A text-only answer: its Markdown plus the attachments' links, split on its blocks by UTF-8 bytes within
    /// the message budget.</summary>
    private List<WeChatPart> BuildTextParts(OutboundMessage message)
    {
        var markdown = MarkdownOf(message, message.Text);
        foreach (var attachment in message.Attachments.Where(a => !string.IsNullOrEmpty(a.Url)))
        {
            markdown = string.Concat(markdown, "\n", ChannelMarkdown.EscapePlain(LinkOf(attachment)));
        }

        return [.. SplitText(message, markdown, _profile.MaxMessagesPerAnswer).Select(WeChatPart.OfText)];
    }

    /// <summary>Splits <paramref name="markdown"/> with the shared splitter (<see cref="MarkdownSplitter"/>, WeChat's
    /// plain-text renderer measuring UTF-8 bytes) into at most <paramref name="maxMessages"/> messages; a shortened
    /// answer ends with the channel's note and is logged.</summary>
    private IReadOnlyList<string> SplitText(OutboundMessage message, string markdown, int maxMessages)
    {
        var split = Split(markdown, maxMessages);
        if (split.Shortened)
        {
            WeChatLog.AnswerShortened(_logger, _profile.Channel, message.Target.ChatId, split.Chunks.Count);
        }

        return [.. split.Chunks.Select(c => c.Text)];
    }

    private MarkdownSplit Split(string markdown, int maxMessages)
        => MarkdownSplitter.Split(ChannelMarkdown.Parse(markdown), WeChatPlainTextRenderer.Instance, _profile.MaxTextBytes, maxMessages, _profile.ShortenedNote);

    /// <summary>The text of an answer piece as Markdown: as it is when the answer is Markdown, escaped when plain.</summary>
    private static string MarkdownOf(OutboundMessage message, string text)
        => message.Format == TextFormat.Markdown ? text : ChannelMarkdown.EscapePlain(text);

    /// <summary>An attachment as the text line that stands for it: <c>name: url</c>, or the URL alone.</summary>
    private static string LinkOf(Attachment attachment)
        => string.Concat(attachment.Name is { Length: > 0 } name ? name + ": " : string.Empty, attachment.Url);

    /// <inheritdoc />
    public async Task SendTypingAsync(DeliveryTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (_profile.IsWeCom)
        {
            return;
        }

        try
        {
            var body = new JsonObject { ["touser"] = target.ChatId, ["command"] = "Typing" };
            await CallAsync("cgi-bin/message/custom/typing", body, cancellationToken).ConfigureAwait(false);
        }
        catch (WeChatApiException ex)
        {
            WeChatLog.TypingFailed(_logger, _profile.Channel, ex.ErrorCode);
        }
    }

    private string SendPath => _profile.IsWeCom ? "cgi-bin/message/send" : "cgi-bin/message/custom/send";

    private static string? SlotId(string? replyContext)
        => replyContext is not null && replyContext.StartsWith(SlotPrefix, StringComparison.Ordinal) && replyContext.Length > SlotPrefix.Length
            ? replyContext[SlotPrefix.Length..]
            : null;

    private JsonObject BuildSendBody(string chatId, string text) => BuildMessageBody(chatId, "text", new JsonObject { ["content"] = text });

    /// <summary>A customer-service (W-KF) or WeCom (<c>agentid</c>, <c>safe</c>, WC 90236) message body of
    /// <paramref name="type"/> with its content object, in the order the platforms document the fields.</summary>
    private JsonObject BuildMessageBody(string chatId, string type, JsonObject content)
    {
        var body = new JsonObject
        {
            ["touser"] = chatId,
            ["msgtype"] = type,
        };
        if (_profile.IsWeCom)
        {
            body["agentid"] = _profile.AgentId;
        }

        body[type] = content;
        if (_profile.IsWeCom)
        {
            body["safe"] = 0;
        }

        return body;
    }

    /// <summary>One API call with the shared token: a token error invalidates it and retries once with a fresh one;
    /// transient errors are retried by the Polly pipeline.</summary>
    private Task<JsonElement> CallAsync(string path, JsonObject body, CancellationToken cancellationToken)
        => CallAsync((api, token, ct) => api.PostAsync(path, token, body, ct), cancellationToken);

    private async Task<T> CallAsync<T>(Func<WeChatApiClient, string, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await _retry.ExecuteAsync(
                async ct =>
                {
                    var api = new WeChatApiClient(_httpClientFactory.CreateClient(WeChatChannelProfile.HttpClientName), _profile);
                    var token = await _tokens.GetAsync(_profile, api.FetchTokenAsync, ct).ConfigureAwait(false);
                    try
                    {
                        return await call(api, token, ct).ConfigureAwait(false);
                    }
                    catch (WeChatApiException ex) when (WeChatApiClient.IsTokenError(ex))
                    {
                        await _tokens.InvalidateAsync(_profile, token, ct).ConfigureAwait(false);
                        token = await _tokens.GetAsync(_profile, api.FetchTokenAsync, ct).ConfigureAwait(false);
                        return await call(api, token, ct).ConfigureAwait(false);
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (WeChatApiException ex)
        {
            WeChatLog.SendFailed(_logger, _profile.Channel, ex.ErrorCode);
            throw;
        }
    }
}
