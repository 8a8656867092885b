using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenClaw.Channels.Agent;

/// <summary>What the provider told us about its limits, shared by every model call of the node: after a <c>429</c> with
/// <c>Retry-After</c> (or <c>retry-after-ms</c>), or an answer saying <c>x-ratelimit-remaining-requests: 0</c> /
/// <c>x-ratelimit-remaining-tokens: 0</c>, new calls wait until the matching <c>x-ratelimit-reset-*</c> time
/// (platform.openai.com/docs/guides/rate-limits: header format <c>1s</c>, <c>6m0s</c>, <c>20ms</c>). Otherwise calls go
/// straight through: the node is never held below what the provider allows.</summary>
internal sealed partial class ProviderRateLimit(TimeProvider time)
{
    /// <summary>The longest pause taken from one answer (a bad header must not stop the node for long).</summary>
    internal static readonly TimeSpan MaxPause = TimeSpan.FromMinutes(2);

    private long _pausedUntilTicks;

    /// <summary>When new calls may start again (UTC); in the past when they may now.</summary>
    public DateTimeOffset PausedUntil => new(Interlocked.Read(ref _pausedUntilTicks), TimeSpan.Zero);

    /// <summary>Waits while the provider asked us to.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var wait = PausedUntil - time.GetUtcNow();
            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Learns from one answer of the provider.</summary>
    public void Observe(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        TimeSpan? pause = null;
        if ((int)response.StatusCode == 429)
        {
            pause = ModelResilience.RetryAfter(response, MaxPause, time) ?? Reset(response, "requests") ?? Reset(response, "tokens") ?? TimeSpan.FromSeconds(1);
        }
        else
        {
            if (Remaining(response, "requests") == 0)
            {
                pause = Max(pause, Reset(response, "requests"));
            }

            if (Remaining(response, "tokens") == 0)
            {
                pause = Max(pause, Reset(response, "tokens"));
            }
        }

        if (pause is { } p && p > TimeSpan.Zero)
        {
            PauseFor(p < MaxPause ? p : MaxPause);
        }
    }

    private void PauseFor(TimeSpan pause)
    {
        var until = (time.GetUtcNow() + pause).UtcTicks;
        long current;
        do
        {
            current = Interlocked.Read(ref _pausedUntilTicks);
            if (current >= until)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _pausedUntilTicks, until, current) != current);
    }

    private static TimeSpan? Max(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static long? Remaining(HttpResponseMessage response, string kind)
        => response.Headers.TryGetValues("x-ratelimit-remaining-" + kind, out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static TimeSpan? Reset(HttpResponseMessage response, string kind)
        => response.Headers.TryGetValues("x-ratelimit-reset-" + kind, out var values) ? ParseDuration(values.FirstOrDefault()) : null;

    /// <summary>Parses OpenAI's reset durations (<c>1s</c>, <c>6m0s</c>, <c>1m30.951s</c>, <c>20ms</c>, <c>1h2m</c>) or plain seconds.</summary>
    internal static TimeSpan? ParseDuration(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        var total = TimeSpan.Zero;
        var matched = false;
        foreach (Match m in DurationPart().Matches(value))
        {
            matched = true;
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += m.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "ms" => TimeSpan.FromMilliseconds(n),
                _ => TimeSpan.FromSeconds(n),
            };
        }

        return matched ? total : null;
    }

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?)(ms|h|m|s)", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPart();
}
