using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Fakes.Telegram;

namespace OpenClaw.Channels.Tests.Health;

public class ReadinessTests
{
    [Fact]
    public async Task Readyz_IsJson_WithOneEntryPerCheck_AndHealthzStaysTrivial()
    {
        await using var model = new FakeOpenAiServer();
        await model.StartAsync();
        await using var telegram = new FakeTelegramServer();
        await telegram.StartAsync();
        await using var hub = await HubNode.StartAsync(new Dictionary<string, string?>
        {
            ["Agent:Endpoint"] = model.ApiBaseUrl,
            ["Agent:Model"] = "fake-model",
            ["Channels:Telegram:BotToken"] = telegram.BotToken,
            ["Channels:Telegram:ApiBaseUrl"] = telegram.BaseUrl,
        });
        Assert.Equal("Healthy", await hub.WaitReadyAsync());

        using var response = await hub.Http.GetAsync("/readyz");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = json.RootElement.GetProperty("checks");
        Assert.Equal(["connections", "jobs", "model", "store", "telegram", "webchat"], checks.EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal));
        foreach (var check in checks.EnumerateObject())
        {
            Assert.Equal("Healthy", check.Value.GetProperty("status").GetString());
            Assert.True(check.Value.TryGetProperty("reason", out _));
        }

        Assert.Equal($"fake-model at {model.BaseUrl}: GET /models answered 200.", checks.GetProperty("model").GetProperty("reason").GetString());
        Assert.Equal("Healthy", await hub.Http.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task ModelDown_IsDegraded_WithTheReason()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var hub = await HubNode.StartAsync(new Dictionary<string, string?>
        {
            ["Agent:Endpoint"] = $"http://127.0.0.1:{port}/v1",
            ["Agent:Model"] = "m",
        });
        Assert.Equal("Degraded", await hub.WaitReadyAsync());
        using var json = JsonDocument.Parse(await hub.Http.GetStringAsync("/readyz"));
        var entry = json.RootElement.GetProperty("checks").GetProperty("model");
        Assert.Equal("Degraded", entry.GetProperty("status").GetString());
        Assert.StartsWith($"m at http://127.0.0.1:{port}: no answer (HttpRequestException", entry.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}
