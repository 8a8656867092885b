using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Telegram;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace OpenClaw.Channels.Bench;

/// <summary>Inbound normalization of one Telegram webhook update (core.telegram.org/bots/api#update): JSON → Bot API
/// <c>Update</c> → <see cref="ChannelMessage"/>, the per-webhook cost before the pipeline.</summary>
[MemoryDiagnoser]
public class TelegramInboundBenchmarks
{
    private const string UpdateJson = """
        {"update_id":912345678,"message":{"message_id":4242,"from":{"id":1000042,"is_bot":false,"first_name":"Ann","username":"ann","language_code":"en"},
        "chat":{"id":-1001234567890,"title":"Team","type":"supergroup","is_forum":true},"message_thread_id":7,"is_topic_message":true,"date":1700000000,
        "text":"@openclaw_test_bot what is the weather in Berlin tomorrow?","entities":[{"offset":0,"length":18,"type":"mention"}]}}
        """;

    private readonly byte[] _utf8 = Encoding.UTF8.GetBytes(UpdateJson);
    private readonly TelegramNormalizer _normalizer = new(Options.Create(new TelegramOptions { BotToken = "123456789:AAFakeTokenForBench_abcdefghijklmno" }));
    private readonly TelegramBotInfo _bot = new(123456789, "openclaw_test_bot");
    private readonly Update _update;

    public TelegramInboundBenchmarks()
    {
        _update = System.Text.Json.JsonSerializer.Deserialize<Update>(_utf8, JsonBotAPI.Options)!;
    }

    [Benchmark]
    public ChannelMessage? Normalize() => _normalizer.Normalize(_update, UpdateJson, _bot);

    [Benchmark]
    public ChannelMessage? ParseAndNormalize()
        => _normalizer.Normalize(System.Text.Json.JsonSerializer.Deserialize<Update>(_utf8, JsonBotAPI.Options)!, UpdateJson, _bot);
}
