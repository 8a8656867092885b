using System.ClientModel;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using ChatCompletionOptions = OpenAI.Chat.ChatCompletionOptions;
using ChatTool = OpenAI.Chat.ChatTool;

namespace OpenClaw.Channels.Agent;

/// <summary>
/// The agent loop: system prompt + last <see cref="AgentOptions.HistoryEntries"/> transcript entries + the new messages
/// (+ the prompt) → model → tool calls (each bounded by <see cref="AgentOptions.ToolTimeoutSeconds"/>; failures go back to
/// the model as error text) → model … until a final answer or <see cref="AgentOptions.MaxIterations"/> model calls.
/// </summary>
/// <remarks>
/// Transcript: a <see cref="AgentRunStatus.Completed"/> or <see cref="AgentRunStatus.IterationLimit"/> turn appends the user
/// entries and the assistant text; a <see cref="AgentRunStatus.ModelFailed"/> or <see cref="AgentRunStatus.ModelNotConfigured"/>
/// turn appends nothing (the user is asked to try again). Every model call goes through <see cref="ModelRequestLimiter"/>.
/// </remarks>
internal sealed partial class AgentRunner(
    IOptions<AgentOptions> options,
    ModelClientFactory clientFactory,
    ModelRequestLimiter limiter,
    ITranscriptStore transcripts,
    IEnumerable<IAgentToolProvider> toolProviders,
    InboundMediaReader media,
    AgentDiagnostics diagnostics,
    TimeProvider timeProvider,
    ILogger<AgentRunner> logger) : IAgentRunner
{
    private const int MaxCachedToolDefinitions = 256;

    private readonly ConcurrentDictionary<string, ChatTool> _openAiTools = new(StringComparer.Ordinal);

    /// <summary>Least time between two <see cref="AgentRunRequest.OnPartialText"/> calls, in ms.</summary>
    private const int PartialTextIntervalMs = 500;

    public async Task<AgentRunResult> RunAsync(AgentRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.SessionKey);
        if (request.Messages.Count == 0 && string.IsNullOrWhiteSpace(request.Prompt))
        {
            throw new ArgumentException("A turn needs at least one message or a prompt.", nameof(request));
        }

        var started = timeProvider.GetTimestamp();
        using var activity = StartRunActivity(request);
        var result = await RunCoreAsync(request, cancellationToken).ConfigureAwait(false);
        var status = result.Status.ToString();
        diagnostics.RunDuration.Record(timeProvider.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("status", status));
        activity?.SetTag("openclaw.agent.status", status);
        activity?.SetTag("openclaw.agent.iterations", result.Iterations);
        if (result.Status is AgentRunStatus.ModelFailed or AgentRunStatus.ModelNotConfigured)
        {
            activity?.SetStatus(ActivityStatusCode.Error, result.Error);
        }

        return result;
    }

    private async Task<AgentRunResult> RunCoreAsync(AgentRunRequest request, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!clientFactory.IsConfigured)
        {
            LogNotConfigured(logger, request.SessionKey);
            return new AgentRunResult(
                AgentRunStatus.ModelNotConfigured,
                "The assistant is not configured yet: the model endpoint is missing. Set Agent:Endpoint (environment variable Agent__Endpoint) to an OpenAI-compatible base URL such as https://api.openai.com/v1 and restart.",
                0,
                "Agent:Endpoint is not set.");
        }

        var turn = await media.ReadAsync(request.Messages, cancellationToken).ConfigureAwait(false);
        var userEntries = BuildUserEntries(request, turn);
        var history = await transcripts.LoadAsync(request.SessionKey, o.HistoryEntries, cancellationToken).ConfigureAwait(false);
        var messages = new List<ChatMessage>(history.Count + userEntries.Count + 1);
        if (!string.IsNullOrWhiteSpace(o.SystemPrompt))
        {
            messages.Add(new ChatMessage(ChatRole.System, o.SystemPrompt));
        }

        foreach (var entry in history)
        {
            if (ToChatRole(entry.Role) is { } role)
            {
                messages.Add(new ChatMessage(role, entry.Content));
            }
        }

        for (var i = 0; i < userEntries.Count; i++)
        {
            // Images go to the model next to their message's text (an OpenAI image_url part with a data: URL); the
            // transcript keeps only the text, whose attachment references say an image was sent.
            var images = i < turn.Count ? turn[i].Images : [];
            messages.Add(images.Count == 0
                ? new ChatMessage(ChatRole.User, userEntries[i].Content)
                : new ChatMessage(ChatRole.User, [new TextContent(userEntries[i].Content), .. images]));
        }

        var toolContext = new AgentToolContext(request.SessionKey, request.Target);
        var functions = CollectTools(toolContext, out var tools);
        var chatOptions = ToChatOptions(tools);
        var partial = request.OnPartialText is null ? null : new PartialTextState(request.OnPartialText, timeProvider, logger);

        var client = clientFactory.GetClient();
        for (var iteration = 1; iteration <= o.MaxIterations; iteration++)
        {
            var call = await CallModelAsync(client, messages, chatOptions, request, iteration, partial, cancellationToken).ConfigureAwait(false);
            if (call.Response is not { } response)
            {
                LogModelFailed(logger, request.SessionKey, call.Error!);
                return new AgentRunResult(AgentRunStatus.ModelFailed, call.UserText!, iteration, call.Error);
            }

            messages.AddRange(response.Messages);
            var toolCalls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            if (toolCalls.Count == 0)
            {
                var text = response.Text.Trim();
                if (text.Length == 0)
                {
                    text = "(The model returned an empty answer.)";
                }

                await AppendTurnAsync(request.SessionKey, userEntries, text, cancellationToken).ConfigureAwait(false);
                if (partial is not null)
                {
                    await partial.EmitFinalAsync(text, cancellationToken).ConfigureAwait(false);
                }

                return new AgentRunResult(AgentRunStatus.Completed, text, iteration);
            }

            if (iteration == o.MaxIterations)
            {
                break;
            }

            foreach (var toolCall in toolCalls)
            {
                var result = await InvokeToolAsync(toolCall, functions, request.SessionKey, cancellationToken).ConfigureAwait(false);
                messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(toolCall.CallId, result)]));
            }
        }

        LogIterationLimit(logger, request.SessionKey, o.MaxIterations);
        var limitText = string.Create(
            CultureInfo.InvariantCulture,
            $"I stopped after {o.MaxIterations} steps without reaching a final answer. Please try again, perhaps with a simpler request.");
        await AppendTurnAsync(request.SessionKey, userEntries, limitText, cancellationToken).ConfigureAwait(false);
        return new AgentRunResult(AgentRunStatus.IterationLimit, limitText, o.MaxIterations, "MaxIterations reached.");
    }

    private List<TranscriptEntry> BuildUserEntries(AgentRunRequest request, List<UserTurnMessage> turn)
    {
        var entries = new List<TranscriptEntry>(request.Messages.Count + 1);
        for (var i = 0; i < request.Messages.Count; i++)
        {
            entries.Add(new TranscriptEntry("user", turn[i].Text, request.Messages[i].Timestamp.ToUniversalTime()));
        }

        if (!string.IsNullOrWhiteSpace(request.Prompt))
        {
            entries.Add(new TranscriptEntry("user", request.Prompt.Trim(), timeProvider.GetUtcNow()));
        }

        return entries;
    }

    private Task AppendTurnAsync(string sessionKey, List<TranscriptEntry> userEntries, string answer, CancellationToken cancellationToken)
    {
        var entries = new List<TranscriptEntry>(userEntries) { new("assistant", answer, timeProvider.GetUtcNow()) };
        return transcripts.AppendAsync(sessionKey, entries, cancellationToken);
    }

    private static ChatRole? ToChatRole(string role) => role switch
    {
        "user" => ChatRole.User,
        "assistant" => ChatRole.Assistant,
        "system" => ChatRole.System,
        _ => null, // tool results without their call ids cannot be replayed to an OpenAI-compatible endpoint
    };

    /// <summary>The tools go to the model as OpenAI <see cref="ChatTool"/>s converted once per distinct definition:
    /// Microsoft.Extensions.AI would convert every tool's JSON schema again on every request (about 4 % of the hub's CPU
    /// per message with five tools, measured with bench/Load). The hub's own loop invokes the tools, so
    /// <see cref="ChatOptions.Tools"/> carries only tools that are not functions.</summary>
    private ChatOptions ToChatOptions(List<AITool> tools)
    {
        if (tools.Count == 0)
        {
            return new ChatOptions();
        }

        if (_openAiTools.Count > MaxCachedToolDefinitions)
        {
            _openAiTools.Clear();
        }

        var converted = new List<ChatTool>(tools.Count);
        List<AITool>? others = null;
        foreach (var tool in tools)
        {
            if (tool is AIFunctionDeclaration function)
            {
                var key = string.Concat(function.Name, "\n", function.Description, "\n", function.JsonSchema.GetRawText());
                converted.Add(_openAiTools.GetOrAdd(key, static (_, f) => OpenAI.Chat.MicrosoftExtensionsAIChatExtensions.AsOpenAIChatTool(f), function));
            }
            else
            {
                (others ??= []).Add(tool);
            }
        }

        return new ChatOptions
        {
            Tools = others,
            RawRepresentationFactory = _ =>
            {
                var completionOptions = new ChatCompletionOptions();
                foreach (var tool in converted)
                {
                    completionOptions.Tools.Add(tool);
                }

                return completionOptions;
            },
        };
    }

    private Dictionary<string, AIFunction> CollectTools(AgentToolContext context, out List<AITool> tools)
    {
        tools = [];
        var functions = new Dictionary<string, AIFunction>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var provider in toolProviders)
        {
            foreach (var tool in provider.GetTools(context))
            {
                if (!names.Add(tool.Name))
                {
                    LogDuplicateTool(logger, tool.Name);
                    continue;
                }

                tools.Add(tool);
                if (tool is AIFunction function)
                {
                    functions[function.Name] = function;
                }
            }
        }

        return functions;
    }

    private async Task<ModelCallResult> CallModelAsync(
        IChatClient client,
        List<ChatMessage> messages,
        ChatOptions chatOptions,
        AgentRunRequest request,
        int iteration,
        PartialTextState? partial,
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

    private async Task<object?> InvokeToolAsync(
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

    private Activity? StartRunActivity(AgentRunRequest request)
    {
        ActivityContext parent = default;
        if (Activity.Current is null && IsTraceId(request.TraceId))
        {
            parent = new ActivityContext(
                ActivityTraceId.CreateFromString(request.TraceId),
                ActivitySpanId.CreateRandom(),
                ActivityTraceFlags.Recorded,
                isRemote: true);
        }

        var activity = diagnostics.ActivitySource.StartActivity("agent.run", ActivityKind.Internal, parent);
        activity?.SetTag("openclaw.session_key", request.SessionKey);
        activity?.SetTag("openclaw.agent.messages", request.Messages.Count);
        return activity;
    }

    private static bool IsTraceId([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? value)
        => value is { Length: 32 } && value.All(char.IsAsciiHexDigitLower) && value.Any(c => c != '0');

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Agent:Endpoint is not set; session {SessionKey} gets the not-configured reply")]
    private static partial void LogNotConfigured(ILogger logger, string sessionKey);

    // Debug: the failure is the run's result; the caller (the hub's job) logs it once, so one failed call is one line.
    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Model call failed for session {SessionKey}: {Error}")]
    private static partial void LogModelFailed(ILogger logger, string sessionKey, string error);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Session {SessionKey} reached MaxIterations ({MaxIterations}) without a final answer")]
    private static partial void LogIterationLimit(ILogger logger, string sessionKey, int maxIterations);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Tool {Tool} failed in session {SessionKey}: {Reason}")]
    private static partial void LogToolFailed(ILogger logger, string tool, string sessionKey, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Two tools are named {Tool}; the later one is ignored")]
    private static partial void LogDuplicateTool(ILogger logger, string tool);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "The partial-text callback failed ({ExceptionType}); streaming updates stop for this turn")]
    private static partial void LogPartialTextFailed(ILogger logger, string exceptionType);

    /// <summary>Outcome of one model call: a response, or a user-facing text and an error summary.</summary>
    private readonly record struct ModelCallResult(ChatResponse? Response, string? UserText, string? Error)
    {
        public static ModelCallResult Success(ChatResponse response) => new(response, null, null);

        public static ModelCallResult Failed(string userText, string error) => new(null, userText, error);
    }

    /// <summary>Throttles <see cref="AgentRunRequest.OnPartialText"/> to one call per <see cref="PartialTextIntervalMs"/>.</summary>
    private sealed class PartialTextState(Func<string, CancellationToken, Task> callback, TimeProvider timeProvider, ILogger logger)
    {
        private long _lastEmit;
        private string? _lastSent;
        private bool _disabled;

        public async Task EmitAsync(string text, CancellationToken cancellationToken)
        {
            if (_disabled || (_lastSent is not null && timeProvider.GetElapsedTime(_lastEmit).TotalMilliseconds < PartialTextIntervalMs))
            {
                return;
            }

            await SendAsync(text, cancellationToken).ConfigureAwait(false);
        }

        public async Task EmitFinalAsync(string text, CancellationToken cancellationToken)
        {
            if (!_disabled && !string.Equals(text, _lastSent, StringComparison.Ordinal))
            {
                await SendAsync(text, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task SendAsync(string text, CancellationToken cancellationToken)
        {
            _lastEmit = timeProvider.GetTimestamp();
            _lastSent = text;
            try
            {
                await callback(text, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _disabled = true;
                LogPartialTextFailed(logger, ex.GetType().Name);
            }
        }
    }
}
