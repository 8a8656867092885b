using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(OpenClaw.Channels.Bench.RingBenchmarks).Assembly).Run(args);
