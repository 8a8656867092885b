using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Fakes.WeChat;
using OpenClaw.Channels.Hub.Routing;
using OpenClaw.Channels.Tests.Ordering;
using Xunit.Abstractions;

namespace OpenClaw.Channels.Tests.Ownership;

/// <summary>Issue 16, WeChat passive reply from any node: two hubs on one Redis (in the test process: no node dies
/// here); every callback goes to node A, and the ring puts most of the sessions on node B. After one warm-up turn per
/// node, every answer rides on its callback's response, measured at the fake WeChat server: the customer-service API is
/// never called for them.</summary>
[TypicalDuration(14)]
public sealed class WeChatPassiveReplyAcrossNodesTests(TestRedis redis, ITestOutputHelper output) : IClassFixture<TestRedis>
{
    private const string Token = "hub-wechat-nodes-token";

    [Fact]
    public async Task CallbacksToNodeA_RunsOnNodeB_AllAnsweredPassively_NoCustomerServiceCall()
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
            ["Hub:NodeTtlMs"] = "3000",
            ["Hub:NodeHeartbeatMs"] = "500",
            ["Channels:WeChat:Token"] = Token,
            ["Channels:WeChat:AppId"] = wechat.AppId,
            ["Channels:WeChat:AppSecret"] = wechat.AppSecret,
            ["Channels:WeChat:ApiBaseUrl"] = wechat.BaseUrl,
            ["Channels:WeChat:PassiveReplyWindowMs"] = "4800", // the longest WeChat's 5-s limit allows: a loaded machine still answers within it
            ["Agent:Endpoint"] = model.ApiBaseUrl,
            ["Agent:Model"] = "fake-model",
            ["Agent:ApiKey"] = "sk-test-key",
            ["Logging:LogLevel:OpenClaw.Channels.WeChat"] = "Debug",
        };
        var nodes = await Task.WhenAll(LoggedHubNode.StartAsync("node-a", settings), LoggedHubNode.StartAsync("node-b", settings));
        var (a, b) = (nodes[0], nodes[1]);
        try
        {
            await Eventually.UntilAsync(() => nodes.All(n => n.Output.Any(l => l.Contains("Ring members now node-a,node-b", StringComparison.Ordinal))), TimeSpan.FromSeconds(30));

            // Users whose sessions the ring of the two nodes puts on node B (six) and on node A (two).
            var ring = new ConsistentHashRing(["node-a", "node-b"], 128);
            var users = Enumerable.Range(0, 200).Select(i => "oUSER_" + i).ToList();
            string Owner(string user) => ring.Owner(SessionKey.For("wechat", ChatKind.Direct, user, null).Value);
            var onB = users.Where(u => Owner(u) == "node-b").Take(7).ToList();
            var onA = users.Where(u => Owner(u) == "node-a").Take(3).ToList();
            Assert.Equal(7, onB.Count);

            // Warm-up: one turn on each node (first job pick-up, first model call, the access token), answered either way.
            using var http = new HttpClient { BaseAddress = new Uri(a.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
            var msgId = 7000L;
            var warmUp = new[] { onB[6], onA[2] };
            await Task.WhenAll(warmUp.Select(user => WeChatCallbacks.PostAsync(http, Token, user, ++msgId, "warm up")));
            await Eventually.UntilAsync(() => model.RequestCount >= 2, TimeSpan.FromSeconds(30));
            onB.RemoveAt(6);
            onA.RemoveAt(2);
            var bodies = await Task.WhenAll(onB.Concat(onA).Select(user => WeChatCallbacks.PostAsync(http, Token, user, ++msgId, "hi from " + user)));
            foreach (var (user, body) in onB.Concat(onA).Zip(bodies))
            {
                output.WriteLine($"{user} ({Owner(user)}): {body}");
                Assert.Contains($"<Content><![CDATA[answer: hi from {user}]]></Content>", body, StringComparison.Ordinal);
                Assert.Contains($"<ToUserName><![CDATA[{user}]]></ToUserName>", body, StringComparison.Ordinal);
            }

            // The runs of node B's sessions ran on node B and handed their answer to node A's callbacks.
            // (The callback may answer before the running node has logged it: wait for the lines.)
            static bool Handed(ITestHub node, string user) => node.Output.Any(l => l.Contains($"answer to {user} handed to the waiting callback", StringComparison.Ordinal));
            await Eventually.UntilAsync(() => onB.All(u => Handed(b, u)) && onA.All(u => Handed(a, u)), TimeSpan.FromSeconds(10));
            Assert.All(onB, u => Assert.True(Handed(b, u), u));
            Assert.All(onA, u => Assert.True(Handed(a, u), u));
            Assert.Equal(10, model.RequestCount);
            var measured = onB.Concat(onA).ToHashSet(StringComparer.Ordinal);
            Assert.DoesNotContain(wechat.Attempts, m => measured.Contains(m.ToUser ?? string.Empty)); // no customer-service call for them
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
