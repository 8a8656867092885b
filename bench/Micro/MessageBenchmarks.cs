using BenchmarkDotNet.Attributes;

namespace OpenClaw.Channels.Bench;

/// <summary>Per-message hot paths outside the adapters: dedupe key, session key, chunking a long answer.</summary>
[MemoryDiagnoser]
public class MessageBenchmarks
{
    private readonly ChannelMessage _message = new()
    {
        Channel = "telegram",
        AccountId = "123456789",
        PlatformMessageId = "987654321",
        Chat = new ChatRef("-1001234567890", ChatKind.Group, "42"),
        Sender = new SenderRef("555", "Ann"),
        Text = "hello",
    };

    // Exactly 10,000 characters of Markdown-ish prose in paragraphs, as a long model answer.
    private readonly string _answer = string.Join("\n\n", Enumerable.Range(0, 200).Select(i => $"Paragraph {i}: " + string.Join(' ', Enumerable.Repeat("lorem **ipsum**", 6))))[..10_000];

    [Benchmark]
    public string DedupeKey() => _message.IdempotencyKey;

    [Benchmark]
    public string SessionKeyOf() => SessionKey.For(_message).Value;

    [Benchmark]
    public int ChunkTenThousandCharacters() => TextChunker.Split(_answer, 4096).Count;

    [Benchmark]
    public int TelegramHtmlAndChunkTenThousandCharacters()
        => OpenClaw.Channels.Adapters.Markdown.MarkdownSplitter.Split(_answer, OpenClaw.Channels.Telegram.TelegramHtmlRenderer.Instance, 4096).Count;

    [Benchmark]
    public string NewSortableId() => SortableId.NewId();
}
