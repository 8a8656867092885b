using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Slack;

/// <summary>Handles Slack's form-encoded requests, signed like events (docs.slack.dev/authentication/verifying-requests-from-slack):
/// <c>POST /webhooks/slack/commands</c> (slash commands, docs.slack.dev/interactivity/implementing-slash-commands) is
/// handed to the pipeline and acknowledged at once (Slack wants the answer within 3 s; the agent's answer goes to the
/// command's <c>response_url</c>); <c>POST /webhooks/slack/interactive</c> (block actions, shortcuts, view submissions,
/// docs.slack.dev/interactivity/handling-user-interaction) is acknowledged with an empty 200.</summary>
internal sealed class SlackInteractivityEndpoint(
    SlackInboundProcessor processor,
    IOptions<SlackOptions> options,
    TimeProvider timeProvider,
    ILogger<SlackInteractivityEndpoint> logger)
{
    /// <summary>A slash command: 200 with <c>{"response_type":…}</c> once accepted (so an <c>in_channel</c> command
    /// stays visible), 200 empty for a duplicate or a message the policy ignored, 401 on a bad signature, 400 when a
    /// field is missing, 500 when the pipeline failed.</summary>
    public async Task<IResult> HandleCommandAsync(HttpContext context)
    {
        var (form, rejected) = await ReadSignedFormAsync(context).ConfigureAwait(false);
        if (rejected is not null)
        {
            return rejected;
        }

        var fields = form!.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        InboundResult result;
        try
        {
            result = await processor.ProcessCommandAsync(fields, context.RequestAborted).ConfigureAwait(false);
        }
        catch (FormatException e)
        {
            SlackLog.MalformedPayload(logger, e.Message);
            return Results.BadRequest();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }

        return result.Outcome == InboundOutcome.Accepted
            ? Results.Json(new Dictionary<string, string> { ["response_type"] = options.Value.SlashCommandResponseType })
            : Results.Ok();
    }

    /// <summary>An interaction payload (form field <c>payload</c>, JSON with a <c>type</c>): acknowledged with an empty
    /// 200, which also closes a submitted modal; 401 on a bad signature, 400 when <c>payload</c> is missing or not JSON.</summary>
    public async Task<IResult> HandleInteractiveAsync(HttpContext context)
    {
        var (form, rejected) = await ReadSignedFormAsync(context).ConfigureAwait(false);
        if (rejected is not null)
        {
            return rejected;
        }

        var payload = form!.TryGetValue("payload", out var p) ? p.ToString() : string.Empty;
        try
        {
            using var doc = JsonDocument.Parse(payload);
            var type = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString()
                : null;
            if (type is null)
            {
                SlackLog.MalformedPayload(logger, "interaction payload without type");
                return Results.BadRequest();
            }

            SlackLog.EnvelopeIgnored(logger, type);
            return Results.Ok();
        }
        catch (JsonException)
        {
            SlackLog.MalformedPayload(logger, "interaction payload is not JSON");
            return Results.BadRequest();
        }
    }

    private async Task<(Dictionary<string, Microsoft.Extensions.Primitives.StringValues>? Form, IResult? Rejected)> ReadSignedFormAsync(HttpContext context)
    {
        var o = options.Value;
        var body = await RequestBody.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            SlackLog.RequestRejected(logger, "body too large");
            return (null, Results.StatusCode(StatusCodes.Status413PayloadTooLarge));
        }

        var headers = context.Request.Headers;
        if (string.IsNullOrEmpty(o.SigningSecret)
            || !SlackSignatureVerifier.IsValid(o.SigningSecret, headers["X-Slack-Request-Timestamp"].ToString(), headers["X-Slack-Signature"].ToString(), body, timeProvider.GetUtcNow(), o.SignatureTolerance))
        {
            SlackLog.RequestRejected(logger, "bad or stale signature");
            return (null, Results.Unauthorized());
        }

        return (QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)), null);
    }
}
