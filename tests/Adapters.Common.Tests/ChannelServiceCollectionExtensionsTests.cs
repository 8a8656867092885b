using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Adapters.Tests;

public sealed class ChannelServiceCollectionExtensionsTests
{
    [Fact]
    public void Options_AreBoundFromTheSection_WithTheSystemClock()
    {
        var services = new ServiceCollection();

        services.AddChannelOptions<AcmeOptions, AcmeOptionsValidator>(Section(("BotToken", "t"), ("Retries", "4")));

        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<AcmeOptions>>().Value;
        Assert.Equal(("t", 4), (options.BotToken, options.Retries));
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task MissingRequiredKey_FailsTheStart_NamingIt()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddChannelOptions<AcmeOptions>(Section(("Retries", "4")));
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(nameof(AcmeOptions.BotToken), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheValidator_RunsOnce_WhenTheChannelIsAddedTwice()
    {
        var services = new ServiceCollection();
        var section = Section(("BotToken", "t"), ("Retries", "0"));

        services.AddChannelOptions<AcmeOptions, AcmeOptionsValidator>(section);
        services.AddChannelOptions<AcmeOptions, AcmeOptionsValidator>(section);

        using var provider = services.BuildServiceProvider();
        Assert.Single(provider.GetServices<IValidateOptions<AcmeOptions>>().OfType<AcmeOptionsValidator>());
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AcmeOptions>>().Value);
        Assert.Equal(["Channels:Acme: Retries must be at least 1."], e.Failures);
    }

    [Fact]
    public void TheAdapter_IsOneChannelAdapter_AndOneReadyHealthCheck()
    {
        var services = new ServiceCollection().AddLogging();

        services.AddChannelAdapter<AcmeAdapter, AcmeHealthCheck>("acme");
        services.AddChannelAdapter<AcmeAdapter, AcmeHealthCheck>("acme");

        using var provider = services.BuildServiceProvider();
        var adapter = Assert.Single(provider.GetServices<IChannelAdapter>());
        Assert.Same(provider.GetRequiredService<AcmeAdapter>(), adapter);
        var check = Assert.Single(provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations, r => r.Name == "acme");
        Assert.Equal(["ready"], check.Tags);
    }

    [Fact]
    public void LocalDefaults_GiveWayToTheHubsRegistrations()
    {
        var hubs = new LocalRateLimiter();
        var services = new ServiceCollection();
        services.AddSingleton<ISharedRateLimiter>(hubs);

        services.AddLocalChannelDefaults();

        using var provider = services.BuildServiceProvider();
        Assert.Same(hubs, provider.GetRequiredService<ISharedRateLimiter>());
        Assert.NotNull(provider.GetRequiredService<ConnectionOwnership>());
    }

    private static IConfigurationSection Section(params (string Key, string Value)[] values)
        => new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => KeyValuePair.Create<string, string?>("Channels:Acme:" + v.Key, v.Value)))
            .Build()
            .GetSection("Channels:Acme");

    private sealed class AcmeOptions
    {
        [Required]
        public string BotToken { get; set; } = string.Empty;

        public int Retries { get; set; } = 3;
    }

    private sealed class AcmeOptionsValidator : IValidateOptions<AcmeOptions>
    {
        public ValidateOptionsResult Validate(string? name, AcmeOptions options)
            => options.Retries < 1 ? ValidateOptionsResult.Fail("Channels:Acme: Retries must be at least 1.") : ValidateOptionsResult.Success;
    }

    private sealed class AcmeSender : IChannelSender
    {
        public string Channel => "acme";

        public ChannelCapabilities Capabilities { get; } = new() { MaxTextLength = 100 };

        public Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) => Task.FromResult(new SendResult([]));

        public Task SendTypingAsync(DeliveryTarget target, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class AcmeAdapter() : ChannelAdapter("acme", new ChannelPolicy(), new AcmeSender());

    private sealed class AcmeHealthCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
            => Task.FromResult(HealthCheckResult.Healthy());
    }
}
