using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Telegram;

/// <summary>Handles <c>POST /webhooks/telegram</c> (core.telegram.org/bots/api#setwebhook): verifies
/// <c>X-Telegram-Bot-Api-Secret-Token</c> in constant time (401 and nothing accepted when missing or wrong), parses
/// the <c>Update</c> (400 when malformed), ignores unhandled update types (200), hands the message to
/// <see cref="IInboundPipeline"/> and answers 200 only after it returned (500 when it throws, so Telegram redelivers;
/// 503 when <c>getMe</c> is unavailable).</summary>
internal sealed class TelegramWebhookEndpoint(
    TelegramNormalizer normalizer,
    TelegramBotIdentity identity,
    IInboundPipeline pipeline,
    IOptions<TelegramOptions> options,
    ILogger<TelegramWebhookEndpoint> logger)
{
    /// <summary>The header Telegram echoes the <c>secret_token</c> in.</summary>
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    /// <summary>Largest accepted body, in bytes (updates are a few KB), declared as the endpoint's request size
    /// limit.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var secret = options.Value.WebhookSecret;
        if (string.IsNullOrEmpty(secret))
        {
            TelegramLog.WebhookRejected(logger, "no WebhookSecret configured");
            return Results.Unauthorized();
        }

        if (!context.Request.Headers.TryGetValue(SecretHeader, out var presented) || presented.Count != 1
            || !SecretComparer.Matches(presented[0] ?? string.Empty, secret))
        {
            TelegramLog.WebhookRejected(logger, "missing or wrong secret token");
            return Results.Unauthorized();
        }

        var body = await RequestBody.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            TelegramLog.WebhookMalformed(logger, MaxBodyBytes, "body too large");
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        if (!TelegramUpdateParser.TryParse(body, out var update, out var error))
        {
            TelegramLog.WebhookMalformed(logger, body.Length, error);
            return Results.BadRequest();
        }

        TelegramBotInfo bot;
        try
        {
            bot = await identity.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            TelegramLog.GetMeFailed(logger, ex);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        var message = normalizer.Normalize(update!, Encoding.UTF8.GetString(body), bot);
        if (message is null)
        {
            TelegramLog.UpdateIgnored(logger, update!.Id, update.Type.ToString());
            return Results.Ok();
        }

        try
        {
            await pipeline.AcceptAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            TelegramLog.PipelineFailed(logger, update!.Id, ex);
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }

        return Results.Ok();
    }
}
