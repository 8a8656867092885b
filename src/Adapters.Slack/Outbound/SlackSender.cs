using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;
using OpenClaw.Channels.Adapters.Markdown;

namespace OpenClaw.Channels.Slack;

/// <summary>Sends to Slack with <c>chat.postMessage</c> (docs.slack.dev/reference/methods/chat.postMessage) into the
/// target's thread (<c>thread_ts</c>), and edits with <c>chat.update</c> (docs.slack.dev/reference/methods/chat.update)
/// when <see cref="OutboundMessage.EditMessageId"/> is set. Markdown is converted to mrkdwn
/// (<see cref="SlackMrkdwnRenderer"/>, escaping <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> once), split below
/// <see cref="SlackOptions.MaxTextLength"/> in order and never inside an entity or a <c>&lt;url|label&gt;</c> link, paced to about one
/// message per second per channel, and retried on HTTP 429 after <c>Retry-After</c>.</summary>
public sealed partial class SlackSender : IChannelSender
{
    private readonly SlackApiClient _api;
    private readonly IChannelStateStore _state;
    private readonly SlackOptions _options;

    internal SlackSender(SlackApiClient api, IChannelStateStore state, IOptions<SlackOptions> options)
    {
        _api = api;
        _state = state;
        _options = options.Value;
        Capabilities = new ChannelCapabilities
        {
            MaxTextLength = _options.MaxTextLength,
            SupportsEdit = true,
            SupportsTyping = false,
            SupportsThreads = true,
            SupportsFiles = true,
            PrefersStreaming = _options.StreamReplies,
        };
    }

    /// <inheritdoc />
    public string Channel => SlackNormalizer.ChannelName;

    /// <inheritdoc />
    /// <remarks>Slack: edits supported, threads supported, no bot typing indicator over the Web API, 3,900 characters by default.</remarks>
    public ChannelCapabilities Capabilities { get; }

    /// <summary>True when the hub should stream answers: post a placeholder, then send the growing text with
    /// <see cref="OutboundMessage.EditMessageId"/> set to the placeholder's <c>ts</c> (from <see cref="SlackOptions.StreamReplies"/>).</summary>
    public bool StreamReplies => _options.StreamReplies;

    /// <inheritdoc />
    /// <remarks>With <see cref="OutboundMessage.EditMessageId"/>, the first chunk replaces that message
    /// (<c>chat.update</c>) and further chunks are posted after it in the same thread. The returned ids are Slack
    /// <c>ts</c> values, one per chunk. Thread ids the bot posts into are remembered so replies there count as
    /// replies to the bot. A target whose <see cref="DeliveryTarget.ReplyContext"/> starts with
    /// <see cref="ResponseUrlPrefix"/> (a slash command) is answered through that <c>response_url</c> with
    /// <see cref="SlackOptions.SlashCommandResponseType"/> (no ids are returned for those messages; they are not edited);
    /// chunks beyond five, or after the URL expired, are posted with <c>chat.postMessage</c>.</remarks>
    /// <exception cref="SlackApiException">Slack refused a call (<c>ok:false</c> with its error code, or HTTP errors)
    /// after bounded retries; chunks before it were delivered.</exception>
    public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var slashCommand = message.Target.ReplyContext?.StartsWith(ResponseUrlPrefix, StringComparison.Ordinal) ?? false;
        if (slashCommand && message.Files.Count > 0)
        {
            message = message with { Text = OutboundSegments.InlinePlaceholders(message.Text, message.Files), Files = [] };
        }

        if (!slashCommand && (string.IsNullOrEmpty(message.EditMessageId) || message.Files.Count > 0) && AnswerSegments.HasMedia(message))
        {
            return await SendWithImagesAsync(message, AnswerSegments.Split(message), cancellationToken).ConfigureAwait(false); // SlackSender.Images.cs
        }

