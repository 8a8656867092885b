using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.WeChat;

/// <summary>Serves one channel's callback URL. GET: server URL verification (W-ACC; WeCom: decrypt <c>echostr</c>).
/// POST: verify (<c>signature</c>; in safe mode and on WeCom <c>msg_signature</c> and the receive id) → parse with the
/// hardened reader → normalize → <see cref="IInboundPipeline.AcceptAsync"/> → wait up to the passive-reply window
/// for the answer → reply XML (encrypted when the request was) or <c>success</c>.</summary>
internal sealed class WeChatWebhookHandler
{
    /// <summary>Largest accepted callback body, in bytes (callbacks are a few KB), declared as the endpoints'
    /// request size limit.</summary>
    public const int MaxBodyBytes = 256 * 1024;
    private const string Success = "success";

    private readonly WeChatChannelProfile _profile;
    private readonly WeChatCrypto? _crypto;
    private readonly IInboundPipeline _pipeline;
    private readonly WeChatNormalizer _normalizer;
    private readonly IPassiveReplyHandover _handover;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public WeChatWebhookHandler(
        WeChatChannelProfile profile,
        IInboundPipeline pipeline,
        WeChatNormalizer normalizer,
        IPassiveReplyHandover handover,
        TimeProvider time,
        ILogger<WeChatWebhookHandler> logger)
    {
        _profile = profile;
        _crypto = profile.CreateCrypto();
        _pipeline = pipeline;
        _normalizer = normalizer;
        _handover = handover;
        _time = time;
        _logger = logger;
    }

    /// <summary>GET: echoes <c>echostr</c> (decrypted on WeCom) when the signature checks out; 401 otherwise.</summary>
    public IResult HandleGet(HttpContext context)
    {
        var q = context.Request.Query;
        string? timestamp = q["timestamp"], nonce = q["nonce"], echostr = q["echostr"];
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(echostr))
        {
            WeChatLog.Malformed(_logger, _profile.Channel, "verification parameters missing");
            return Results.BadRequest();
        }

        if (_profile.IsWeCom)
        {
            if (!_crypto!.VerifyMessageSignature(q["msg_signature"], timestamp, nonce, echostr))
            {
                WeChatLog.SignatureRejected(_logger, _profile.Channel, "verify-url");
                return Results.Unauthorized();
            }

            return _crypto.TryDecrypt(echostr, out var plain) switch
            {
                WeChatDecryptStatus.Ok => Results.Text(plain, "text/plain", Encoding.UTF8),
                WeChatDecryptStatus.WrongReceiveId => Results.Unauthorized(),
                _ => Results.BadRequest(),
            };
        }

        if (!WeChatCrypto.VerifySignature(q["signature"], _profile.Token, timestamp, nonce))
        {
            WeChatLog.SignatureRejected(_logger, _profile.Channel, "verify-url");
            return Results.Unauthorized();
        }

