using System.Diagnostics;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Fakes.WeChat;
using OpenClaw.Channels.Hub.Routing;
using OpenClaw.Channels.Tests.Ordering;
using Xunit.Abstractions;

namespace OpenClaw.Channels.Tests.Ownership;

/// <summary>Issue 16, WeChat passive reply when the callback's node dies: two hub processes on one Redis, the callbacks
/// posted to node A, the runs on node B. Node A is frozen (SIGSTOP) while it waits on the slots, before node B's runs
/// hand their answers over, and then SIGKILLed. Node B gets no confirmation that the answers went onto the callback
/// responses, withdraws them and sends each through the customer-service API: every user gets the answer exactly once
/// at the fake WeChat server, also after WeChat's retries of the unanswered callbacks reach node B.</summary>
[TypicalDuration(18)]
public sealed class WeChatPassiveReplyNodeDeathTests(TestRedis redis, ITestOutputHelper output) : IClassFixture<TestRedis>
{
    private const string Token = "hub-wechat-death-token";
    private const int NodeTtlMs = 3_000;
    private const int WindowMs = 4_500;

    [Fact]
    public async Task CallbackNodeFrozenThenKilled_AfterItsSlotsWereHandedAnswers_EachAnswerSentOnceThroughTheApi()
    {
        await using var wechat = new FakeWeChatServer();
        await wechat.StartAsync();
        await using var model = new FakeOpenAiServer();
        await model.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Hub:KeyPrefix"] = TestRedis.NewPrefix(),
            ["Hub:NodeTtlMs"] = NodeTtlMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hub:NodeHeartbeatMs"] = "500",
            ["Channels:WeChat:Token"] = Token,
            ["Channels:WeChat:AppId"] = wechat.AppId,
            ["Channels:WeChat:AppSecret"] = wechat.AppSecret,
            ["Channels:WeChat:ApiBaseUrl"] = wechat.BaseUrl,
            ["Channels:WeChat:PassiveReplyWindowMs"] = WindowMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Agent:Endpoint"] = model.ApiBaseUrl,
            ["Agent:Model"] = "fake-model",
            ["Agent:ApiKey"] = "sk-test-key",
            ["Logging:LogLevel:OpenClaw.Channels.WeChat"] = "Debug",
        };
        var nodes = await Task.WhenAll(HubProcess.StartAsync("node-a", settings, HubReadiness.Listening), HubProcess.StartAsync("node-b", settings, HubReadiness.Listening));
        var (a, b) = (nodes[0], nodes[1]);
        try
        {
            await Eventually.UntilAsync(() => nodes.All(n => n.Output.Any(l => l.Contains("Ring members now node-a,node-b", StringComparison.Ordinal))), TimeSpan.FromSeconds(30), () => "both nodes in the ring");

            // Users whose sessions the ring of the two nodes puts on node B: one warm-up, four measured, one marker.
            var ring = new ConsistentHashRing(["node-a", "node-b"], 128);
            var onB = Enumerable.Range(0, 200).Select(i => "oDEATH_" + i)
                .Where(u => ring.Owner(SessionKey.For("wechat", ChatKind.Direct, u, null).Value) == "node-b").Take(6).ToList();
            var (warmUp, measured, marker) = (onB[0], onB[1..5], onB[5]);

            // Warm-up through node A: the first job pick-up, model call and access token; answered either way.
            using var toA = new HttpClient { BaseAddress = new Uri(a.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
            using var toB = new HttpClient { BaseAddress = new Uri(b.BaseUrl), Timeout = TimeSpan.FromSeconds(20) };
            var warmBody = await WeChatCallbacks.PostAsync(toA, Token, warmUp, 8000, "warm up " + warmUp);
            await Eventually.UntilAsync(() => warmBody.Contains("answer: warm up", StringComparison.Ordinal) || wechat.Attempts.Any(m => m.ToUser == warmUp), TimeSpan.FromSeconds(30), () => "the warm-up answered");

            // The measured callbacks wait on node A while node B's runs sit in the model; then node A hangs.
            model.LatencyMs = 1_500;
            var msgIds = measured.ToDictionary(u => u, u => 8001L + measured.IndexOf(u));
            var callbacks = measured.Select(u => WeChatCallbacks.PostAsync(toA, Token, u, msgIds[u], "hi from " + u)).ToList();
            await Eventually.UntilAsync(() => model.RequestCount >= 1 + measured.Count, TimeSpan.FromSeconds(30), () => $"model requests {model.RequestCount}");
            a.Freeze();
            var frozen = Stopwatch.StartNew();

            // Node B handed the answers over, got no confirmation and sent each through the customer-service API.
            bool SentOnce(string user) => wechat.Attempts.Count(m => m.ToUser == user) == 1;
            await Eventually.UntilAsync(() => measured.All(SentOnce), TimeSpan.FromSeconds(30), () => $"API sends {string.Join(", ", wechat.Attempts.Select(m => m.ToUser))}");
            output.WriteLine($"all {measured.Count} answers sent through the API {frozen.ElapsedMilliseconds} ms after the freeze (node TTL {NodeTtlMs} ms, window {WindowMs} ms)");
            await a.KillAsync();
            foreach (var callback in callbacks)
            {
                // The frozen node never answered its callbacks; the kill closed their connections.
                await Assert.ThrowsAnyAsync<Exception>(() => callback);
            }

            // WeChat retries callbacks that got no response; the retries reach node B now and are only acknowledged.
            model.LatencyMs = 0;
            foreach (var user in measured)
            {
                Assert.Equal("success", await WeChatCallbacks.PostAsync(toB, Token, user, msgIds[user], "hi from " + user));
            }

            // Positive marker: a later message through node B is answered (passively when in time), after the retries.
            var markerBody = await WeChatCallbacks.PostAsync(toB, Token, marker, 8100, "marker " + marker);
            await Eventually.UntilAsync(() => markerBody.Contains("answer: marker", StringComparison.Ordinal) || wechat.Attempts.Any(m => m.ToUser == marker), TimeSpan.FromSeconds(30), () => "the marker answered");
            foreach (var user in measured)
            {
                Assert.Equal(["answer: hi from " + user], wechat.Attempts.Where(m => m.ToUser == user).Select(m => m.Content));
                Assert.True(b.CountLines($"did not confirm the passive reply to {user};") == 1, $"node B did not withdraw the answer to {user}");
            }

            Assert.Equal(measured.Count, wechat.Attempts.Count(m => m.ToUser != warmUp && m.ToUser != marker));
        }
        catch
        {
            WeChatCallbacks.WriteTails(output, nodes);
            throw;
        }
        finally
        {
            foreach (var n in nodes)
            {
                await n.DisposeAsync();
            }
        }
    }
}
