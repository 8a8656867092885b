using System.Globalization;

namespace OpenClaw.Channels.Bench.Load;

/// <summary>Command-line options of the load generator (see bench/README.md).</summary>
public sealed class LoadOptions
{
    public int Chats { get; set; } = 1000;

    /// <summary>Offered messages per second; 0 = as fast as possible (each chat sends its next message once the previous webhook was acknowledged).</summary>
    public double Rate { get; set; }

    /// <summary>Total messages; 0 = use <see cref="DurationSeconds"/>.</summary>
    public int Messages { get; set; } = 20_000;

    public double DurationSeconds { get; set; }

    /// <summary>Redis connection string, or null for embedded mode.</summary>
    public string? Redis { get; set; } = "127.0.0.1:6390";

    public int ModelLatencyMs { get; set; }

    /// <summary>Messages at the start that are sent and checked but kept out of the latency figures (JIT, pools, connections).</summary>
    public int Warmup { get; set; } = 2_000;

    /// <summary>Seconds of load at the same rate before the measured window (JIT tiering, pools, connections); messages
    /// sent in it are checked for loss, duplicates and order but kept out of every figure. Default 20.</summary>
    public double WarmupSeconds { get; set; } = 20;

    public string? JsonPath { get; set; }

    /// <summary>An external hub's base URL; its Telegram and model settings must point at the fakes this process starts.</summary>
    public string? Target { get; set; }

    public int FakeTelegramPort { get; set; }

    public int FakeModelPort { get; set; }

    public int WorkerCount { get; set; }

    /// <summary>RSS is sampled when this many replies have arrived (and again at the end).</summary>
    public int RssSampleAt { get; set; } = 20_000;

    public double DrainTimeoutSeconds { get; set; } = 120;

    public string Label { get; set; } = string.Empty;

    /// <summary>Sum span durations by name and print them after the table (costs some CPU).</summary>
    public bool Spans { get; set; }

    public static LoadOptions Parse(string[] args)
    {
        var o = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--chats": o.Chats = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--rate": var r = Next(); o.Rate = r == "max" ? 0 : double.Parse(r, CultureInfo.InvariantCulture); break;
                case "--messages": o.Messages = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--duration": o.DurationSeconds = double.Parse(Next(), CultureInfo.InvariantCulture); o.Messages = 0; break;
                case "--redis": var v = Next(); o.Redis = v == "none" ? null : v; break;
                case "--model-latency-ms": o.ModelLatencyMs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup": o.Warmup = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup-seconds": o.WarmupSeconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--json": o.JsonPath = Next(); break;
                case "--target": o.Target = Next().TrimEnd('/'); break;
                case "--fake-telegram-port": o.FakeTelegramPort = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--fake-model-port": o.FakeModelPort = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--workers": o.WorkerCount = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--rss-sample-at": o.RssSampleAt = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--drain-timeout": o.DrainTimeoutSeconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--label": o.Label = Next(); break;
                case "--spans": o.Spans = true; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        if (o.Chats < 1 || (o.Messages <= 0 && o.DurationSeconds <= 0))
        {
            throw new ArgumentException("--chats must be ≥ 1 and either --messages or --duration given");
        }

        if (o.Target is not null && !Uri.TryCreate(o.Target, UriKind.Absolute, out var uri) | (uri is not null && !uri.IsLoopback))
        {
            throw new ArgumentException("--target must be a loopback URL");
        }

        return o;
    }
}
