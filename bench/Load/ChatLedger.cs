using System.Diagnostics;

namespace OpenClaw.Channels.Bench.Load;

/// <summary>What each chat sent and what came back. Replies are matched to sends by (chat, sequence number), so lost,
/// duplicated and out-of-order replies can be counted; end-to-end time is send start → sendMessage received.</summary>
public sealed class ChatLedger
{
    public const long ChatIdBase = 1_000_000;
    private const int Ring = 1024;

    private readonly Chat[] _chats;
    private readonly double _modelLatencyMs;
    private readonly int _warmup;
    private long _answered;
    private long _duplicates;
    private long _outOfOrder;
    private long _unknown;
    private long _lastAnswerTimestamp;
    private long _answeredInWindow;
    private long _measureFrom;

    public ChatLedger(int chats, double modelLatencyMs, int warmup)
    {
        _chats = Enumerable.Range(0, chats).Select(_ => new Chat()).ToArray();
        _modelLatencyMs = modelLatencyMs;
        _warmup = warmup;
    }

    public LatencyHistogram Overhead { get; } = new();

    public long Answered => Interlocked.Read(ref _answered);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    public long Unknown => Interlocked.Read(ref _unknown);

    public long LastAnswerTimestamp => Interlocked.Read(ref _lastAnswerTimestamp);

    /// <summary>Replies received at or after <see cref="MeasureFrom"/> (the end of the warm-up).</summary>
    public long AnsweredInWindow => Interlocked.Read(ref _answeredInWindow);

    /// <summary><see cref="Stopwatch"/> timestamp where the measured window starts; messages sent earlier are warm-up.</summary>
    public long MeasureFrom
    {
        get => Interlocked.Read(ref _measureFrom);
        set => Interlocked.Exchange(ref _measureFrom, value);
    }

    /// <summary>Records the start of the webhook POST of <paramref name="seq"/> in <paramref name="chat"/>; <paramref name="index"/> is the global message number.</summary>
    public void Sent(int chat, int seq, long index, long timestamp)
    {
        var c = _chats[chat];
        c.SentAt[seq % Ring] = timestamp;
        c.Measured[seq % Ring] = index >= _warmup && timestamp >= MeasureFrom;
    }

    /// <summary>Records a reply <c>answer: seq {seq}</c> seen by the fake Telegram for chat id <paramref name="chatId"/>.</summary>
    public void Replied(long chatId, int seq, long timestamp)
    {
        var index = chatId - ChatIdBase;
        if (index < 0 || index >= _chats.Length || seq < 0)
        {
            Interlocked.Increment(ref _unknown);
            return;
        }

        var c = _chats[index];
        lock (c)
        {
            if (seq >= c.Seen.Length)
            {
                Array.Resize(ref c.Seen, Math.Max(seq + 1, c.Seen.Length * 2));
            }

            if (c.Seen[seq])
            {
                Interlocked.Increment(ref _duplicates);
                return;
            }

            c.Seen[seq] = true;
            if (seq < c.MaxSeq)
            {
                Interlocked.Increment(ref _outOfOrder);
            }

            c.MaxSeq = Math.Max(c.MaxSeq, seq);
            if (c.Measured[seq % Ring])
            {
                Overhead.Record(Stopwatch.GetElapsedTime(c.SentAt[seq % Ring], timestamp).TotalMilliseconds - _modelLatencyMs);
            }
        }

        Interlocked.Increment(ref _answered);
        if (timestamp >= MeasureFrom)
        {
            Interlocked.Increment(ref _answeredInWindow);
        }

        long last;
        do
        {
            last = Interlocked.Read(ref _lastAnswerTimestamp);
        }
        while (timestamp > last && Interlocked.CompareExchange(ref _lastAnswerTimestamp, timestamp, last) != last);
    }

    private sealed class Chat
    {
        public readonly long[] SentAt = new long[Ring];
        public readonly bool[] Measured = new bool[Ring];
        public bool[] Seen = new bool[16];
        public int MaxSeq = -1;
    }
}
