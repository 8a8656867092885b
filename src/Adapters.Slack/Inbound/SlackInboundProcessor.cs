using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Channels.Slack;

/// <summary>Normalizes an <c>event_callback</c> and hands it to the hub's pipeline; shared by the Events API endpoint
/// and the Socket Mode worker.</summary>
internal sealed class SlackInboundProcessor(SlackNormalizer normalizer, IInboundPipeline pipeline, ILogger<SlackInboundProcessor> logger)
{
    /// <summary>Processes one envelope.</summary>
    /// <param name="envelope">The <c>event_callback</c> object.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The pipeline's result, or null when the adapter dropped the event.</returns>
    /// <exception cref="FormatException">The envelope is malformed.</exception>
    /// <remarks>Exceptions of the pipeline propagate: the caller must not acknowledge, so Slack redelivers.</remarks>
    public async Task<InboundResult?> ProcessAsync(JsonElement envelope, CancellationToken cancellationToken)
    {
        var normalized = await normalizer.NormalizeAsync(envelope, cancellationToken).ConfigureAwait(false);
        if (normalized.Message is null)
        {
            SlackLog.EventDropped(logger, normalized.EventId, normalized.DropReason ?? "?");
            return null;
        }

        try
        {
            var result = await pipeline.AcceptAsync(normalized.Message, cancellationToken).ConfigureAwait(false);
            SlackLog.EventHandled(logger, normalized.EventId, result.Outcome);
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            SlackLog.PipelineFailed(logger, normalized.EventId, e);
            throw;
        }
    }

    /// <summary>Processes one slash command (HTTP or Socket Mode).</summary>
    /// <param name="fields">The command fields.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The pipeline's result.</returns>
    /// <exception cref="FormatException">A required field is missing.</exception>
    /// <remarks>Exceptions of the pipeline propagate: the caller answers 500 (HTTP) or does not ack (Socket Mode).</remarks>
    public async Task<InboundResult> ProcessCommandAsync(IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken)
    {
        var message = await normalizer.NormalizeCommandAsync(fields, cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await pipeline.AcceptAsync(message, cancellationToken).ConfigureAwait(false);
            SlackLog.EventHandled(logger, message.PlatformMessageId, result.Outcome);
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            SlackLog.PipelineFailed(logger, message.PlatformMessageId, e);
            throw;
        }
    }
}
