using System.Diagnostics;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Hub.Routing;
using OpenClaw.Channels.Hub.Stores;
using OpenClaw.Channels.Hub.Telemetry;

namespace OpenClaw.Channels.Hub.Inbound;

/// <summary>dedupe → policy → router → enqueue. Returns once the message is durably in its session inbox (or known
/// as a duplicate / ignored); the adapter acknowledges the platform after that.</summary>
/// <remarks>Its store is the keyed <see cref="ISessionStore"/> <see cref="ConnectionKey"/>: the same Redis on a connection
/// of its own (the keyed <c>IConnectionMultiplexer</c> of that name), so inbound writes do not queue behind run traffic.</remarks>
internal sealed partial class InboundPipeline : IInboundPipeline
{
    /// <summary>The DI key of the inbound connection and store: <c>inbound</c>.</summary>
    public const string ConnectionKey = "inbound";

    private readonly ISessionStore _store;
    private readonly SessionRouter _router;
    private readonly InboundAdmission _admission;
    private readonly HubTelemetry _telemetry;
    private readonly ILogger<InboundPipeline> _logger;
    private readonly HubOptions _options;
    private readonly TimeSpan _dedupeTtl;
    private readonly Dictionary<string, ChannelPolicy> _policies;

    public InboundPipeline(
        [FromKeyedServices(ConnectionKey)] ISessionStore store,
        SessionRouter router,
        InboundAdmission admission,
        IEnumerable<IChannelAdapter> adapters,
        HubTelemetry telemetry,
        IOptions<HubOptions> options,
        ILogger<InboundPipeline> logger)
    {
        _store = store;
        _router = router;
        _admission = admission;
        _telemetry = telemetry;
        _logger = logger;
        _options = options.Value;
        _dedupeTtl = TimeSpan.FromSeconds(_options.DedupeTtlSeconds);
        _policies = adapters.ToDictionary(a => a.Channel, a => a.Policy, StringComparer.Ordinal);
    }

    public async ValueTask<InboundResult> AcceptAsync(ChannelMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var activity = HubTelemetry.Source.StartActivity("inbound " + message.Channel, ActivityKind.Internal);
        if (string.IsNullOrEmpty(message.TraceId))
        {
            message = message with { TraceId = (Activity.Current?.TraceId ?? ActivityTraceId.CreateRandom()).ToHexString() };
        }

        activity?.SetTag("openclaw.channel", message.Channel);
        var channelTag = new KeyValuePair<string, object?>("channel", message.Channel);
        try
        {
            return await AcceptCoreAsync(message, channelTag, activity, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The adapter answers 5xx and the platform redelivers; dedupe was not committed unless the append was.
            _telemetry.Inbound.Add(1, channelTag, new("result", "rejected"));
            activity?.SetStatus(ActivityStatusCode.Error);
            throw;
        }
    }

    private async ValueTask<InboundResult> AcceptCoreAsync(ChannelMessage message, KeyValuePair<string, object?> channelTag, Activity? activity, CancellationToken cancellationToken)
    {
        var reason = _policies.TryGetValue(message.Channel, out var policy) ? policy.Evaluate(message) : null;
        if (reason is not null)
        {
            var fresh = await _store.MarkSeenAsync(message.IdempotencyKey, _dedupeTtl, cancellationToken).ConfigureAwait(false);
            _telemetry.Inbound.Add(1, channelTag, new("result", fresh ? "ignored" : "duplicate"));
            LogIgnored(_logger, message.Channel, message.PlatformMessageId, fresh ? reason : "duplicate");
            return fresh ? InboundResult.Ignored(reason) : InboundResult.Duplicate;
        }

        var sessionKey = SessionKey.For(message, _options.AgentId, _options.DirectSessionScope).Value;
        // The run's job id is chosen here, so the append's run marker records it and the router records nothing after
        // creating the job (one command less per run).
        var runId = Guid.NewGuid().ToString();
        // A full backlog delays the acknowledgement (at most Hub:AdmissionWaitMs), so a closed loop of busy chats sends
        // more slowly; the message is accepted after the wait in any case. Its place is released when it is popped.
        await _admission.AdmitAsync(sessionKey, message.Id, cancellationToken).ConfigureAwait(false);
        AppendOutcome outcome;
        try
        {
            outcome = await _store.AppendIfNewAsync(message.IdempotencyKey, _dedupeTtl, sessionKey, message, runId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            _admission.Release(message.Id);
            throw;
        }

        if (outcome == AppendOutcome.Duplicate)
        {
            _admission.Release(message.Id);
            _telemetry.Inbound.Add(1, channelTag, new("result", "duplicate"));
            LogDuplicate(_logger, message.Channel, message.PlatformMessageId);
            return InboundResult.Duplicate;
        }

        if (outcome == AppendOutcome.AppendedNeedsRun)
        {
            // If this throws the message is still in the inbox and the session pending: the rescue sweep runs it.
            _router.ScheduleRun(sessionKey, SessionRouter.LabelOf(message), runId);
        }

        _telemetry.Inbound.Add(1, channelTag, new("result", "accepted"));
        activity?.SetTag("openclaw.session", sessionKey);
        return new InboundResult(InboundOutcome.Accepted, sessionKey);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Duplicate {Channel} delivery {PlatformMessageId} dropped")]
    private static partial void LogDuplicate(ILogger logger, string channel, string platformMessageId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Channel} message {PlatformMessageId} ignored: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string channel, string platformMessageId, string reason);
}
