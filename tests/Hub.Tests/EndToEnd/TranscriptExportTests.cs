using System.Net;
using System.Text.Json;
using OpenClaw.Channels.Fakes;

namespace OpenClaw.Channels.Tests.EndToEnd;

/// <summary>Issue 11: transcripts live in the store in both modes; <c>/api/transcripts/{sessionKey}</c> exports one as
/// OpenClaw JSONL.</summary>
public class TranscriptExportTests(TestRedis redis) : IClassFixture<TestRedis>
{
    public static TheoryData<string> Modes => new() { "redis", "embedded" };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Export_ReturnsTheTurnAsOpenClawJsonl(string mode)
    {
        await using var t = await TelegramHub.StartAsync(mode == "redis" ? redis : null);
        await t.PostOkAsync(TelegramUpdates.Text(13_001, 53, 53, "hello"));
        await t.Telegram.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30));

        string[] lines = [];
        string? contentType = null;
        try
        {
            await Eventually.UntilAsync(
                async () =>
                {
                    using var response = await t.Hub.Http.GetAsync("/api/transcripts/" + Uri.EscapeDataString("agent:main:telegram:direct:53"));
                    contentType = response.Content.Headers.ContentType?.ToString();
                    lines = response.StatusCode == HttpStatusCode.OK
                        ? (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                        : [];
                    return lines.Length >= 2;
                },
                TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // the assertions below on the last answer say what is missing
        }

        Assert.Equal("application/x-ndjson; charset=utf-8", contentType);
        Assert.Equal(2, lines.Length);
        using var user = JsonDocument.Parse(lines[0]);
        using var assistant = JsonDocument.Parse(lines[1]);
        Assert.Equal("user", user.RootElement.GetProperty("role").GetString());
        Assert.Contains("hello", user.RootElement.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.True(user.RootElement.TryGetProperty("timestamp", out _));
        Assert.Equal("assistant", assistant.RootElement.GetProperty("role").GetString());
        Assert.Equal("answer: hello", assistant.RootElement.GetProperty("content").GetString());

        using var missing = await t.Hub.Http.GetAsync("/api/transcripts/" + Uri.EscapeDataString("agent:main:telegram:direct:99"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
