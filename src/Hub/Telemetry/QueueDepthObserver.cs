using System.Diagnostics.Metrics;
using Hangfire;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Hub.Routing;

namespace OpenClaw.Channels.Hub.Telemetry;

/// <summary>Publishes <c>openclaw.queue.depth</c> (tag <c>queue</c>) for this node's chat queue and the <c>cron</c>
/// queue, read from Hangfire's monitoring API (<c>EnqueuedCount</c>). Readings are cached for
/// <see cref="CacheFor"/> so frequent scrapes cost at most one storage round trip per queue per second.</summary>
internal sealed class QueueDepthObserver(HubTelemetry telemetry, JobStorage storage, IOptions<HubOptions> options, TimeProvider time) : IHostedService
{
    /// <summary>How long a reading is reused: 1 s.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private Measurement<long>[] _last = [];
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        telemetry.ObserveQueueDepth(Observe);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private Measurement<long>[] Observe()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (now - _readAt < CacheFor)
            {
                return _last;
            }

            _readAt = now;
            try
            {
                var monitoring = storage.GetMonitoringApi();
                string[] queues = [SessionRouter.QueueOf(options.Value.NodeId), "cron"];
                _last = queues.Select(q => new Measurement<long>(monitoring.EnqueuedCount(q), new KeyValuePair<string, object?>("queue", q))).ToArray();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Storage unreachable: report nothing this time rather than a stale or zero depth (readiness shows the outage).
                _last = [];
            }

            return _last;
        }
    }
}