        var target = message.Target;
        // Markdown: one Markdig parse, rendered to mrkdwn and split on its blocks (never inside a code block, a link or
        // an entity). Plain text: escaped once and split without cutting an entity (&amp;).
        IReadOnlyList<string> chunks = message.Format == TextFormat.Markdown
            ? MarkdownSplitter.Split(message.Text, SlackMrkdwnRenderer.Instance, _options.MaxTextLength).Select(c => c.Text).ToList()
            : TextChunker.Split(SlackMrkdwnRenderer.Instance.Escape(message.Text), _options.MaxTextLength, SlackMrkdwnRenderer.Unbreakable());
        if (chunks.Count == 0)
        {
            return SendResult.Empty;
        }

        var threadTs = target.ThreadId ?? (target.ChatKind != ChatKind.Direct ? target.ReplyToId : null);
        var ids = new List<string>(chunks.Count);
        var first = 0;
        if (target.ReplyContext is { } context && context.StartsWith(ResponseUrlPrefix, StringComparison.Ordinal)
            && Uri.TryCreate(context[ResponseUrlPrefix.Length..], UriKind.Absolute, out var responseUrl))
        {
            // A slash command's answer: through its response_url (up to 5 uses within 30 minutes); what does not fit,
            // or what comes after the URL expired, is posted to the channel.
            first = await PostToResponseUrlAsync(responseUrl, chunks, cancellationToken).ConfigureAwait(false);
            if (first == chunks.Count)
            {
                return SendResult.Empty;
            }
        }

        for (var i = first; i < chunks.Count; i++)
        {
            JsonElement response;
            if (i == 0 && !string.IsNullOrEmpty(message.EditMessageId))
            {
                var update = new JsonObject
                {
                    ["channel"] = target.ChatId,
                    ["ts"] = message.EditMessageId,
                    ["text"] = chunks[i],
                };
                response = await _api.CallAsync("chat.update", update, target.ChatId, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var post = new JsonObject
                {
                    ["channel"] = target.ChatId,
                    ["text"] = chunks[i],
                    ["mrkdwn"] = true,
                };
                if (!string.IsNullOrEmpty(threadTs))
                {
                    post["thread_ts"] = threadTs;
                }

                response = await _api.CallAsync("chat.postMessage", post, target.ChatId, cancellationToken).ConfigureAwait(false);
            }

            if (response.TryGetProperty("ts", out var ts) && ts.ValueKind == JsonValueKind.String && ts.GetString() is { } id)
            {
                ids.Add(id);
            }
        }

        if (!string.IsNullOrEmpty(threadTs))
        {
            await _state.SetAsync(SlackThreadKeys.Participation(target.AccountId, target.ChatId, threadTs), "1", _options.ThreadMemory, cancellationToken).ConfigureAwait(false);
        }

        return new SendResult(ids);
    }

    /// <summary>Prefix of <see cref="DeliveryTarget.ReplyContext"/> values that carry a slash command's <c>response_url</c>.</summary>
    public const string ResponseUrlPrefix = "response_url:";

    /// <summary>Most messages one <c>response_url</c> takes (docs.slack.dev/interactivity/handling-user-interaction#message_responses).</summary>
    public const int ResponseUrlMaxUses = 5;

    private async Task<int> PostToResponseUrlAsync(Uri responseUrl, IReadOnlyList<string> chunks, CancellationToken cancellationToken)
    {
        var sent = 0;
        while (sent < chunks.Count && sent < ResponseUrlMaxUses)
        {
            var body = new JsonObject
            {
                ["response_type"] = _options.SlashCommandResponseType,
                ["text"] = chunks[sent],
                ["mrkdwn"] = true,
            };
            try
            {
                await _api.PostResponseUrlAsync(responseUrl, body, cancellationToken).ConfigureAwait(false);
            }
            catch (SlackApiException e) when (!e.IsTransient)
            {
                // Expired (30 minutes, 5 uses) or refused: the rest goes to the channel with chat.postMessage.
                break;
            }

            sent++;
        }

        return sent;
    }

    /// <inheritdoc />
    /// <remarks>Slack has no typing indicator for bots over the Web API; this completes at once
    /// (<see cref="ChannelCapabilities.SupportsTyping"/> is false).</remarks>
    public Task SendTypingAsync(DeliveryTarget target, CancellationToken cancellationToken) => Task.CompletedTask;
}
