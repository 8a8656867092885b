using System.Text.RegularExpressions;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Hub.Routing;

namespace OpenClaw.Channels.Tests.EndToEnd;

/// <summary>Issue 2, test 6: two hub nodes on one Redis share the work, answer every message once, never run one session
/// twice at a time, and keep each session on one node while both live.</summary>
public partial class TwoNodeTests(TestRedis redis) : IClassFixture<TestRedis>
{
    [Fact]
    public async Task TwoNodes_TwentySessionsTimesFiveMessages_EachAnsweredOnce_InOrder_Sticky()
    {
        await using var t = await TelegramHub.StartAsync(redis, nodes: 2, model: m => m.LatencyMs = 30);
        await WaitForRingAsync(t, 2);

        const int sessions = 20, perSession = 5;
        var posts = new List<Task>();
        for (var m = 1; m <= perSession; m++)
        {
            for (var s = 1; s <= sessions; s++)
            {
                var node = t.Nodes[(s + m) % 2]; // every session's messages arrive at both nodes
                posts.Add(t.PostOkAsync(TelegramUpdates.Text(100_000 + (s * 100) + m, 7000 + s, 7000 + s, $"s{s} m{m}"), node));
            }

            await Task.WhenAll(posts);
        }

        var sent = await t.Telegram.WaitForMessagesAsync(sessions * perSession, TimeSpan.FromSeconds(60));
        await t.WaitForIdleAsync(1, TimeSpan.FromSeconds(20));
        var all = t.Telegram.SentMessages.ToList();

        Assert.Equal(sessions * perSession, all.Count);
        Assert.Equal(all.Count, all.Select(m => m.PlainText).Distinct().Count());
        foreach (var chat in all.GroupBy(m => m.ChatId))
        {
            var s = int.Parse(chat.Key, System.Globalization.CultureInfo.InvariantCulture) - 7000;
            Assert.Equal(Enumerable.Range(1, perSession).Select(m => $"answer: s{s} m{m}"), chat.Select(x => x.PlainText));
        }

        Assert.Equal(1, t.Model.MaxConcurrencyBy(r => SessionOf().Match(r.LastUserText ?? "").Value));

        // Stickiness: every run of a session was processed by the session's owner node.
        var serversBySession = RunsByServer(TelegramHub.Jobs(t.Hub));
        Assert.Equal(sessions, serversBySession.Count);
        Assert.All(serversBySession, pair => Assert.Single(pair.Value));
        var ring = t.Hub.Services.GetRequiredService<RingService>().Ring;
        foreach (var (session, servers) in serversBySession)
        {
            Assert.StartsWith(ring.Owner(session) + ":", servers.Single(), StringComparison.Ordinal);
        }

        Assert.Equal(2, serversBySession.Values.Select(v => v.Single().Split(':')[0]).Distinct().Count());
    }

    internal static Task WaitForRingAsync(TelegramHub t, int members)
        => Eventually.UntilAsync(() => t.Nodes.All(n => n.Services.GetRequiredService<RingService>().Ring.Nodes.Count == members), TimeSpan.FromSeconds(15), () => "nodes did not see each other in the ring");

    private static Dictionary<string, HashSet<string>> RunsByServer(JobStorage storage)
    {
        var monitoring = storage.GetMonitoringApi();
        var result = new Dictionary<string, HashSet<string>>();
        foreach (var (id, _) in monitoring.SucceededJobs(0, 1000))
        {
            var details = monitoring.JobDetails(id);
            var session = (string)details.Job.Args[0];
            var processing = details.History.First(h => h.StateName == ProcessingState.StateName);
            var server = processing.Data["ServerId"];
            if (!result.TryGetValue(session, out var set))
            {
                result[session] = set = [];
            }

            set.Add(server);
        }

        return result;
    }

    [GeneratedRegex(@"s\d+")]
    private static partial Regex SessionOf();
}
