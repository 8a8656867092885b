using System.Globalization;
using System.Text;

namespace OpenClaw.Channels.Bench.Load;

/// <summary>The figures of one run (the <c>--json</c> file has the same fields).</summary>
public sealed record LoadResult
{
    public required string Label { get; init; }
    public required string Mode { get; init; }
    public required int Chats { get; init; }
    public required string OfferedRate { get; init; }
    public required int ModelLatencyMs { get; init; }
    public required long Sent { get; init; }
    public required long Acked { get; init; }
    public required long Failed { get; init; }
    public required long Answered { get; init; }
    public required double DurationSeconds { get; init; }
    public required double WarmupSeconds { get; init; }
    public required double AnsweredPerSecond { get; init; }
    public required double AckP50Ms { get; init; }
    public required double AckP95Ms { get; init; }
    public required double AckP99Ms { get; init; }

    /// <summary>Ack p99 measured from the time the open loop scheduled the message (includes the generator's lateness
    /// and a chat's wait for its previous ack); <see cref="AckP99Ms"/> is measured from the actual send.</summary>
    public required double AckFromDueP99Ms { get; init; }
    public required double OverheadP50Ms { get; init; }
    public required double OverheadP95Ms { get; init; }
    public required double OverheadP99Ms { get; init; }
    public required double PeakRssMiB { get; init; }
    public required double RssAtSampleMiB { get; init; }
    public required long RssSampleAtMessages { get; init; }
    public required double RssAtEndMiB { get; init; }
    public required IReadOnlyList<string> MetricSeriesMissing { get; init; }
    public required long Lost { get; init; }
    public required long Duplicated { get; init; }
    public required long OutOfOrder { get; init; }

    /// <summary>Fairness across chats: chats answered, first-answer times and answers per chat.</summary>
    public required ChatFairness Fairness { get; init; }

    public string ToTable()
    {
        var sb = new StringBuilder();
        void Row(string name, string value) => sb.Append(CultureInfo.InvariantCulture, $"| {name,-34} | {value,24} |\n");
        string Ms(double a, double b, double c) => string.Create(CultureInfo.InvariantCulture, $"{a:0.00} / {b:0.00} / {c:0.00}");
        sb.Append(CultureInfo.InvariantCulture, $"| {"metric",-34} | {"value",24} |\n|{new string('-', 36)}|{new string('-', 26)}|\n");
        Row("run", Label.Length == 0 ? "-" : Label);
        Row("mode / chats / offered msg/s", $"{Mode} / {Chats} / {OfferedRate}");
        Row("model latency (ms)", ModelLatencyMs.ToString(CultureInfo.InvariantCulture));
        Row("warm-up (s, not measured)", WarmupSeconds.ToString("0", CultureInfo.InvariantCulture));
        Row("sent / acked / failed", $"{Sent} / {Acked} / {Failed}");
        Row("answered", Answered.ToString(CultureInfo.InvariantCulture));
        Row("messages/s fully answered", AnsweredPerSecond.ToString("0.0", CultureInfo.InvariantCulture));
        Row("webhook ack p50/p95/p99 (ms)", Ms(AckP50Ms, AckP95Ms, AckP99Ms));
        Row("ack p99 from scheduled send (ms)", AckFromDueP99Ms.ToString("0.00", CultureInfo.InvariantCulture));
        Row("hub overhead p50/p95/p99 (ms)", Ms(OverheadP50Ms, OverheadP95Ms, OverheadP99Ms));
        Row("peak RSS (MiB)", PeakRssMiB.ToString("0.0", CultureInfo.InvariantCulture));
        Row($"RSS after {RssSampleAtMessages} / at end (MiB)", string.Create(CultureInfo.InvariantCulture, $"{RssAtSampleMiB:0.0} / {RssAtEndMiB:0.0}"));
        Row("lost / duplicated / out of order", $"{Lost} / {Duplicated} / {OutOfOrder}");
        Row("chats answered", $"{Fairness.ChatsAnswered} of {Chats}");
        Row("first answer p50/p99/max (ms)", Ms(Fairness.FirstAnswerP50Ms, Fairness.FirstAnswerP99Ms, Fairness.FirstAnswerMaxMs));
        Row("answers per chat min/median/max", $"{Fairness.AnswersPerChatMin} / {Fairness.AnswersPerChatMedian} / {Fairness.AnswersPerChatMax}");
        Row("/metrics series present", MetricSeriesMissing.Count == 0 ? $"all {LoadRunner.RequiredSeries.Length}" : "missing " + string.Join(", ", MetricSeriesMissing));
        return sb.ToString();
    }
}
