using Microsoft.Extensions.Options;
using OpenClaw.Channels.Fakes.Slack;

namespace OpenClaw.Channels.Tests.Slack;

public sealed class SlackServiceCollectionExtensionsTests : IAsyncLifetime
{
    private readonly FakeSlackServer _fake = new();

    public Task InitializeAsync() => _fake.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task EventsModeWithoutSigningSecret_FailsAtStart()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => SlackTestHost.StartAsync(_fake, new Dictionary<string, string?> { ["SigningSecret"] = "" }));
        Assert.Contains("SigningSecret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SocketModeWithoutAppToken_FailsAtStart()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => SlackTestHost.StartAsync(_fake, new Dictionary<string, string?> { ["Mode"] = "SocketMode", ["AppToken"] = "" }));
        Assert.Contains("AppToken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyOptions_AreBoundIntoTheAdapterPolicy()
    {
        await using var host = await SlackTestHost.StartAsync(_fake, new Dictionary<string, string?>
        {
            ["RequireMention"] = "false",
            ["AllowBots"] = "true",
            ["AllowFrom:0"] = "U0ALICE",
            ["StreamReplies"] = "true",
        });
        var policy = host.Adapter.Policy;
        Assert.False(policy.RequireMention);
        Assert.True(policy.AllowBots);
        Assert.Equal(["U0ALICE"], policy.AllowFrom);
        Assert.True(host.Adapter.SlackSender.StreamReplies);
    }

    [Fact]
    public async Task AllowBots_LetsOtherBotsThrough_ButNeverTheBotItself()
    {
        await using var host = await SlackTestHost.StartAsync(_fake, new Dictionary<string, string?> { ["AllowBots"] = "true", ["RequireMention"] = "false" });
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.PostEventAsync(SlackTestHost.Payload("bot-message.json"))).StatusCode);
        var message = Assert.Single(host.Pipeline.Accepted);
        Assert.True(message.Sender.IsBot);
        Assert.Equal("B0CIBOT", message.Sender.Id);

        var own = SlackTestHost.Payload("bot-message.json")
            .Replace("Ev0BT00001", "Ev0BT00002", StringComparison.Ordinal)
            .Replace("1700000500.000600", "1700000501.000600", StringComparison.Ordinal)
            .Replace("\"app_id\": \"A0CIAPP\"", "\"app_id\": \"A0FAKE\"", StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.PostEventAsync(own)).StatusCode);
        Assert.Single(host.Pipeline.Accepted);
    }
}
