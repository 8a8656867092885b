namespace OpenClaw.Channels.Discord;

/// <summary>The identify rate limit (discord.com/developers/docs/events/gateway#rate-limiting): at most
/// <see cref="MaxConcurrency"/> Identify per <see cref="DiscordOptions.IdentifyWindowMs"/>, counted from when each was
/// sent (<see cref="Record"/>). One connection at a time uses it.</summary>
internal sealed class GatewayIdentifyGate(DiscordOptions options, TimeProvider time)
{
    private readonly Queue<DateTimeOffset> _identifies = new();

    /// <summary><c>session_start_limit.max_concurrency</c> of <c>GET /gateway/bot</c>; 1 until known.</summary>
    public int MaxConcurrency { get; set; } = 1;

    /// <summary>Waits until another Identify fits.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        var window = TimeSpan.FromMilliseconds(options.IdentifyWindowMs);
        while (true)
        {
            var now = time.GetUtcNow();
            while (_identifies.Count > 0 && now - _identifies.Peek() >= window)
            {
                _identifies.Dequeue();
            }

            if (_identifies.Count < MaxConcurrency)
            {
                return;
            }

            await Task.Delay(window - (now - _identifies.Peek()), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Counts an Identify sent now.</summary>
    public void Record() => _identifies.Enqueue(time.GetUtcNow());
}
