using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenClaw.Channels.Hub.Telemetry;

namespace OpenClaw.Channels.Hub.Dashboard;

/// <summary>What the dashboard's Channels page shows, as this node sees it: the last readiness report of each check
/// (an <see cref="IHealthCheckPublisher"/>, every 30 s), the last non-healthy reason of each check with its time, and the
/// inbound and outbound message counts by channel and result since the node started (a <see cref="MeterListener"/> on
/// this node's own <c>openclaw.inbound.messages</c> and <c>openclaw.outbound.sends</c> counters).</summary>
internal sealed class ChannelStatusBoard : IHealthCheckPublisher, IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Channel, string Direction, string Result), long> _counts = new();
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, string Reason)> _lastErrors = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private HealthReport? _report;
    private DateTimeOffset _reportAt;

    public ChannelStatusBoard(HubTelemetry telemetry, TimeProvider time)
    {
        _time = time;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, telemetry.Meter) && instrument.Name is "openclaw.inbound.messages" or "openclaw.outbound.sends")
            {
                listener.EnableMeasurementEvents(instrument, instrument.Name == "openclaw.inbound.messages" ? "in" : "out");
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) =>
        {
            string? channel = null;
            string? result = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "channel")
                {
                    channel = tag.Value as string;
                }
                else if (tag.Key == "result")
                {
                    result = tag.Value as string;
                }
            }

            if (channel is not null)
            {
                _counts.AddOrUpdate((channel, (string)state!, result ?? "-"), value, (_, old) => old + value);
            }
        });
        _listener.Start();
    }

    /// <summary>The last readiness report and when it was taken, or null before the first one.</summary>
    public (HealthReport Report, DateTimeOffset At)? LastReport => _report is { } r ? (r, _reportAt) : null;

    /// <summary>Messages counted since start for <paramref name="channel"/>: direction (<c>in</c>, <c>out</c>) and result.</summary>
    public IReadOnlyDictionary<(string Direction, string Result), long> Counts(string channel)
        => _counts.Where(c => c.Key.Channel == channel).ToDictionary(c => (c.Key.Direction, c.Key.Result), c => c.Value);

    /// <summary>The last non-healthy reason seen for the check <paramref name="name"/>, with its time.</summary>
    public (DateTimeOffset At, string Reason)? LastError(string name) => _lastErrors.TryGetValue(name, out var e) ? e : null;

    /// <summary>Records a report (also called by the page after it ran the checks itself).</summary>
    public void Record(HealthReport report)
    {
        var now = _time.GetUtcNow();
        _report = report;
        _reportAt = now;
        foreach (var (name, entry) in report.Entries)
        {
            if (entry.Status != HealthStatus.Healthy)
            {
                _lastErrors[name] = (now, entry.Description ?? entry.Exception?.Message ?? entry.Status.ToString());
            }
        }
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        Record(report);
        return Task.CompletedTask;
    }

    public void Dispose() => _listener.Dispose();
}
