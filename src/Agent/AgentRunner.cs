using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
/// The parts: <see cref="AgentToolCatalog"/> (the turn's tools and their cached OpenAI definitions), <see cref="ModelCaller"/>
/// (one model call), <see cref="AgentToolInvoker"/> (one tool call) and <see cref="PartialTextThrottle"/> (streamed text).
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
    private readonly AgentToolCatalog _tools = new(toolProviders, logger);
    private readonly ModelCaller _model = new(options, limiter, diagnostics, timeProvider);
    private readonly AgentToolInvoker _invoker = new(options, diagnostics, logger);

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
        var functions = _tools.Collect(toolContext, out var tools);
        var chatOptions = _tools.ToChatOptions(tools);
        var partial = request.OnPartialText is null ? null : new PartialTextThrottle(request.OnPartialText, timeProvider, logger);

        var files = new List<OutboundFile>();
        var client = clientFactory.GetClient();
        for (var iteration = 1; iteration <= o.MaxIterations; iteration++)
        {
            var call = await _model.CallAsync(client, messages, chatOptions, request, iteration, partial, cancellationToken).ConfigureAwait(false);
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

                await AppendTurnAsync(request.SessionKey, userEntries, text, files, cancellationToken).ConfigureAwait(false);
                if (partial is not null)
                {
                    await partial.EmitFinalAsync(text, cancellationToken).ConfigureAwait(false);
                }

                return new AgentRunResult(AgentRunStatus.Completed, text, iteration) { Files = files };
            }

            if (iteration == o.MaxIterations)
            {
                break;
            }

            foreach (var toolCall in toolCalls)
            {
                var result = await _invoker.InvokeAsync(toolCall, functions, request.SessionKey, files, cancellationToken).ConfigureAwait(false);
                messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(toolCall.CallId, result)]));
            }
        }

        LogIterationLimit(logger, request.SessionKey, o.MaxIterations);
        var limitText = string.Create(
            CultureInfo.InvariantCulture,
            $"I stopped after {o.MaxIterations} steps without reaching a final answer. Please try again, perhaps with a simpler request.");
        await AppendTurnAsync(request.SessionKey, userEntries, limitText, files, cancellationToken).ConfigureAwait(false);
        return new AgentRunResult(AgentRunStatus.IterationLimit, limitText, o.MaxIterations, "MaxIterations reached.") { Files = files };
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

    /// <summary>Appends the turn; each file of the answer is recorded as a reference (<c>[image: chart.png, 2 KB — sent]</c>),
    /// never its bytes.</summary>
    private Task AppendTurnAsync(string sessionKey, List<TranscriptEntry> userEntries, string answer, List<OutboundFile> files, CancellationToken cancellationToken)
    {
        if (files.Count > 0)
        {
            answer = string.Concat(answer, "\n\n", string.Join("\n", files.Select(f => f.Placeholder("sent"))));
        }

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
}
