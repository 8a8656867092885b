using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Discord;
using OpenClaw.Channels.Fakes;

namespace OpenClaw.Channels.Tests;

public sealed class DiscordServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IInboundPipeline>(new RecordingInboundPipeline());
        services.AddDiscordChannel(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Options_AreBound_AndAdapterPolicyFollowsThem()
    {
        using var provider = Build(new()
        {
            ["BotToken"] = "t",
            ["RequireMention"] = "false",
            ["AllowBots"] = "true",
            ["AllowFrom:0"] = "1000000000000000042",
            ["AllowedMentions:0"] = "users",
        });

        var adapter = Assert.Single(provider.GetServices<IChannelAdapter>());
        Assert.Equal("discord", adapter.Channel);
        Assert.False(adapter.Policy.RequireMention);
        Assert.True(adapter.Policy.AllowBots);
        Assert.Equal(["1000000000000000042"], adapter.Policy.AllowFrom);
        var options = provider.GetRequiredService<IOptions<DiscordOptions>>().Value;
        Assert.Equal(["users"], options.AllowedMentions);
        Assert.Equal(37377, options.Intents);
        Assert.Equal("https://discord.com/api/v10", options.ApiBaseUrl);
        Assert.Same(adapter.Sender, provider.GetRequiredService<DiscordSender>());
    }

    [Fact]
    public void MalformedPublicKey_FailsValidation()
    {
        using var provider = Build(new() { ["PublicKey"] = "not-hex" });

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DiscordOptions>>().Value);
    }

    [Fact]
    public void ReadinessCheck_IsRegisteredWithReadyTag()
    {
        using var provider = Build(new() { ["BotToken"] = "t" });

        var registration = Assert.Single(provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations, r => r.Name == "discord");
        Assert.Contains("ready", registration.Tags);
    }
}
