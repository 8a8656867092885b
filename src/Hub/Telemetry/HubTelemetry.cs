using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OpenClaw.Channels.Hub.Telemetry;

/// <summary>The hub's traces and metrics (ActivitySource and Meter named <see cref="ChannelDiagnostics.Name"/><c>.Hub</c>),
/// exported through OpenTelemetry; metrics on <c>/metrics</c> in Prometheus format. The agent's own meter
/// (<see cref="ChannelDiagnostics.Name"/>) adds model call latency and retries.</summary>
internal sealed class HubTelemetry : IDisposable
{
    public static readonly ActivitySource Source = new(ChannelDiagnostics.Name + ".Hub");

    private readonly Meter _meter;

    public HubTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(ChannelDiagnostics.Name + ".Hub");
        Inbound = _meter.CreateCounter<long>("openclaw.inbound.messages", "{message}", "Inbound messages by channel and result (accepted, duplicate, ignored, rejected).");
        QueueWait = _meter.CreateHistogram<double>("openclaw.queue.wait", "ms", "Time from acceptance to the start of the message's turn, by queue.");
        RunDuration = _meter.CreateHistogram<double>("openclaw.hub.turn.duration", "ms", "Agent turn duration as the hub's job sees it, by outcome.");
        LockWait = _meter.CreateHistogram<double>("openclaw.lock.wait", "ms", "Time spent acquiring a session lock.");
        Outbound = _meter.CreateCounter<long>("openclaw.outbound.sends", "{message}", "Outbound sends by channel and result (ok, failed).");
        Rescues = _meter.CreateCounter<long>("openclaw.hub.rescues", "{session}", "Sessions whose run was dead and got a new run from the stale-session sweep.");
        Sweeps = _meter.CreateCounter<long>("openclaw.hub.rescue.sweeps", "{sweep}", "Stale-session sweeps completed by this node (one every Hub:StaleSessionMs / 4, at least 500 ms).");
        Admission = _meter.CreateCounter<long>("openclaw.hub.admission", "{message}", "Inbound messages of sessions this node owns by admission result (admitted at once, waited for a place, timed_out: accepted after Hub:AdmissionWaitMs).");
        AdmissionWait = _meter.CreateHistogram<double>("openclaw.hub.admission.wait", "ms", "Time an inbound message waited for a place in the backlog before it was accepted (waited and timed_out).");
    }

    /// <summary>This host's hub meter (the dashboard's Channels page listens to its counters).</summary>
    public Meter Meter => _meter;

    public Counter<long> Inbound { get; }

    public Histogram<double> QueueWait { get; }

    public Histogram<double> RunDuration { get; }

    public Histogram<double> LockWait { get; }

    public Counter<long> Outbound { get; }

    public Counter<long> Rescues { get; }

    /// <summary>Completed stale-session sweeps (<c>openclaw.hub.rescue.sweeps</c>, one per pass of the rescue loop that
    /// ran to the end, whether it rescued anything or not).</summary>
    public Counter<long> Sweeps { get; }

    /// <summary>Inbound admission results (<c>openclaw.hub.admission</c>, tag <c>result</c>: admitted, waited, timed_out).</summary>
    public Counter<long> Admission { get; }

    /// <summary>Admission waits in ms (<c>openclaw.hub.admission.wait</c>).</summary>
    public Histogram<double> AdmissionWait { get; }

    /// <summary>Observes the admission backlog (unanswered messages counted on this node) and the messages waiting for a
    /// place: the gauges <c>openclaw.hub.admission.backlog</c> and <c>openclaw.hub.admission.waiting</c>.</summary>
    public void ObserveAdmission(Func<long> backlog, Func<long> waiting)
    {
        _meter.CreateObservableGauge("openclaw.hub.admission.backlog", backlog, "{message}", "Unanswered inbound messages of sessions this node owns, as counted by admission.");
        _meter.CreateObservableGauge("openclaw.hub.admission.waiting", waiting, "{message}", "Inbound messages waiting for a place in the admission backlog (their acknowledgement is delayed).");
    }

    /// <summary>Observes queue depth: a callback that reads it at scrape time.</summary>
    public void ObserveQueueDepth(Func<IEnumerable<Measurement<long>>> observe)
        => _meter.CreateObservableGauge("openclaw.queue.depth", observe, "{job}", "Enqueued Hangfire jobs by queue.");

    public void Dispose() => _meter.Dispose();
}
