using System.ClientModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace OpenClaw.Channels.Agent;

/// <summary>One model call of a turn, through <see cref="ModelRequestLimiter"/>: a <c>chat</c> span and the
/// model-call duration metric; streamed when a <see cref="PartialTextThrottle"/> is given. A failure after the client's
/// retries becomes a <see cref="ModelCallResult"/> with a user-facing text and a log summary, neither carrying the
/// response body or the API key; only the caller's cancellation propagates.</summary>
internal sealed class ModelCaller(IOptions<AgentOptions> options, ModelRequestLimiter limiter, AgentDiagnostics diagnostics, TimeProvider timeProvider)
{
    /// <summary>Calls the model with <paramref name="messages"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ModelCallResult> CallAsync(
        IChatClient client,
        List<ChatMessage> messages,
        ChatOptions chatOptions,
        AgentRunRequest request,
        int iteration,
        PartialTextThrottle? partial,
        CancellationToken cancellationToken)
    {
        var o = options.Value;
        var started = timeProvider.GetTimestamp();
        using var activity = diagnostics.ActivitySource.StartActivity("chat " + o.Model, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("gen_ai.operation.name", "chat");
            activity.SetTag("gen_ai.request.model", o.Model);
            activity.SetTag("server.address", Uri.TryCreate(o.Endpoint, UriKind.Absolute, out var uri) ? uri.Host : null);
            activity.SetTag("openclaw.session_key", request.SessionKey);
            activity.SetTag("openclaw.agent.iteration", iteration);
            activity.SetTag("openclaw.agent.streaming", partial is not null);
        }

        var outcome = "ok";
        try
        {
            using var lease = await limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                outcome = "busy";
                activity?.SetStatus(ActivityStatusCode.Error, "limiter queue full");
                return ModelCallResult.Failed(
                    "Sorry — the assistant is busy right now. Please try again in a minute.",
                    "Model request queue is full (Agent:MaxQueuedRequests).");
            }

            ChatResponse response;
            if (partial is null)
            {
                response = await client.GetResponseAsync(messages, chatOptions, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var updates = new List<ChatResponseUpdate>();
                var text = new StringBuilder();
                await foreach (var update in client.GetStreamingResponseAsync(messages, chatOptions, cancellationToken).ConfigureAwait(false))
                {
                    updates.Add(update);
                    var delta = update.Text;
                    if (!string.IsNullOrEmpty(delta))
                    {
                        text.Append(delta);
                        await partial.EmitAsync(text.ToString(), cancellationToken).ConfigureAwait(false);
                    }
                }

                response = updates.ToChatResponse();
            }

            activity?.SetTag("gen_ai.response.finish_reasons", response.FinishReason?.Value);
            return ModelCallResult.Success(response);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            outcome = "error";
            var (detail, error) = Describe(ex);
            activity?.SetStatus(ActivityStatusCode.Error, error);
            return ModelCallResult.Failed($"Sorry — the model is unavailable right now ({detail}). Please try again later.", error);
        }
        finally
        {
            diagnostics.ModelCallDuration.Record(
                timeProvider.GetElapsedTime(started).TotalMilliseconds,
                new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    /// <summary>Short user-facing detail and a log/job-history summary of a model failure; neither carries the
    /// response body or the API key.</summary>
    private (string Detail, string Error) Describe(Exception ex)
    {
        var (detail, error) = ex switch
        {
            ClientResultException { Status: > 0 } cre => (
                string.Create(CultureInfo.InvariantCulture, $"HTTP {cre.Status}"),
                string.Create(CultureInfo.InvariantCulture, $"Model endpoint answered HTTP {cre.Status} after retries.")),
            ClientResultException cre when cre.InnerException is TimeoutRejectedException or TimeoutException or OperationCanceledException
                => ("timeout", "Model request timed out after retries."),
            ClientResultException cre => ("no response", $"Model endpoint unreachable: {cre.InnerException?.GetType().Name ?? nameof(ClientResultException)}."),
            TimeoutRejectedException or TimeoutException or OperationCanceledException => ("timeout", "Model request timed out after retries."),
            HttpRequestException hre => ("no response", $"Model endpoint unreachable: {hre.HttpRequestError}."),
            _ => ("unexpected error", $"Model call failed: {ex.GetType().Name}."),
        };
        return (detail, Scrub(error));
    }

    private string Scrub(string text)
    {
        var key = options.Value.ApiKey;
        return string.IsNullOrEmpty(key) ? text : text.Replace(key, "***", StringComparison.Ordinal);
    }
}
