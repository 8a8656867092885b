using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace OpenClaw.Channels.Bench.Load;

/// <summary><c>--spans</c>: listens to the hub's, the agent's and HttpClient's activities and sums their durations by
/// name (HTTP spans by the last path segment), to see where a turn spends its time.</summary>
public sealed class SpanProfile : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentDictionary<string, Totals> _totals = new(StringComparer.Ordinal);

    public SpanProfile()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name.StartsWith("OpenClaw.Channels", StringComparison.Ordinal) || s.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public string Report()
    {
        var sb = new StringBuilder("span                                     count     mean ms     total s\n");
        foreach (var (name, t) in _totals.OrderByDescending(kv => kv.Value.Ticks))
        {
            sb.Append(CultureInfo.InvariantCulture, $"{name,-40} {t.Count,6} {TimeSpan.FromTicks(t.Ticks).TotalMilliseconds / Math.Max(1, t.Count),11:0.000} {TimeSpan.FromTicks(t.Ticks).TotalSeconds,11:0.00}\n");
        }

        return sb.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Stopped(Activity activity)
    {
        var name = activity.Source.Name == "System.Net.Http" && activity.GetTagItem("url.full") is string url
            ? "http " + url[(url.LastIndexOf('/') + 1)..]
            : activity.Source.Name + " " + activity.OperationName;
        var totals = _totals.GetOrAdd(name, _ => new Totals());
        Interlocked.Increment(ref totals.Count);
        Interlocked.Add(ref totals.Ticks, activity.Duration.Ticks);
    }

    private sealed class Totals
    {
        public long Count;
        public long Ticks;
    }
}
