using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Slack;

/// <summary>Handles <c>POST /webhooks/slack/events</c>: verifies the signature over the raw body, answers
/// <c>url_verification</c>, hands <c>event_callback</c>s to the pipeline and only then answers 200
/// (docs.slack.dev/apis/events-api/).</summary>
internal sealed class SlackEventsEndpoint(
    SlackInboundProcessor processor,
    IOptions<SlackOptions> options,
    TimeProvider timeProvider,
    ILogger<SlackEventsEndpoint> logger)
{
    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var o = options.Value;
        var ct = context.RequestAborted;
        var body = await RequestBody.ReadAsync(context.Request, ct).ConfigureAwait(false);
        if (body is null)
        {
            SlackLog.RequestRejected(logger, "body too large");
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var headers = context.Request.Headers;
        if (string.IsNullOrEmpty(o.SigningSecret)
            || !SlackSignatureVerifier.IsValid(o.SigningSecret, headers["X-Slack-Request-Timestamp"].ToString(), headers["X-Slack-Signature"].ToString(), body, timeProvider.GetUtcNow(), o.SignatureTolerance))
        {
            SlackLog.RequestRejected(logger, "bad or stale signature");
            return Results.Unauthorized();
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return Malformed(context, "body is not JSON");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                return Malformed(context, "no type");
            }

            switch (typeElement.GetString())
            {
                case "url_verification":
                    var challenge = root.TryGetProperty("challenge", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                    return challenge is null ? Malformed(context, "url_verification without challenge") : Results.Text(challenge, "text/plain", Encoding.UTF8);
                case "event_callback":
                    try
                    {
                        await processor.ProcessAsync(root, ct).ConfigureAwait(false);
                    }
                    catch (FormatException e)
                    {
                        return Malformed(context, e.Message);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // Logged by the processor; a non-2xx makes Slack redeliver.
                        return Results.StatusCode(StatusCodes.Status500InternalServerError);
                    }

                    return Results.Ok();
                default:
                    return Results.Ok();
            }
        }
    }

    private IResult Malformed(HttpContext context, string reason)
    {
        SlackLog.MalformedPayload(logger, reason);
        context.Response.Headers["X-Slack-No-Retry"] = "1";
        return Results.BadRequest();
    }
}
