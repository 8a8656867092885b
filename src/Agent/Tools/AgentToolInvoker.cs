using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Agent;

/// <summary>Invokes one tool call, bounded by <see cref="AgentOptions.ToolTimeoutSeconds"/>. An unknown tool, unparsable
/// arguments, a timeout or an exception become an <c>Error: …</c> text for the model; only the caller's cancellation
/// propagates. Files in a result (<see cref="ToolResultFiles"/>) go to the answer; the model gets a text in their place.</summary>
internal sealed partial class AgentToolInvoker(IOptions<AgentOptions> options, AgentDiagnostics diagnostics, ILogger logger)
{
    /// <summary>Runs <paramref name="call"/>.</summary>
    /// <param name="call">The model's tool call.</param>
    /// <param name="functions">The turn's tools by name.</param>
    /// <param name="sessionKey">The session (for logs).</param>
    /// <param name="files">The answer's files; a file the tool returns is added.</param>
    /// <param name="cancellationToken">The turn's cancellation.</param>
    /// <returns>The tool's result for the model (a file replaced by its description), or an error text.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<object?> InvokeAsync(
        FunctionCallContent call,
        Dictionary<string, AIFunction> functions,
        string sessionKey,
        List<OutboundFile> files,
        CancellationToken cancellationToken)
    {
        if (!functions.TryGetValue(call.Name, out var function))
        {
            LogToolFailed(logger, call.Name, sessionKey, "unknown tool");
            return $"Error: there is no tool named '{call.Name}'.";
        }

        if (call.Exception is not null)
        {
            LogToolFailed(logger, call.Name, sessionKey, "unparsable arguments");
            return $"Error: the arguments for '{call.Name}' are not valid JSON: {call.Exception.Message}";
        }

        var timeout = TimeSpan.FromSeconds(options.Value.ToolTimeoutSeconds);
        using var activity = diagnostics.ActivitySource.StartActivity("execute_tool " + call.Name, ActivityKind.Internal);
        activity?.SetTag("gen_ai.operation.name", "execute_tool");
        activity?.SetTag("gen_ai.tool.name", call.Name);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            var arguments = new AIFunctionArguments(call.Arguments ?? new Dictionary<string, object?>());
            var result = await function.InvokeAsync(arguments, cts.Token).AsTask().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            var count = files.Count;
            result = ToolResultFiles.Take(result, call.Name, files, options.Value.MaxToolFileBytes);
            for (var i = count; i < files.Count; i++)
            {
                LogToolFile(logger, call.Name, sessionKey, files[i].MediaType, files[i].SizeBytes);
            }

            return result;
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogToolFailed(logger, call.Name, sessionKey, "timeout");
            activity?.SetStatus(ActivityStatusCode.Error, "timeout");
            return string.Create(CultureInfo.InvariantCulture, $"Error: the tool '{call.Name}' timed out after {timeout.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogToolFailed(logger, call.Name, sessionKey, ex.GetType().Name);
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            return $"Error: the tool '{call.Name}' failed: {ex.Message}";
        }
    }

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Tool {Tool} failed in session {SessionKey}: {Reason}")]
    private static partial void LogToolFailed(ILogger logger, string tool, string sessionKey, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Debug, Message = "Tool {Tool} in session {SessionKey} returned a file ({MediaType}, {SizeBytes} bytes) for the answer")]
    private static partial void LogToolFile(ILogger logger, string tool, string sessionKey, string mediaType, long sizeBytes);
}
