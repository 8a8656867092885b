using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Discord;

namespace OpenClaw.Channels.Tests;

/// <summary>What a Discord user sees and types: role mentions, registered slash commands, and why the bot is down.</summary>
public sealed class DiscordFidelityTests : IAsyncLifetime
{
    private const string GuildId = "1250000000000000001";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly FakeDiscordServer _fake = new();

    public async Task InitializeAsync()
    {
        _fake.Guilds.Add(GuildId);
        await _fake.StartAsync();
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private Dictionary<string, string?> Settings(Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = DiscordTestHost.DefaultSettings(_fake);
        settings["RegisterCommands"] = "false";
        configure?.Invoke(settings);
        return settings;
    }

    [Fact]
    public async Task MentionOfTheBotsManagedRole_CountsAsAMention_AndIsStripped()
    {
        await using var host = await DiscordTestHost.StartAsync(Settings());
        var conn = await _fake.NextConnectionAsync(Wait);
        await conn.WaitForOpAsync(2, Wait);

        await conn.DispatchAsync("MESSAGE_CREATE", Payload.Json("message-create-guild-role-mention.json"));
        var otherRole = Payload.Json("message-create-guild-role-mention.json");
        otherRole["id"] = "1310000000000000304";
        otherRole["mention_roles"] = new JsonArray(FakeDiscordServer.OtherRoleId(GuildId));
        otherRole["content"] = $"<@&{FakeDiscordServer.OtherRoleId(GuildId)}> not for the bot";
        await conn.DispatchAsync("MESSAGE_CREATE", otherRole);

        var first = await host.Pipeline.NextAsync(Wait);
        var second = await host.Pipeline.NextAsync(Wait);
        Assert.True(first.MentionsBot);
        Assert.Equal("summarize this channel", first.Text);
        Assert.False(second.MentionsBot);
        Assert.Contains("not for the bot", second.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplicationId_RegistersTheSlashCommandsGlobally_AtStart()
    {
        await using var host = await DiscordTestHost.StartAsync(Settings(s =>
        {
            s["RegisterCommands"] = "true";
            s["ApplicationId"] = _fake.ApplicationId;
        }));

        var put = await _fake.NextCallAsync(c => c.Method == "PUT", Wait);
        await Eventually.UntilAsync(() => _fake.RegisteredCommands.ContainsKey("global"), Wait, () => "global commands registered");

        Assert.Equal($"/api/v10/applications/{_fake.ApplicationId}/commands", put.Path);
        Assert.Equal("Bot " + _fake.BotToken, put.Authorization);
        var registered = _fake.RegisteredCommands["global"];
        var ask = registered.Single(c => (string?)c!["name"] == "ask")!;
        Assert.Equal(1, (int)ask["type"]!);
        var prompt = Assert.Single(ask["options"]!.AsArray())!;
        Assert.Equal("prompt", (string?)prompt["name"]);
        Assert.Equal(3, (int)prompt["type"]!);
        Assert.True((bool)prompt["required"]!);
        Assert.Equal(HubCommands.All.Select(c => c.Name), registered.Select(c => (string)c!["name"]!).Where(n => n != "ask"));
    }

    [Fact]
    public async Task GuildIds_RegisterPerGuild_NotGlobally()
    {
        await using var host = await DiscordTestHost.StartAsync(Settings(s =>
        {
            s["RegisterCommands"] = "true";
            s["ApplicationId"] = _fake.ApplicationId;
            s["GuildIds:0"] = "1250000000000000001";
            s["GuildIds:1"] = "1250000000000000002";
        }));

        await Eventually.UntilAsync(() => _fake.RegisteredCommands.ContainsKey("1250000000000000001") && _fake.RegisteredCommands.ContainsKey("1250000000000000002"), Wait, () => "commands registered in both guilds");

        Assert.False(_fake.RegisteredCommands.ContainsKey("global"));
    }

    [Fact]
    public async Task WithoutApplicationId_NothingIsRegistered()
    {
        await using var host = await DiscordTestHost.StartAsync(Settings(s => s["RegisterCommands"] = "true"));
        var conn = await _fake.NextConnectionAsync(Wait);
        await conn.WaitForOpAsync(2, Wait);
        await conn.DispatchAsync("MESSAGE_CREATE", Payload.Json("message-create-dm.json"));

        await host.Pipeline.NextAsync(Wait); // started and working

        Assert.DoesNotContain(_fake.Calls, c => c.Method == "PUT");
    }

    [Theory]
    [InlineData(4004, "authentication failed: check Channels:Discord:BotToken")]
    [InlineData(4014, "disallowed intents: enable the Message Content intent in the developer portal")]
    public async Task FatalClose_HealthDescriptionAndDataSayWhy(int code, string reason)
    {
        await using var host = await DiscordTestHost.StartAsync(Settings());
        var conn = await _fake.NextConnectionAsync(Wait);
        await conn.WaitForOpAsync(2, Wait);

        await conn.CloseAsync(code, "closing");

        var health = host.Services.GetRequiredService<HealthCheckService>();
        HealthReportEntry entry = default;
        await Eventually.UntilAsync(
            async () => (entry = (await health.CheckHealthAsync(r => r.Tags.Contains("ready"))).Entries["discord"]).Status == HealthStatus.Unhealthy,
            Wait,
            () => $"discord stayed {entry.Status}: {entry.Description}");

        Assert.Contains(reason, entry.Description, StringComparison.Ordinal);
        Assert.Equal(code, entry.Data["closeCode"]);
        Assert.Contains(reason, (string)entry.Data["reason"], StringComparison.Ordinal);
    }
}
