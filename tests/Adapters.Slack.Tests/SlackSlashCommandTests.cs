using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OpenClaw.Channels.Fakes.Slack;

namespace OpenClaw.Channels.Tests.Slack;

/// <summary>Slash commands at /webhooks/slack/commands and interactions at /webhooks/slack/interactive, with the
/// fields Slack documents (docs.slack.dev/interactivity/implementing-slash-commands#app_command_handling,
/// docs.slack.dev/interactivity/handling-user-interaction#payloads).</summary>
public sealed class SlackSlashCommandTests : IAsyncLifetime
{
    private readonly FakeSlackServer _fake = new();
    private SlackTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _fake.Users["U0BOB"] = new FakeSlackUser("bob", "Robert Smith", "Bob S");
        await _fake.StartAsync();
        _host = await SlackTestHost.StartAsync(_fake, new Dictionary<string, string?> { ["MaxTextLength"] = "100", ["MessagesPerSecondPerChannel"] = "100", ["BurstPerChannel"] = "100" });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private Dictionary<string, string> Command(string command, string text, string triggerId = "13345224609.738474920.8088930838d88f008e0") => new()
    {
        ["token"] = "gIkuvaNzQIHg97ATvDxqgjtO",
        ["team_id"] = "T0FAKE",
        ["team_domain"] = "example",
        ["enterprise_id"] = "E0001",
        ["enterprise_name"] = "Globular Construct Inc",
        ["channel_id"] = "C0GENERAL",
        ["channel_name"] = "general",
        ["user_id"] = "U0ALICE",
        ["user_name"] = "alice",
        ["command"] = command,
        ["text"] = text,
        ["api_app_id"] = "A0FAKE",
        ["is_enterprise_install"] = "false",
        ["response_url"] = _fake.ResponseUrl("1234567890"),
        ["trigger_id"] = triggerId,
    };

    [Fact]
    public async Task Ask_IsAckedWithin3s_AndTheAnswerGoesToResponseUrl()
    {
        var clock = Stopwatch.StartNew();
        var response = await _host.PostFormAsync("/webhooks/slack/commands", Command("/ask", "is 2 &lt; 3 &amp;&amp; <@U0BOB> right?"));
        clock.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"acked after {clock.Elapsed}");
        using (var ack = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            Assert.Equal("in_channel", ack.RootElement.GetProperty("response_type").GetString());
        }

        var message = Assert.Single(_host.Pipeline.Accepted);
        Assert.Equal(MessageType.Text, message.Type);
        Assert.Equal("is 2 < 3 && @Bob S right?", message.Text);
        Assert.True(message.MentionsBot);
        Assert.Equal("agent:main:slack:group:C0GENERAL", Channels.SessionKey.For(message).Value);

        // The agent's answer (what the hub's job sends) goes to response_url, not chat.postMessage.
        await _host.Adapter.Sender.SendAsync(new OutboundMessage { Target = message.ReplyTarget, Text = "Yes: **2 < 3**" }, CancellationToken.None);

        var answer = Assert.Single(_fake.ResponseUrlPosts);
        Assert.Equal("in_channel", (string?)answer["response_type"]);
        Assert.Equal("Yes: *2 < 3*", FakeSlackServer.Displayed((string)answer["text"]!));
        Assert.Empty(_fake.CallsOf("chat.postMessage"));
    }

    [Fact]
    public async Task LongAnswer_UsesResponseUrlFiveTimes_ThenPostsTheRestToTheChannel()
    {
        await _host.PostFormAsync("/webhooks/slack/commands", Command("/ask", "tell me a lot"));
        var message = Assert.Single(_host.Pipeline.Accepted);
        var text = string.Join("\n\n", Enumerable.Range(1, 8).Select(i => $"Paragraph {i} " + new string('x', 70)));

        await _host.Adapter.Sender.SendAsync(new OutboundMessage { Target = message.ReplyTarget, Text = text }, CancellationToken.None);

        Assert.Equal(5, _fake.ResponseUrlPosts.Count);
        var rest = _fake.CallsOf("chat.postMessage");
        Assert.Equal(3, rest.Count);
        Assert.All(rest, p => Assert.Equal("C0GENERAL", p.Channel));
        Assert.Equal(
            Enumerable.Range(1, 8).Select(i => $"Paragraph {i} "),
            _fake.ResponseUrlPosts.Select(p => (string)p["text"]!).Concat(rest.Select(p => p.Text!)).Select(t => t[..(t.IndexOf(' ', 10) + 1)]));
    }

    [Fact]
    public async Task OtherCommand_IsACommandMessage()
    {
        var response = await _host.PostFormAsync("/webhooks/slack/commands", Command("/reset", ""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = Assert.Single(_host.Pipeline.Accepted);
        Assert.Equal(MessageType.Command, message.Type);
        Assert.Equal("reset", message.Command?.Name);
    }

    [Fact]
    public async Task BadSignature_Returns401_AndEnqueuesNothing()
    {
        var response = await _host.PostFormAsync("/webhooks/slack/commands", Command("/ask", "hi"), signature: "v0=" + new string('0', 64));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task MissingResponseUrl_Returns400_AndEnqueuesNothing()
    {
        var fields = Command("/ask", "hi");
        fields.Remove("response_url");

        var response = await _host.PostFormAsync("/webhooks/slack/commands", fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task InteractivePayload_IsAckedEmpty_AndUnsignedIs401()
    {
        const string payload = """{"type":"block_actions","user":{"id":"U0ALICE","username":"alice","team_id":"T0FAKE"},"api_app_id":"A0FAKE","token":"x","container":{"type":"message","message_ts":"1700000300.000400","channel_id":"C0GENERAL"},"trigger_id":"123.456.abc","team":{"id":"T0FAKE","domain":"example"},"channel":{"id":"C0GENERAL","name":"general"},"actions":[{"action_id":"approve","block_id":"b1","type":"button","value":"yes","action_ts":"1700000400.000100"}]}""";
        var fields = new Dictionary<string, string> { ["payload"] = payload };

        var signed = await _host.PostFormAsync("/webhooks/slack/interactive", fields);
        var unsigned = await _host.PostFormAsync("/webhooks/slack/interactive", fields, signature: "v0=bad");
        var malformed = await _host.PostFormAsync("/webhooks/slack/interactive", new Dictionary<string, string> { ["payload"] = "{not json" });

        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal(string.Empty, await signed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }
}
