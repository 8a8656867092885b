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
        if (seq == 0)
        {
            c.FirstSentAt = timestamp;
        }

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
            c.Answers++;
            if (c.FirstAnsweredAt == 0)
            {
                c.FirstAnsweredAt = timestamp;
            }

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

    /// <summary>Fairness across chats (issue 12, "Fair to every chat"): how many chats got at least one answer, the time
    /// from each such chat's first message to its first answer (p50 / p99 / max, ms), and the answers per chat (min /
    /// median / max over all chats, unanswered chats counting 0).</summary>
    /// <returns>The figures; zeros when no chat was answered.</returns>
    public ChatFairness Fairness()
    {
        var firsts = new List<double>();
        var answers = new List<int>();
        foreach (var c in _chats)
        {
            lock (c)
            {
                answers.Add(c.Answers);
                if (c.FirstAnsweredAt != 0 && c.FirstSentAt != 0)
                {
                    firsts.Add(Stopwatch.GetElapsedTime(c.FirstSentAt, c.FirstAnsweredAt).TotalMilliseconds);
                }
            }
        }

        firsts.Sort();
        answers.Sort();
        double At(double p) => firsts.Count == 0 ? 0 : firsts[Math.Min(firsts.Count - 1, (int)Math.Ceiling(p / 100 * firsts.Count) - 1)];
        return new ChatFairness(
            firsts.Count,
            Math.Round(At(50), 1),
            Math.Round(At(99), 1),
            Math.Round(firsts.Count == 0 ? 0 : firsts[^1], 1),
            answers.Count == 0 ? 0 : answers[0],
            answers.Count == 0 ? 0 : answers[answers.Count / 2],
            answers.Count == 0 ? 0 : answers[^1]);
    }

    private sealed class Chat
    {
        public long FirstSentAt;
        public long FirstAnsweredAt;
        public int Answers;
        public readonly long[] SentAt = new long[Ring];
        public readonly bool[] Measured = new bool[Ring];
        public bool[] Seen = new bool[16];
        public int MaxSeq = -1;
    }
}

/// <summary>Fairness across a run's chats (<see cref="ChatLedger.Fairness"/>).</summary>
/// <param name="ChatsAnswered">Chats with at least one answer.</param>
/// <param name="FirstAnswerP50Ms">Median time from a chat's first message to its first answer, ms.</param>
/// <param name="FirstAnswerP99Ms">99th percentile of that time, ms.</param>
/// <param name="FirstAnswerMaxMs">The longest such time, ms.</param>
/// <param name="AnswersPerChatMin">Fewest answers any chat got (0 when a chat got none).</param>
/// <param name="AnswersPerChatMedian">Median answers per chat.</param>
/// <param name="AnswersPerChatMax">Most answers any chat got.</param>
public sealed record ChatFairness(int ChatsAnswered, double FirstAnswerP50Ms, double FirstAnswerP99Ms, double FirstAnswerMaxMs, int AnswersPerChatMin, int AnswersPerChatMedian, int AnswersPerChatMax);
