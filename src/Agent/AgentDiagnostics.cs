using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OpenClaw.Channels.Agent;

/// <summary>The agent's ActivitySource and instruments, both named <see cref="ChannelDiagnostics.Name"/>.</summary>
internal sealed class AgentDiagnostics : IDisposable
{
    private readonly Meter _meter;

    public AgentDiagnostics(IMeterFactory meterFactory)
    {
        ActivitySource = new ActivitySource(ChannelDiagnostics.Name);
        _meter = meterFactory.Create(ChannelDiagnostics.Name);
        ModelCallDuration = _meter.CreateHistogram<double>("openclaw.agent.model.duration", "ms", "Duration of one model call (all HTTP attempts and streaming included).");
        ModelRetries = _meter.CreateCounter<long>("openclaw.agent.model.retries", "{retry}", "HTTP retries toward the model.");
        RunDuration = _meter.CreateHistogram<double>("openclaw.agent.run.duration", "ms", "Duration of one agent turn.");
    }

    /// <summary>Source of the <c>chat {model}</c> client spans.</summary>
    public ActivitySource ActivitySource { get; }

    /// <summary>Model call latency in ms; tag <c>outcome</c> = ok | error.</summary>
    public Histogram<double> ModelCallDuration { get; }

    /// <summary>Retries toward the model; tag <c>http.response.status_code</c> (0 for a transport error or timeout).</summary>
    public Counter<long> ModelRetries { get; }

    /// <summary>Agent turn duration in ms; tag <c>status</c> = the <see cref="AgentRunStatus"/>.</summary>
    public Histogram<double> RunDuration { get; }

    public void Dispose()
    {
        ActivitySource.Dispose();
        _meter.Dispose();
    }
}