        return Results.Text(echostr, "text/plain", Encoding.UTF8);
    }

    /// <summary>POST: one callback.</summary>
    public async Task<IResult> HandlePostAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var q = context.Request.Query;
        string? timestamp = q["timestamp"], nonce = q["nonce"];
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce))
        {
            WeChatLog.Malformed(_logger, _profile.Channel, "timestamp or nonce missing");
            return Results.BadRequest();
        }

        var bytes = await RequestBody.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            WeChatLog.Malformed(_logger, _profile.Channel, "body too large");
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var body = Encoding.UTF8.GetString(bytes);

        var fields = WeChatXml.TryParse(body);
        if (fields is null)
        {
            WeChatLog.Malformed(_logger, _profile.Channel, "not well-formed XML (or a DTD)");
            return Results.BadRequest();
        }

        var encrypted = _profile.IsWeCom || string.Equals(q["encrypt_type"], "aes", StringComparison.OrdinalIgnoreCase);
        string plainXml = body;
        if (encrypted)
        {
            if (_crypto is null)
            {
                WeChatLog.Malformed(_logger, _profile.Channel, "safe mode callback without EncodingAESKey configured");
                return Results.BadRequest();
            }

            if (!fields.TryGetValue("Encrypt", out var cipher) || string.IsNullOrEmpty(cipher))
            {
                WeChatLog.Malformed(_logger, _profile.Channel, "Encrypt missing");
                return Results.BadRequest();
            }

            var plainSignature = q["signature"].ToString();
            if (!_crypto.VerifyMessageSignature(q["msg_signature"], timestamp, nonce, cipher)
                || (!_profile.IsWeCom && plainSignature.Length > 0 && !WeChatCrypto.VerifySignature(plainSignature, _profile.Token, timestamp, nonce)))
            {
                WeChatLog.SignatureRejected(_logger, _profile.Channel, "msg_signature");
                return Results.Unauthorized();
            }

            switch (_crypto.TryDecrypt(cipher, out var decrypted))
            {
                case WeChatDecryptStatus.Ok:
                    plainXml = decrypted!;
                    break;
                case WeChatDecryptStatus.WrongReceiveId:
                    WeChatLog.SignatureRejected(_logger, _profile.Channel, "receive id");
                    return Results.Unauthorized();
                default:
                    WeChatLog.Malformed(_logger, _profile.Channel, "ciphertext does not decrypt");
                    return Results.BadRequest();
            }

            fields = WeChatXml.TryParse(plainXml);
            if (fields is null)
            {
                WeChatLog.Malformed(_logger, _profile.Channel, "decrypted XML not well-formed (or a DTD)");
                return Results.BadRequest();
            }
        }
        else if (!WeChatCrypto.VerifySignature(q["signature"], _profile.Token, timestamp, nonce))
        {
            WeChatLog.SignatureRejected(_logger, _profile.Channel, "signature");
            return Results.Unauthorized();
        }

        if (_profile.IsWeCom && fields.TryGetValue("AgentID", out var agentId) && agentId.Length > 0
            && agentId.Trim() != _profile.AgentId.ToString(CultureInfo.InvariantCulture))
        {
            // Authentic (signed, right CorpId) but meant for another app of the corporation.
            WeChatLog.UnknownType(_logger, _profile.Channel, "other AgentID");
            return SuccessResult();
        }

        if (WeChatNormalizer.IsSubscribe(fields) && !string.IsNullOrEmpty(_profile.WelcomeText)
            && fields.TryGetValue("FromUserName", out var subscriber) && subscriber.Length > 0)
        {
            // The welcome is the whole answer to a new follower: no agent turn, no second message.
            WeChatLog.EventAcknowledged(_logger, _profile.Channel, "subscribe", "welcome");
            var account = fields.TryGetValue("ToUserName", out var toAccount) ? toAccount : _profile.ReceiveId;
            return ReplyResult(new ReplyAddress(subscriber.Trim(), account, encrypted), _profile.WelcomeText);
        }

        var message = _normalizer.Normalize(fields, _profile.Channel, _profile.AccountId, plainXml);
        if (message is null)
        {
            if (WeChatNormalizer.EventName(fields) is { } ev)
            {
                // unsubscribe, VIEW, SCAN, LOCATION, CLICK without a key: acknowledged, never answered.
                WeChatLog.EventAcknowledged(_logger, _profile.Channel, ev, "no request");
            }
            else
            {
                WeChatLog.UnknownType(_logger, _profile.Channel, fields.TryGetValue("MsgType", out var type) ? type : "?");
            }

            return SuccessResult();
        }

        var reply = new ReplyAddress(message.Chat.Id, fields.TryGetValue("ToUserName", out var to) ? to : _profile.ReceiveId, encrypted);

        if (_profile.PassiveReplyWindowMs <= 0)
        {
            var result = await AcceptAsync(message, cancellationToken).ConfigureAwait(false);
            return result is null ? Results.StatusCode(StatusCodes.Status500InternalServerError) : SuccessResult();
        }

        return await AcceptAndWaitAsync(message, reply, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IResult> AcceptAndWaitAsync(ChannelMessage message, ReplyAddress reply, CancellationToken cancellationToken)
    {
        PassiveReplySlot slot;
        try
        {
            slot = await _handover.OpenAsync(message.IdempotencyKey, TimeSpan.FromMilliseconds(_profile.PassiveReplyWindowMs), cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The store is down: nothing is accepted, 500 so the platform redelivers.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            WeChatLog.PipelineFailed(_logger, ex, _profile.Channel);
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }

        message = message with { ReplyContext = WeChatSender.SlotPrefix + slot.Id };
        var result = await AcceptAsync(message, cancellationToken).ConfigureAwait(false);
        if (result is null || result.Outcome == InboundOutcome.Ignored || (result.Outcome == InboundOutcome.Duplicate && slot.Created))
        {
            // Nothing will answer through this slot (the pipeline failed, policy said no, or the run belongs to an
            // earlier, finished callback).
            if (slot.Created)
            {
                await _handover.CloseAsync(slot.Id, CancellationToken.None).ConfigureAwait(false);
            }

            return result is null ? Results.StatusCode(StatusCodes.Status500InternalServerError) : SuccessResult();
        }

        // Accepted, or a retry of a message whose callback is still waiting: wait on the same slot, wherever the run is.
        // An answer taken here is confirmed once it is on the response; otherwise the run sends it through the API.
        var text = await _handover.WaitAsync(slot.Id, slot.Remaining, cancellationToken).ConfigureAwait(false);
        if (text is null)
        {
            WeChatLog.PassiveReply(_logger, _profile.Channel, message.PlatformMessageId, "expired");
            return SuccessResult();
        }

        return new ConfirmedPassiveReply(ReplyResult(reply, WeChatPart.FromPayload(text)), _handover, slot.Id, _logger, _profile.Channel, message.PlatformMessageId);
    }

    /// <returns>The result, or null when the pipeline threw (the caller answers 500 so WeChat retries).</returns>
    private async Task<InboundResult?> AcceptAsync(ChannelMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var result = await _pipeline.AcceptAsync(message, cancellationToken).ConfigureAwait(false);
            WeChatLog.Accepted(_logger, _profile.Channel, message.PlatformMessageId, result.Outcome);
            return result;
        }
#pragma warning disable CA1031 // Any pipeline failure becomes a 500 so the platform redelivers.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            WeChatLog.PipelineFailed(_logger, ex, _profile.Channel);
            return null;
        }
    }

    private static IResult SuccessResult() => Results.Text(Success, "text/plain", Encoding.UTF8);

    private IResult ReplyResult(ReplyAddress reply, string text) => ReplyResult(reply, WeChatPart.OfText(text));

    private IResult ReplyResult(ReplyAddress reply, WeChatPart part)
    {
        var now = _time.GetUtcNow();
        var xml = part.MediaId is { } mediaId
            ? WeChatXml.BuildImageReply(reply.User, reply.Account, now, mediaId)
            : WeChatXml.BuildTextReply(reply.User, reply.Account, now, part.Text ?? string.Empty);
        if (reply.Encrypted && _crypto is not null)
        {
            var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var nonce = RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture);
            xml = _crypto.CreateEncryptedReply(xml, timestamp, nonce);
        }

        return Results.Text(xml, "application/xml", Encoding.UTF8);
    }

    private sealed record ReplyAddress(string User, string Account, bool Encrypted);
}
