using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Adapters.Tests;

public sealed class RenamedDurationKeysTests
{
    [Fact]
    public void OldKey_StillConfiguresTheOption()
    {
        Assert.Equal(1500, Resolve(new() { ["ReconnectDelay"] = "00:00:01.500" }).ReconnectDelayMs);
    }

    [Fact]
    public void NewKey_WinsOverTheOldOne()
    {
        Assert.Equal(250, Resolve(new() { ["ReconnectDelay"] = "00:00:05", ["ReconnectDelayMs"] = "250" }).ReconnectDelayMs);
    }

    [Fact]
    public void NeitherKey_KeepsTheDefault()
    {
        Assert.Equal(1000, Resolve([]).ReconnectDelayMs);
    }

    [Fact]
    public void OldKeyThatIsNoDuration_FailsNamingBothKeys()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Resolve(new() { ["ReconnectDelay"] = "soon" }));

        Assert.Contains("Channels:Acme:ReconnectDelay", e.Message, StringComparison.Ordinal);
        Assert.Contains("ReconnectDelayMs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OldKeyTooLongForTheNewUnit_Fails()
    {
        Assert.Throws<InvalidOperationException>(() => Resolve(new() { ["ReconnectDelay"] = "30.00:00:00" }));
    }

    private static AcmeOptions Resolve(Dictionary<string, string?> values)
    {
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(values.ToDictionary(kv => "Channels:Acme:" + kv.Key, kv => kv.Value))
            .Build()
            .GetSection("Channels:Acme");
        var services = new ServiceCollection();
        services.AddOptions<AcmeOptions>().Bind(section)
            .BindRenamedDuration(section, "ReconnectDelay", nameof(AcmeOptions.ReconnectDelayMs), static (o, t) => o.ReconnectDelayMs = RenamedDurationKeys.Milliseconds(t));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<AcmeOptions>>().Value;
    }

    private sealed class AcmeOptions
    {
        public int ReconnectDelayMs { get; set; } = 1000;
    }
}
