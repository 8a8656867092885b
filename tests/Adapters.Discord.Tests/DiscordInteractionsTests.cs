using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NSec.Cryptography;
using OpenClaw.Channels.Fakes.Discord;

namespace OpenClaw.Channels.Tests;

public sealed class DiscordInteractionsTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly FakeDiscordServer _fake = new();
    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519);
    private DiscordTestHost _host = null!;

    public async Task InitializeAsync()
    {
        await _fake.StartAsync();
        var settings = DiscordTestHost.DefaultSettings(_fake);
        settings["EnableGateway"] = "false";
        settings["PublicKey"] = Convert.ToHexString(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToLowerInvariant();
        _host = await DiscordTestHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
        _key.Dispose();
    }

    [Fact]
    public async Task Ping_WithValidSignature_ReturnsPong()
    {
        using var response = await PostAsync(Payload.Text("interaction-ping.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(1, body["type"]!.GetValue<int>());
    }

    [Fact]
    public async Task TamperedBody_Returns401_AndEnqueuesNothing()
    {
        var body = Payload.Text("interaction-ask-command.json");
        var tampered = body.Replace("capital of Australia", "capital of Austria", StringComparison.Ordinal);

        using var response = await PostAsync(tampered, signedBody: body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task MissingSignature_Returns401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/discord/interactions")
        {
            Content = new StringContent(Payload.Text("interaction-ping.json"), Encoding.UTF8, "application/json"),
        };
        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SignatureFromAnotherKey_Returns401()
    {
        using var other = Key.Create(SignatureAlgorithm.Ed25519);
        using var response = await PostAsync(Payload.Text("interaction-ping.json"), key: other);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SlashCommand_AnswersDeferred_ThenAnswerIsPatchedToOriginal()
    {
        using var response = await PostAsync(Payload.Text("interaction-ask-command.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]!.GetValue<int>());
        var message = await _host.Pipeline.NextAsync(Wait);
        Assert.Equal("What is the capital of Australia?", message.Text);
        Assert.Equal("1330000000000000002", message.PlatformMessageId);
        Assert.Equal("1100000000000000001", message.AccountId);
        Assert.Equal(ChatKind.Group, message.Chat.Kind);
        Assert.Equal("1200000000000000020", message.Chat.Id);
        Assert.Equal("1000000000000000047", message.Sender.Id);
        Assert.True(message.MentionsBot);
        Assert.Null(message.Command);
        const string token = "aW50ZXJhY3Rpb246MTMzMDAwMDAwMDAwMDAwMDAwMjpmYWtlLXRva2Vu";
        Assert.Equal(token, message.ReplyContext);

        await _host.Sender.SendAsync(new OutboundMessage { Target = message.ReplyTarget, Text = "Canberra." }, CancellationToken.None);

        var patch = await _fake.NextCallAsync(c => c.Method == "PATCH", Wait);
        Assert.Equal($"/api/v10/webhooks/1100000000000000001/{token}/messages/@original", patch.Path);
        Assert.Equal("Canberra.", patch.Body!["content"]!.GetValue<string>());
        Assert.Empty(patch.Authorization); // interaction webhooks are authenticated by the token in the path
        Assert.DoesNotContain(_fake.Calls, c => c.Path.Contains("/channels/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SlashCommand_LongAnswer_EditsOriginalThenFollowsUp()
    {
        using var response = await PostAsync(Payload.Text("interaction-ask-command.json"));
        var message = await _host.Pipeline.NextAsync(Wait);
        var text = string.Join("\n\n", Enumerable.Range(0, 35).Select(i => $"Paragraph {i:D2} " + new string('x', 86)));

        var result = await _host.Sender.SendAsync(new OutboundMessage { Target = message.ReplyTarget, Text = text }, CancellationToken.None);

        Assert.Equal(2, result.PlatformMessageIds.Count);
        var calls = _fake.Calls.Where(c => c.Path.Contains("/webhooks/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal("PATCH", calls[0].Method);
        Assert.EndsWith("/messages/@original", calls[0].Path, StringComparison.Ordinal);
        Assert.Equal("POST", calls[1].Method);
        Assert.StartsWith("Paragraph 00", calls[0].Body!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("Paragraph 34 " + new string('x', 86), calls[1].Body!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedJson_WithValidSignature_Returns400()
    {
        using var response = await PostAsync("{not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task BodyAboveOneMebibyte_Returns413_AndEnqueuesNothing()
    {
        // A signed, well-formed command padded past the endpoint's 1 MiB request size limit.
        var body = Payload.Text("interaction-ask-command.json").TrimEnd().TrimEnd('}') + ",\"pad\":\"" + new string('x', 1 << 20) + "\"}";

        using var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string? signedBody = null, Key? key = null)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = SignatureAlgorithm.Ed25519.Sign(key ?? _key, Encoding.UTF8.GetBytes(timestamp + (signedBody ?? body)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/discord/interactions")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Signature-Ed25519", Convert.ToHexString(signature).ToLowerInvariant());
        request.Headers.Add("X-Signature-Timestamp", timestamp);
        return await _host.Client.SendAsync(request);
    }
}
