using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Agent;

/// <summary>Invokes one tool call, bounded by <see cref="AgentOptions.ToolTimeoutSeconds"/>. An unknown tool, unparsable
/// arguments, a timeout or an exception become an <c>Error: …</c> text for the model; only the caller's cancellation
/// propagates.</summary>
internal sealed partial class AgentToolInvoker(IOptions<AgentOptions> options, AgentDiagnostics diagnostics, ILogger logger)
{
    /// <summary>Runs <paramref name="call"/>.</summary>
    /// <returns>The tool's result, or an error text.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<object?> InvokeAsync(
        FunctionCallContent call,
        Dictionary<string, AIFunction> functions,
        string sessionKey,
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
            return await function.InvokeAsync(arguments, cts.Token).AsTask().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
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
}
