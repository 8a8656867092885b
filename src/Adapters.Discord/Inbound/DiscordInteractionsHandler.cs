using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Discord;

/// <summary>Handles <c>POST</c> requests to the interactions endpoint: verify the Ed25519 signature (401 when bad or
/// missing), answer PING with PONG, and hand application commands to the pipeline before answering
/// <c>{"type":5}</c> (deferred; the agent's answer edits it later). Follows
/// discord.com/developers/docs/interactions/receiving-and-responding.</summary>
internal sealed partial class DiscordInteractionsHandler(
    DiscordSignatureVerifier verifier,
    DiscordNormalizer normalizer,
    ILogger<DiscordInteractionsHandler> logger)
{
    /// <summary>Largest accepted body, in bytes (interactions are a few KB), declared as the endpoint's request size
    /// limit.</summary>
    public const int MaxBodyBytes = 1 << 20;

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var body = await RequestBody.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            LogMalformed("body too large");
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var signature = context.Request.Headers["X-Signature-Ed25519"].ToString();
        var timestamp = context.Request.Headers["X-Signature-Timestamp"].ToString();
        if (!verifier.Verify(signature, timestamp, body))
        {
            LogBadSignature();
            return Results.Unauthorized();
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            LogMalformed("not JSON");
            return Results.BadRequest();
        }

        using (doc)
        {
            var root = doc.RootElement;
            var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32() : -1;
            switch (type)
            {
                case 1:
                    return Json(new JsonObject { ["type"] = 1 });
                case 2:
                    return await AcceptCommandAsync(context, root, cancellationToken).ConfigureAwait(false);
                case 3:
                case 5:
                    // Components and modal submits are not used by the hub: acknowledge without changing anything.
                    return Json(new JsonObject { ["type"] = 6 });
                case 4:
                    return Json(new JsonObject { ["type"] = 8, ["data"] = new JsonObject { ["choices"] = new JsonArray() } });
                default:
                    LogMalformed("unknown interaction type");
                    return Results.BadRequest();
            }
        }
    }

    private async Task<IResult> AcceptCommandAsync(HttpContext context, JsonElement root, CancellationToken cancellationToken)
    {
        ChannelMessage? message;
        try
        {
            message = normalizer.NormalizeInteraction(root);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException)
        {
            LogMalformed(ex.GetType().Name);
            return Results.BadRequest();
        }

        if (message is null)
        {
            LogMalformed("command without channel");
            return Results.BadRequest();
        }

        InboundResult result;
        try
        {
            var pipeline = context.RequestServices.GetRequiredService<IInboundPipeline>();
            result = await pipeline.AcceptAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPipelineFailed(message.PlatformMessageId, ex.GetType().Name);
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }

        LogAccepted(message.PlatformMessageId, result.Outcome.ToString());
        return Json(DiscordInteractionResponse.ForCommand(result.Outcome));
    }

    private static IResult Json(JsonObject body) => Results.Content(body.ToJsonString(), "application/json");

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Discord interaction rejected: bad or missing signature")]
    private partial void LogBadSignature();

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "Discord interaction malformed: {Problem}")]
    private partial void LogMalformed(string problem);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Error, Message = "Inbound pipeline failed for Discord interaction {InteractionId} ({Error})")]
    private partial void LogPipelineFailed(string interactionId, string error);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Debug, Message = "Discord interaction {InteractionId}: {Outcome}")]
    private partial void LogAccepted(string interactionId, string outcome);
}
