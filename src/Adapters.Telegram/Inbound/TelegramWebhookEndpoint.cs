using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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

    /// <summary>Largest accepted body, in bytes (updates are a few KB).</summary>
    private const int MaxBodyBytes = 1024 * 1024;

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
            || !SecretsEqual(presented[0] ?? string.Empty, secret))
        {
            TelegramLog.WebhookRejected(logger, "missing or wrong secret token");
            return Results.Unauthorized();
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            TelegramLog.WebhookMalformed(logger, MaxBodyBytes, "body too large");
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        byte[] body;
        using (var buffer = new MemoryStream())
        {
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    TelegramLog.WebhookMalformed(logger, MaxBodyBytes, "body too large");
                    return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
                }

                buffer.Write(chunk, 0, read);
            }

            body = buffer.ToArray();
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

    /// <summary>Compares SHA-256 digests with <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither the
    /// content nor the length of the secret leaks through timing.</summary>
    private static bool SecretsEqual(string presented, string expected)
    {
        Span<byte> a = stackalloc byte[32];
        Span<byte> b = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
