using System.Net;
using System.Net.Http.Json;
using OpenClaw.Channels.Fakes;

namespace OpenClaw.Channels.Tests;

/// <summary>Two hubs on one Redis: the answer reaches the browser's event stream whichever node runs the turn.</summary>
public class WebChatTwoNodeTests
{
    [Fact]
    public async Task Answer_ReachesTheBrowsersStreams_OnBothNodes()
    {
        var redis = Environment.GetEnvironmentVariable("OPENCLAW_TEST_REDIS") ?? "127.0.0.1:6390";
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis,
            ["Hub:KeyPrefix"] = $"test:{Guid.NewGuid():N}:",
        };
        await using var a = await WebChatHub.StartAsync(settings);
        await using var b = await WebChatHub.StartAsync(settings);
        var cookies = new CookieContainer();
        using var atA = a.NewBrowser(cookies);
        using var atB = b.NewBrowser(cookies);
        (await atA.GetAsync("/")).Dispose(); // the session cookie, sent to both nodes from now on
        await using var streamA = await EventStreamReader.OpenAsync(atA);
        await using var streamB = await EventStreamReader.OpenAsync(atB);

        var texts = Enumerable.Range(1, 4).Select(i => $"turn {i}").ToList();
        foreach (var text in texts)
        {
            using var posted = await atA.PostAsJsonAsync("/webchat/api/messages", new { id = text.Replace(' ', '-'), text });
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        foreach (var stream in new[] { streamA, streamB })
        {
            await Eventually.UntilAsync(
                () => texts.All(t => stream.Messages.Any(m => m.GetProperty("final").GetBoolean() && m.GetProperty("html").GetString()!.Contains("answer: " + t, StringComparison.Ordinal))),
                TimeSpan.FromSeconds(30),
                () => "missing answers on a node; got " + string.Join(" | ", stream.Messages.Select(m => m.GetRawText())));
        }

        // One turn per message across both nodes (the run went to the session's owner, once).
        Assert.Equal(texts.Count, a.Model.RequestCount + b.Model.RequestCount);
    }
}
