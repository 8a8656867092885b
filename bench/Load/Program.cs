using System.Text.Json;
using OpenClaw.Channels.Bench.Load;

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine("usage: Load [--chats 1000] [--rate N|max] [--messages N | --duration S] [--redis host:port|none] [--model-latency-ms 0] [--warmup 2000] [--warmup-seconds 20] [--workers N] [--target http://127.0.0.1:PORT] [--json out.json] [--label text]");
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

using var spans = options.Spans ? new SpanProfile() : null;
var result = await new LoadRunner(options, Console.Error).RunAsync(cts.Token);
Console.WriteLine(result.ToTable());
if (spans is not null)
{
    Console.WriteLine(spans.Report());
}
if (options.JsonPath is not null)
{
    await File.WriteAllTextAsync(options.JsonPath, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
}

return result.Lost + result.Duplicated + result.OutOfOrder == 0 && result.MetricSeriesMissing.Count == 0 ? 0 : 1;
