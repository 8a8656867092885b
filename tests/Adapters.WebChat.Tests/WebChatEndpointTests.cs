using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.WebChat;

namespace OpenClaw.Channels.Tests;

/// <summary>The web chat's HTTP API through a real hub: page, post, event stream, history, dedupe, access rules.</summary>
public class WebChatEndpointTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static Task<HttpResponseMessage> PostAsync(HttpClient browser, string id, string text)
        => browser.PostAsJsonAsync("/webchat/api/messages", new { id, text });

    private static async Task<JsonElement> HistoryAsync(HttpClient browser)
    {
        using var response = await browser.GetAsync("/webchat/api/history");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messages");
    }

    private static Task<JsonElement> FinalAsync(EventStreamReader events, Func<string, bool> html)
        => FinalAsync(events, html, Timeout);

    private static async Task<JsonElement> FinalAsync(EventStreamReader events, Func<string, bool> html, TimeSpan timeout)
    {
        JsonElement found = default;
        await Eventually.UntilAsync(
            () =>
            {
                foreach (var m in events.Messages)
                {
                    if (m.GetProperty("final").GetBoolean() && html(m.GetProperty("html").GetString()!))
                    {
                        found = m;
                        return true;
                    }
                }

                return false;
            },
            timeout,
            () => "no matching final answer; got " + string.Join(" | ", events.Messages.Select(m => m.GetRawText())));
        return found;
    }

    [Fact]
    public async Task Page_IsServedWithSessionCookie_AndContentSecurityPolicy()
    {
        await using var hub = await WebChatHub.StartAsync();
        using var browser = hub.NewBrowser();
        using var page = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/webchat/app.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(WebChatEndpoints.ContentSecurityPolicy, page.Headers.GetValues("Content-Security-Policy").Single());
        var cookie = Assert.Single(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith(WebChatAccess.SessionCookie + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var script = await browser.GetAsync("/webchat/app.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        using var style = await browser.GetAsync("/webchat/app.css");
        Assert.Equal("text/css", style.Content.Headers.ContentType?.MediaType);
        using var missing = await browser.GetAsync("/webchat/other.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ReadinessCheck_IsHealthy_AndCountsOpenStreams()
    {
        await using var hub = await WebChatHub.StartAsync();
        var health = hub.App.Services.GetRequiredService<HealthCheckService>();
        using var browser = hub.NewBrowser();
        await using (await EventStreamReader.OpenAsync(browser))
        {
            var report = await health.CheckHealthAsync(c => c.Name == "webchat");
            var entry = report.Entries["webchat"];
            Assert.Equal(HealthStatus.Healthy, entry.Status);
            Assert.Contains("local browsers only", entry.Description, StringComparison.Ordinal);
            Assert.Equal(1, entry.Data["open_streams"]);
            Assert.Contains("ready", entry.Tags);
        }

        await Eventually.UntilAsync(
            async () => (int)(await health.CheckHealthAsync(c => c.Name == "webchat")).Entries["webchat"].Data["open_streams"] == 0,
            TimeSpan.FromSeconds(10),
            () => "the closed stream is still counted");
    }

    [Fact]
    public async Task Answer_IsStreamedAsEditsOfOneMessage_ThenShownInHistory()
    {
        const string answer = "**Hello** there, this answer is streamed word by word so that the page shows it growing: one two three four five six seven eight.";
        await using var hub = await WebChatHub.StartAsync(model: m =>
        {
            m.StreamChunkDelayMs = 120;
            m.DefaultResponder = _ => FakeChatResponse.Answer(answer);
        });
        using var browser = hub.NewBrowser();
        (await browser.GetAsync("/")).Dispose();
        await using var events = await EventStreamReader.OpenAsync(browser);

        using var posted = await PostAsync(browser, "m1", "hello web");
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var final = await FinalAsync(events, h => h.Contains("eight.", StringComparison.Ordinal));

        var updates = events.Messages;
        var id = final.GetProperty("id").GetString();
        Assert.All(updates, u => Assert.Equal(id, u.GetProperty("id").GetString()));
        Assert.True(updates.Count >= 3, $"placeholder, at least one partial text and the final text; got {updates.Count}");
        Assert.Contains(updates, u => !u.GetProperty("final").GetBoolean() && u.GetProperty("html").GetString()!.Contains("Hello", StringComparison.Ordinal)
            && !u.GetProperty("html").GetString()!.Contains("eight.", StringComparison.Ordinal));
        Assert.Contains("<strong>Hello</strong>", final.GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.Equal("hello web", hub.Model.Requests.Single().LastUserText);

        var history = await HistoryAsync(browser);
        Assert.Equal(2, history.GetArrayLength());
        Assert.Equal("user", history[0].GetProperty("role").GetString());
        Assert.Equal("hello web", history[0].GetProperty("text").GetString());
        Assert.Equal("assistant", history[1].GetProperty("role").GetString());
        Assert.Contains("<strong>Hello</strong>", history[1].GetProperty("html").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameClientMessageId_IsAnsweredOnce()
    {
        await using var hub = await WebChatHub.StartAsync();
        using var browser = hub.NewBrowser();
        await using var events = await EventStreamReader.OpenAsync(browser);

        using (var first = await PostAsync(browser, "dup-1", "only once"))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        using (var again = await PostAsync(browser, "dup-1", "only once"))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal("duplicate", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        }

        await FinalAsync(events, h => h.Contains("answer: only once", StringComparison.Ordinal));

        // Positive marker: a later message is answered, so a second run of the first would have happened by now.
        using (var later = await PostAsync(browser, "dup-2", "later"))
        {
            Assert.Equal(HttpStatusCode.Accepted, later.StatusCode);
        }

        await FinalAsync(events, h => h.Contains("answer: later", StringComparison.Ordinal));
        Assert.Single(hub.Model.Requests, r => r.LastUserText == "only once");
        Assert.Single(events.Messages, m => m.GetProperty("final").GetBoolean() && m.GetProperty("html").GetString()!.Contains("only once", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoBrowsers_HaveTheirOwnConversations()
    {
        await using var hub = await WebChatHub.StartAsync();
        using var alice = hub.NewBrowser();
        using var bob = hub.NewBrowser();
        await using var aliceEvents = await EventStreamReader.OpenAsync(alice);
        await using var bobEvents = await EventStreamReader.OpenAsync(bob);

        (await PostAsync(alice, "a1", "I am alice")).Dispose();
        await FinalAsync(aliceEvents, h => h.Contains("answer: I am alice", StringComparison.Ordinal));
        (await PostAsync(bob, "a1", "I am bob")).Dispose(); // the same client id in another session is another message
        await FinalAsync(bobEvents, h => h.Contains("answer: I am bob", StringComparison.Ordinal));

        Assert.DoesNotContain(bobEvents.Messages, m => m.GetProperty("html").GetString()!.Contains("alice", StringComparison.Ordinal));
        Assert.DoesNotContain(aliceEvents.Messages, m => m.GetProperty("html").GetString()!.Contains("bob", StringComparison.Ordinal));
        Assert.Equal("I am alice", (await HistoryAsync(alice))[0].GetProperty("text").GetString());
        Assert.Equal("I am bob", (await HistoryAsync(bob))[0].GetProperty("text").GetString());

        // Each browser's model request carried only its own conversation.
        Assert.DoesNotContain(hub.Model.Requests.Single(r => r.LastUserText == "I am bob").Messages, m => m.Content?.Contains("alice", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Reset_StartsAFreshConversation()
    {
        await using var hub = await WebChatHub.StartAsync();
        using var browser = hub.NewBrowser();
        await using var events = await EventStreamReader.OpenAsync(browser);
        (await PostAsync(browser, "r1", "remember me")).Dispose();
        await FinalAsync(events, h => h.Contains("answer: remember me", StringComparison.Ordinal));
        Assert.Equal(2, (await HistoryAsync(browser)).GetArrayLength());

        (await PostAsync(browser, "r2", "/reset")).Dispose();
        await FinalAsync(events, h => h.Contains("fresh session", StringComparison.Ordinal));
        Assert.Equal(0, (await HistoryAsync(browser)).GetArrayLength());

        (await PostAsync(browser, "r3", "who am I")).Dispose();
        await FinalAsync(events, h => h.Contains("answer: who am I", StringComparison.Ordinal));
        Assert.DoesNotContain(hub.Model.Requests[^1].Messages, m => m.Content?.Contains("remember me", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task MalformedMessages_Return400Or415_AndEnqueueNothing()
    {
        await using var hub = await WebChatHub.StartAsync(new Dictionary<string, string?> { ["Channels:WebChat:MaxMessageLength"] = "20" });
        using var browser = hub.NewBrowser();
        await using var events = await EventStreamReader.OpenAsync(browser);

        foreach (var (id, text) in new[] { ("", "hi"), ("bad id!", "hi"), (new string('x', 65), "hi"), ("ok", "   "), ("ok", new string('y', 21)) })
        {
            using var response = await PostAsync(browser, id, text);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        using (var notJson = await browser.PostAsync("/webchat/api/messages", new StringContent("{\"id\":", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        }

        using (var form = await browser.PostAsync("/webchat/api/messages", new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = "f", ["text"] = "hi" })))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        }

        (await PostAsync(browser, "good", "valid")).Dispose();
        await FinalAsync(events, h => h.Contains("answer: valid", StringComparison.Ordinal));
        Assert.Equal(1, hub.Model.RequestCount);
    }

    [Fact]
    public async Task ForwardedRequest_IsNotLocal_AndGets403_WhenRemoteIsOff()
    {
        await using var hub = await WebChatHub.StartAsync();
        using var browser = hub.NewBrowser();
        foreach (var header in new[] { "X-Forwarded-For", "Forwarded", "X-Real-IP" })
        {
            using var page = new HttpRequestMessage(HttpMethod.Get, "/");
            page.Headers.TryAddWithoutValidation(header, header == "Forwarded" ? "for=203.0.113.7" : "203.0.113.7");
            using var response = await browser.SendAsync(page);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using var post = new HttpRequestMessage(HttpMethod.Post, "/webchat/api/messages") { Content = JsonContent.Create(new { id = "x1", text = "from far away" }) };
        post.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using (var refused = await browser.SendAsync(post))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        // Positive marker: a local message is answered; the refused one never reached the model.
        await using var events = await EventStreamReader.OpenAsync(browser);
        (await PostAsync(browser, "x2", "from here")).Dispose();
        await FinalAsync(events, h => h.Contains("answer: from here", StringComparison.Ordinal));
        Assert.Equal(1, hub.Model.RequestCount);
    }

    [Fact]
    public async Task AllowRemote_NeedsTheToken_AsQueryOnceOrBearer()
    {
        const string token = "a-long-enough-web-chat-token";
        await using var hub = await WebChatHub.StartAsync(new Dictionary<string, string?>
        {
            ["Channels:WebChat:AllowRemote"] = "true",
            ["Channels:WebChat:AccessToken"] = token,
        });
        using var remote = hub.NewBrowser();
        remote.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");

        using (var noToken = await remote.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        }

        using (var wrong = await remote.GetAsync("/?token=not-the-token-at-all"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var withToken = await remote.GetAsync("/?token=" + token))
        {
            Assert.Equal(HttpStatusCode.Redirect, withToken.StatusCode);
            Assert.Equal("/", withToken.Headers.Location?.OriginalString);
            Assert.DoesNotContain(withToken.Headers.GetValues("Set-Cookie"), c => c.Contains(token, StringComparison.Ordinal));
        }

        using (var page = await remote.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode); // the cookie now proves the token
        }

        await using (var events = await EventStreamReader.OpenAsync(remote))
        {
            (await PostAsync(remote, "t1", "remote hello")).Dispose();
            await FinalAsync(events, h => h.Contains("answer: remote hello", StringComparison.Ordinal));
        }

        using var bearer = hub.NewBrowser();
        bearer.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.8");
        using (var refused = await PostAsync(bearer, "t2", "no token"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        bearer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using (var accepted = await PostAsync(bearer, "t3", "bearer hello"))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }
    }

    [Fact]
    public async Task AllowRemote_WithoutToken_FailsAtStart_NamingTheKey()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => WebChatHub.StartAsync(new Dictionary<string, string?>
        {
            ["Channels:WebChat:AllowRemote"] = "true",
            ["Channels:WebChat:AccessToken"] = "short",
        }));
        Assert.Contains("Channels:WebChat:AccessToken", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabled_MapsNoPage()
    {
        await using var hub = await WebChatHub.StartAsync(new Dictionary<string, string?> { ["Channels:WebChat:Enabled"] = "false" });
        using var browser = hub.NewBrowser();
        using var page = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
    }

    [Fact]
    public async Task RedisMode_MessageGoesThroughTheSamePipeline()
    {
        var redis = Environment.GetEnvironmentVariable("OPENCLAW_TEST_REDIS") ?? "127.0.0.1:6390";
        await using var hub = await WebChatHub.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis,
            ["Hub:KeyPrefix"] = $"test:{Guid.NewGuid():N}:",
        });
        using var browser = hub.NewBrowser();
        await using var events = await EventStreamReader.OpenAsync(browser);
        (await PostAsync(browser, "redis-1", "via redis")).Dispose();
        using (var again = await PostAsync(browser, "redis-1", "via redis"))
        {
            Assert.Equal("duplicate", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        }

        await FinalAsync(events, h => h.Contains("answer: via redis", StringComparison.Ordinal));
        var history = await HistoryAsync(browser);
        Assert.Equal("via redis", history[0].GetProperty("text").GetString());
        Assert.Single(hub.Model.Requests);
    }
}
