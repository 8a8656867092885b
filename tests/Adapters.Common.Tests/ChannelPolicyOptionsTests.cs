using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Adapters.Tests;

public sealed class ChannelPolicyOptionsTests
{
    [Fact]
    public void Defaults_RequireAMention_AllowEveryone_AndNoBots()
    {
        var policy = new AcmeOptions().ToPolicy();

        Assert.True(policy.RequireMention);
        Assert.Empty(policy.AllowFrom);
        Assert.False(policy.AllowBots);
    }

    [Fact]
    public void BoundFromTheChannelSection_MapsToThePolicy()
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Channels:Acme:RequireMention"] = "false",
            ["Channels:Acme:AllowFrom:0"] = "U1",
            ["Channels:Acme:AllowFrom:1"] = "U2",
            ["Channels:Acme:AllowBots"] = "true",
        }).Build().GetSection("Channels:Acme");
        using var services = new ServiceCollection().AddOptions().Configure<AcmeOptions>(section).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<AcmeOptions>>().Value;
        var policy = options.ToPolicy();
        options.AllowFrom.Add("U3");

        Assert.False(policy.RequireMention);
        Assert.True(policy.AllowBots);
        Assert.Equal(["U1", "U2"], policy.AllowFrom);
    }

    private sealed class AcmeOptions : ChannelPolicyOptions
    {
    }
}
