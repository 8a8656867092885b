using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NSec.Cryptography;
using OpenClaw.Channels.Fakes.Discord;
using OpenClaw.Channels.Fakes.OpenAi;

namespace OpenClaw.Channels.Tests.EndToEnd;

/// <summary>Issue 4 through the hub: gateway MESSAGE_CREATE and a signed slash-command interaction, answered by the fake
/// model through the fake Discord REST API.</summary>
public sealed class DiscordChatTests(TestRedis redis) : IClassFixture<TestRedis>, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    // Heartbeats every 2 s, not the fake's 250 ms: on a loaded machine a late ACK makes the hub close the connection as a
    // zombie and resume, and a dispatch sent on the closed connection (the marker below) would be lost.
    private readonly FakeDiscordServer _discord = new() { ExpectedIntents = 37377, HeartbeatIntervalMs = 2_000 };
    private readonly FakeOpenAiServer _model = new();
    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519);
    private HubNode _hub = null!;

    private static string Payload(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "Discord", name));

    public async Task InitializeAsync()
    {
        await _discord.StartAsync();
        await _model.StartAsync();
        _hub = await HubNode.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Hub:KeyPrefix"] = TestRedis.NewPrefix(),
            ["Channels:Discord:BotToken"] = _discord.BotToken,
            ["Channels:Discord:ApplicationId"] = _discord.ApplicationId,
            ["Channels:Discord:ApiBaseUrl"] = _discord.ApiBaseUrl,
            ["Channels:Discord:PublicKey"] = Convert.ToHexString(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToLowerInvariant(),
            ["Channels:Discord:ReconnectDelayMs"] = "50",
            ["Channels:Discord:IdentifyWindowMs"] = "200",
            ["Agent:Endpoint"] = _model.ApiBaseUrl,
        });
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _discord.DisposeAsync();
        await _model.DisposeAsync();
        _key.Dispose();
    }

    [Fact]
    public async Task GatewayDirectMessage_IsAnsweredByRestCreateMessage_AndAReplayIsNotAnsweredTwice()
    {
        var conn = await _discord.NextConnectionAsync(Wait);
        await conn.WaitForOpAsync(2, Wait);
        await conn.DispatchAsync("MESSAGE_CREATE", JsonNode.Parse(Payload("message-create-dm.json"))!);

        var post = await _discord.NextCallAsync(c => c.Method == "POST" && c.Path == "/api/v10/channels/1200000000000000010/messages", Wait);
        Assert.Equal("answer: hello bot, what's the weather?", post.Body!["content"]!.GetValue<string>());

        // The same event again (as a resume replays it) produces nothing new. Positive marker instead of a sleep: a new
        // message in the same DM, dispatched after the replay on the same connection, is answered; a replay that got
        // through would have been answered before it (one session, in order).
        await conn.DispatchAsync("MESSAGE_CREATE", JsonNode.Parse(Payload("message-create-dm.json"))!);
        var marker = JsonNode.Parse(Payload("message-create-dm.json"))!;
        marker["id"] = "1310000000000000102";
        marker["nonce"] = "1310000000000000001";
        marker["content"] = "marker";
        await conn.DispatchAsync("MESSAGE_CREATE", marker);
        await _discord.NextCallAsync(c => c.Method == "POST" && c.Path.EndsWith("/messages", StringComparison.Ordinal) && c.Body?["content"]?.GetValue<string>() == "answer: marker", Wait);
        Assert.Equal(
            ["answer: hello bot, what's the weather?", "answer: marker"],
            _discord.Calls.Where(c => c.Method == "POST" && c.Path.EndsWith("/messages", StringComparison.Ordinal)).Select(c => c.Body!["content"]!.GetValue<string>()));
        Assert.Equal(2, _model.RequestCount); // the first message and the marker
    }

    [Fact]
    public async Task SlashCommand_IsDeferred_ThenTheAnswerEditsTheOriginalResponse()
    {
        var body = Payload("interaction-ask-command.json");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/discord/interactions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Signature-Ed25519", Convert.ToHexString(SignatureAlgorithm.Ed25519.Sign(_key, Encoding.UTF8.GetBytes(timestamp + body))).ToLowerInvariant());
        request.Headers.Add("X-Signature-Timestamp", timestamp);
        using var response = await _hub.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]!.GetValue<int>());
        var patch = await _discord.NextCallAsync(c => c.Method == "PATCH" && c.Path.EndsWith("/messages/@original", StringComparison.Ordinal), Wait);
        Assert.EndsWith("What is the capital of Australia?", patch.Body!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
