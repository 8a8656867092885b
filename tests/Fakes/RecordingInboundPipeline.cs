using System.Collections.Concurrent;
using System.Threading.Channels;

namespace OpenClaw.Channels.Fakes;

/// <summary>An <see cref="IInboundPipeline"/> for adapter tests without the hub: dedupes on the idempotency key,
/// applies an optional <see cref="ChannelPolicy"/>, and records accepted messages in order.</summary>
public sealed class RecordingInboundPipeline : IInboundPipeline
{
    private readonly ConcurrentDictionary<string, byte> _seen = new();
    private readonly Channel<ChannelMessage> _accepted = Channel.CreateUnbounded<ChannelMessage>();
    private readonly ConcurrentQueue<ChannelMessage> _all = new();

    /// <summary>Policy to apply; null accepts everything not duplicated.</summary>
    public ChannelPolicy? Policy { get; set; }

    /// <summary>Accepted messages in order.</summary>
    public IReadOnlyCollection<ChannelMessage> Accepted => _all;

    /// <summary>Count of duplicate deliveries seen.</summary>
    public int Duplicates => _duplicates;

    private int _duplicates;

    public ValueTask<InboundResult> AcceptAsync(ChannelMessage message, CancellationToken cancellationToken)
    {
        if (!_seen.TryAdd(message.IdempotencyKey, 0))
        {
            Interlocked.Increment(ref _duplicates);
            return ValueTask.FromResult(InboundResult.Duplicate);
        }

        var reason = Policy?.Evaluate(message);
        if (reason is not null)
        {
            return ValueTask.FromResult(InboundResult.Ignored(reason));
        }

        _all.Enqueue(message);
        _accepted.Writer.TryWrite(message);
        return ValueTask.FromResult(new InboundResult(InboundOutcome.Accepted, SessionKey.For(message).Value));
    }

    /// <summary>Waits for the next accepted message.</summary>
    /// <exception cref="TimeoutException">None arrived within <paramref name="timeout"/>.</exception>
    public async Task<ChannelMessage> NextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _accepted.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No message accepted within {timeout}.");
        }
    }
}
