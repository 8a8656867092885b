using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Agent;

namespace OpenClaw.Channels.Tests;

public sealed class AddAgentTests
{
    [Theory]
    [InlineData("Endpoint", "not a url")]
    [InlineData("Endpoint", "ftp://example.com/v1")]
    [InlineData("TimeZone", "Mars/Olympus_Mons")]
    [InlineData("MaxIterations", "0")]
    public void InvalidOptions_FailValidation(string key, string value)
    {
        using var services = Build(new Dictionary<string, string?> { [key] = value });

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AgentOptions>>().Value);
    }

    [Fact]
    public void RegisteredTranscriptStore_IsKept()
    {
        var custom = new NullTranscriptStore();
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<ITranscriptStore>(custom);
        services.AddAgent(configuration.GetSection("Agent"));
        using var provider = services.BuildServiceProvider();

        Assert.Same(custom, provider.GetRequiredService<ITranscriptStore>());
        Assert.NotNull(provider.GetRequiredService<IAgentRunner>());
    }

    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        using var services = Build(new Dictionary<string, string?>());

        var o = services.GetRequiredService<IOptions<AgentOptions>>().Value;
        Assert.Equal((3, 8, 40, 0, 0), (o.MaxRetries, o.MaxIterations, o.HistoryEntries, o.RequestsPerMinute, o.MaxConcurrency));
        Assert.Equal("./data/transcripts", services.GetRequiredService<IOptions<JsonlTranscriptOptions>>().Value.Directory);
        Assert.IsType<JsonlTranscriptStore>(services.GetRequiredService<ITranscriptStore>());
    }

    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.ToDictionary(kv => "Agent:" + kv.Key, kv => kv.Value))
            .Build();
        return new ServiceCollection().AddLogging().AddAgent(configuration.GetSection("Agent")).BuildServiceProvider();
    }

    private sealed class NullTranscriptStore : ITranscriptStore
    {
        public Task<IReadOnlyList<TranscriptEntry>> LoadAsync(string sessionKey, int maxEntries, CancellationToken cancellationToken)
            => Task.FromResult<IReadOnlyList<TranscriptEntry>>([]);

        public Task AppendAsync(string sessionKey, IReadOnlyList<TranscriptEntry> entries, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ResetAsync(string sessionKey, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<int> CountAsync(string sessionKey, CancellationToken cancellationToken) => Task.FromResult(0);
    }
}
