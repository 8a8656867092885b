using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Agent;
using OpenClaw.Channels.Fakes.OpenAi;

namespace OpenClaw.Channels.Tests;

/// <summary>A real <c>AddAgent</c> service provider pointed at a <see cref="FakeOpenAiServer"/> on 127.0.0.1, with transcripts
/// in a temporary directory of its own.</summary>
public sealed class AgentHarness : IAsyncDisposable
{
    private ServiceProvider? _services;

    private AgentHarness(FakeOpenAiServer server, string directory)
    {
        Server = server;
        TranscriptDirectory = directory;
    }

    public FakeOpenAiServer Server { get; }

    public string TranscriptDirectory { get; }

    /// <summary>Everything logged, at every level.</summary>
    public FakeLogCollector Logs { get; } = new();

    /// <summary><see cref="Logs"/> as lines <c>{level} {category}: {message} {exception}</c>.</summary>
    public IReadOnlyList<string> LogLines => [.. Logs.GetSnapshot().Select(r => $"{r.Level} {r.Category}: {r.Message} {r.Exception}")];

    public IServiceProvider Services => _services!;

    public IAgentRunner Runner => Services.GetRequiredService<IAgentRunner>();

    public ITranscriptStore Transcripts => Services.GetRequiredService<ITranscriptStore>();

    /// <summary>Starts a fake model server and the agent. <paramref name="settings"/> are <c>Agent</c> keys (e.g. <c>MaxRetries</c>);
    /// <c>Endpoint</c> defaults to the fake, <c>RetryBaseDelayMs</c> to 20 so retries stay fast.</summary>
    public static async Task<AgentHarness> StartAsync(
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var server = new FakeOpenAiServer();
        await server.StartAsync();
        var directory = Path.Combine(Path.GetTempPath(), "openclaw-agent-tests", Guid.NewGuid().ToString("N"));
        var harness = new AgentHarness(server, directory);

        var values = new Dictionary<string, string?>
        {
            ["Agent:Endpoint"] = server.ApiBaseUrl,
            ["Agent:Model"] = "test-model",
            ["Agent:RetryBaseDelayMs"] = "20",
            ["Agent:Transcripts:Directory"] = directory,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values["Agent:" + key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(harness.Logs)).SetMinimumLevel(LogLevel.Trace));
        services.AddAgent(configuration.GetSection(AgentOptions.SectionName));
        configure?.Invoke(services);
        harness._services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _ = harness._services.GetRequiredService<IOptions<AgentOptions>>().Value; // validation, as ValidateOnStart would
        return harness;
    }

    public static ChannelMessage Message(
        string text,
        ChatKind kind = ChatKind.Direct,
        string senderName = "Alice",
        IReadOnlyList<Attachment>? attachments = null) => new()
        {
            Channel = "telegram",
            AccountId = "bot1",
            PlatformMessageId = Guid.NewGuid().ToString("N"),
            Chat = new ChatRef(kind == ChatKind.Direct ? "42" : "-100500", kind),
            Sender = new SenderRef("42", senderName),
            Text = text,
            Attachments = attachments ?? [],
        };

    public Task<AgentRunResult> RunAsync(string sessionKey, string text, Func<string, CancellationToken, Task>? onPartialText = null)
        => Runner.RunAsync(new AgentRunRequest { SessionKey = sessionKey, Messages = [Message(text)], OnPartialText = onPartialText }, Timeout());

    public static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await Server.DisposeAsync();
        try
        {
            Directory.Delete(TranscriptDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
