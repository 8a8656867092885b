using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;
using OpenClaw.Channels.Adapters.Markdown;

namespace OpenClaw.Channels.Discord;

/// <summary>Sends answers to Discord. Text (Discord renders Markdown itself, so it is sent as written) is split into
/// chunks of at most 2,000 characters and posted in order with <c>POST /channels/{id}/messages</c>
/// (discord.com/developers/docs/resources/message#create-message); in guilds the first chunk quotes the message it
/// answers; each chunk carries a <c>nonce</c> derived from the hub message id and chunk index with <c>enforce_nonce</c>,
/// so a retried post is not posted twice. When the target carries an interaction token (<see cref="DeliveryTarget.ReplyContext"/>), the first chunk
/// edits the deferred response (<c>PATCH /webhooks/{application_id}/{token}/messages/@original</c>) and the rest are
/// follow-ups (<c>POST /webhooks/{application_id}/{token}</c>). <c>allowed_mentions</c> pings nobody unless
/// <see cref="DiscordOptions.AllowedMentions"/> says so.</summary>
public sealed partial class DiscordSender : IChannelSender
{
    /// <summary>Discord's content limit per message, 2,000 characters.</summary>
    public const int MaxContentLength = 2000;

    private readonly DiscordRestClient _rest;
    private readonly DiscordOptions _options;
    private readonly ILogger<DiscordSender> _logger;

    internal DiscordSender(DiscordRestClient rest, IOptions<DiscordOptions> options, ILogger<DiscordSender> logger)
    {
        _rest = rest;
        _options = options.Value;
        _logger = logger;
        Capabilities = new ChannelCapabilities
        {
            MaxTextLength = MaxContentLength,
            SupportsEdit = true,
            SupportsTyping = true,
            SupportsThreads = true,
            SupportsFiles = true,
            TypingIntervalMs = _options.TypingIntervalMs,
        };
    }

    /// <inheritdoc />
    public string Channel => DiscordNormalizer.ChannelName;

    /// <inheritdoc />
    public ChannelCapabilities Capabilities { get; }

    /// <inheritdoc />
    /// <exception cref="DiscordApiException">Discord refused a chunk after bounded retries; chunks before it were posted.</exception>
    public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var interaction = !string.IsNullOrEmpty(message.Target.ReplyContext);
        if (interaction && message.Files.Count > 0)
        {
            message = message with { Text = OutboundSegments.InlinePlaceholders(message.Text, message.Files), Files = [] };
        }

        if (!interaction && (string.IsNullOrEmpty(message.EditMessageId) || message.Files.Count > 0) && AnswerSegments.HasMedia(message))
        {
            return await SendWithImagesAsync(message, AnswerSegments.Split(message), cancellationToken).ConfigureAwait(false); // DiscordSender.Images.cs
        }

        // One Markdig parse, split on its blocks: never inside a code block (cut ones are reopened with their language) or a link.
        var chunks = MarkdownSplitter.Split(ComposeText(message), DiscordMarkdownRenderer.Instance, MaxContentLength).Select(c => c.Text).ToList();
        if (chunks.Count == 0)
        {
            return SendResult.Empty;
        }

        var target = message.Target;
        var ids = new List<string>(chunks.Count);
        if (!string.IsNullOrEmpty(target.ReplyContext))
        {
            var applicationId = string.IsNullOrEmpty(_options.ApplicationId) ? target.AccountId : _options.ApplicationId;
            for (var i = 0; i < chunks.Count; i++)
            {
                var body = Body(chunks[i], null);
                var id = i == 0
                    ? await _rest.EditInteractionMessageAsync(applicationId, target.ReplyContext, message.EditMessageId ?? "@original", body, cancellationToken).ConfigureAwait(false)
                    : await _rest.CreateFollowupMessageAsync(applicationId, target.ReplyContext, body, cancellationToken).ConfigureAwait(false);
                Add(ids, id);
            }

            LogSent(chunks.Count, "interaction");
            return new SendResult(ids);
        }

        // Threads are channels: post into the thread by its id.
        var channelId = string.IsNullOrEmpty(target.ThreadId) ? target.ChatId : target.ThreadId;
        for (var i = 0; i < chunks.Count; i++)
        {
            if (i == 0 && !string.IsNullOrEmpty(message.EditMessageId))
            {
                Add(ids, await _rest.EditMessageAsync(channelId, message.EditMessageId, Body(chunks[i], null), cancellationToken).ConfigureAwait(false));
                continue;
            }

            var replyTo = i == 0 && target.ChatKind != ChatKind.Direct ? target.ReplyToId : null;
            var body = Body(chunks[i], replyTo);
            body["nonce"] = Nonce(message.InReplyToMessageId, i);
            body["enforce_nonce"] = true;
            Add(ids, await _rest.CreateMessageAsync(channelId, body, cancellationToken).ConfigureAwait(false));
        }

        LogSent(chunks.Count, "channel");
        return new SendResult(ids);
    }

    /// <inheritdoc />
    public async Task SendTypingAsync(DeliveryTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!string.IsNullOrEmpty(target.ReplyContext))
        {
            // A deferred interaction already shows "thinking…".
            return;
        }

        try
        {
            await _rest.TriggerTypingAsync(string.IsNullOrEmpty(target.ThreadId) ? target.ChatId : target.ThreadId, cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException ex)
        {
            LogTypingFailed(ex.ErrorCode);
        }
    }

    // Outbound files are linked, not uploaded: Discord unfurls URLs into previews.
    private static string ComposeText(OutboundMessage message)
    {
        var links = message.Attachments.Where(a => !string.IsNullOrEmpty(a.Url)).Select(a => a.Url!).ToList();
        return links.Count == 0 ? message.Text : string.Concat(message.Text, "\n\n", string.Join('\n', links));
    }

    private JsonObject Body(string content, string? replyToId)
    {
        var parse = new JsonArray();
        foreach (var p in _options.AllowedMentions)
        {
            parse.Add(p);
        }

        var allowed = new JsonObject { ["parse"] = parse };
        var body = new JsonObject { ["content"] = content, ["allowed_mentions"] = allowed };
        if (replyToId is not null)
        {
            allowed["replied_user"] = _options.PingRepliedUser;
            body["message_reference"] = new JsonObject { ["message_id"] = replyToId, ["fail_if_not_exists"] = false };
        }

        return body;
    }

    /// <summary>The <c>nonce</c> of chunk <paramref name="chunk"/> of the answer to hub message <paramref name="inReplyTo"/>:
    /// the same for every attempt to post that chunk, so with <c>enforce_nonce</c> Discord returns the message already
    /// created instead of posting it twice when a response was lost (discord.com/developers/docs/resources/message#create-message:
    /// nonce is at most 25 characters). Without a hub message id, a random nonce still covers the sender's own retries.</summary>
    internal static string Nonce(string? inReplyTo, int chunk)
    {
        var seed = inReplyTo is null ? Guid.NewGuid().ToString("N") : string.Concat(inReplyTo, ":", chunk.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)))[..25].ToLowerInvariant();
    }

    private static void Add(List<string> ids, string? id)
    {
        if (id is not null)
        {
            ids.Add(id);
        }
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Debug, Message = "Sent {Chunks} Discord message(s) via {Route}")]
    private partial void LogSent(int chunks, string route);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Information, Message = "Discord typing indicator failed with {Code}")]
    private partial void LogTypingFailed(string? code);
}
