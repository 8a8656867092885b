using System.Diagnostics;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Slack;
using OpenClaw.Channels.Tests.Ordering;
using Xunit.Abstractions;

namespace OpenClaw.Channels.Tests.Ownership;

/// <summary>Issue 16, Slack Socket Mode across nodes: two hub processes on one Redis keep
/// <c>Channels:Slack:SocketConnections</c> (2) connections open for the whole cluster, measured at the fake Slack; SIGKILL
/// of a node holding a slot: its slot moves to the live node within <c>Hub:NodeTtlMs</c> and the count recovers, never
/// exceeding the setting; the recovered connections are acked.</summary>
[TypicalDuration(28)]
public sealed class SlackSocketSlotsAcrossNodesTests(TestRedis redis, ITestOutputHelper output) : IClassFixture<TestRedis>
{
    private const int NodeTtlMs = 3_000;

    [Fact]
    public async Task TwoNodes_TwoConnectionsInTotal_KilledNodesSlotMoves_CountRecovers()
    {
        await using var slack = new FakeSlackServer();
        await slack.StartAsync();
        var prefix = TestRedis.NewPrefix();
        var settings = Settings(slack, prefix);
        var nodes = await Task.WhenAll(HubProcess.StartAsync("node-a", settings, HubReadiness.Listening), HubProcess.StartAsync("node-b", settings, HubReadiness.Listening));
        var db = redis.Multiplexer.GetDatabase();
        var appKey = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(slack.AppToken)))[..12];
        string Lease(int slot) => $"{prefix}lease:slack:{appKey}:socket:{slot}";
        string?[] Owners() => [.. Enumerable.Range(0, 2).Select(i => db.HashGet(Lease(i), "owner")).Select(v => v.IsNull ? null : v.ToString())];
        try
        {
            await Eventually.UntilAsync(() => slack.OpenSockets == 2 && Owners().All(o => o is not null), TimeSpan.FromSeconds(60));
            var owners = Owners();
            output.WriteLine($"slot owners: {string.Join(", ", owners)}; opens {slack.ConnectionOpens}");
            Assert.Equal(2, slack.ConnectionOpens);
            Assert.All(nodes, n => Assert.True(n.Output.Any(l => l.Contains("owns connection slack:", StringComparison.Ordinal)) == owners.Contains(n.NodeId)));

            // SIGKILL the owner of slot 0: its sockets are closed by the kernel, its leases expire.
            var victim = nodes.Single(n => n.NodeId == owners[0]);
            var survivor = nodes.Single(n => n != victim);
            var clock = Stopwatch.StartNew();
            await victim.KillAsync();
            await Eventually.UntilAsync(() => Owners().All(o => o == survivor.NodeId) && slack.OpenSockets == 2, TimeSpan.FromSeconds(30));
            output.WriteLine($"recovered after {clock.ElapsedMilliseconds} ms (bound {NodeTtlMs + 3000} ms); opens {slack.ConnectionOpens}, max open {slack.MaxOpenSockets}");
            Assert.True(clock.ElapsedMilliseconds <= NodeTtlMs + 3000, $"recovery took {clock.ElapsedMilliseconds} ms");
            Assert.Equal(2, slack.MaxOpenSockets); // never more than the setting at once

            // The recovered connections are live: each acks an envelope.
            var open = new List<FakeSlackSocket>();
            for (var n = 1; n <= slack.ConnectionOpens; n++)
            {
                var socket = await slack.WaitForSocketAsync(n, TimeSpan.FromSeconds(5));
                if (socket.IsOpen)
                {
                    open.Add(socket);
                }
            }

            Assert.Equal(2, open.Count);
            foreach (var socket in open)
            {
                await socket.SendAsync($$"""{"envelope_id":"env-{{socket.Number}}","type":"interactive","payload":{},"accepts_response_payload":false}""");
                await socket.WaitForAckAsync("env-" + socket.Number, TimeSpan.FromSeconds(10));
            }
        }
        catch
        {
            foreach (var n in nodes)
            {
                output.WriteLine($"--- {n.NodeId} (exited: {n.HasExited})");
                foreach (var line in n.Output.Where(l => l.Contains("Slack", StringComparison.Ordinal) || l.Contains("warn", StringComparison.OrdinalIgnoreCase) || l.Contains("fail", StringComparison.OrdinalIgnoreCase)).TakeLast(40))
                {
                    output.WriteLine(line);
                }
            }

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

    [Fact]
    public async Task TwoNodes_TwoSlots_OneConnectionEach_SurvivorOfASigKillHoldsBoth()
    {
        await using var slack = new FakeSlackServer();
        await slack.StartAsync();
        var prefix = TestRedis.NewPrefix();
        var settings = Settings(slack, prefix);

        // Node A first, alone: it holds both slots (its share with one live node). It survives: in process.
        var a = await LoggedHubNode.StartAsync("node-a", settings);
        HubProcess? b = null;
        var db = redis.Multiplexer.GetDatabase();
        var appKey = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(slack.AppToken)))[..12];
        string?[] Owners() => [.. Enumerable.Range(0, 2).Select(i => db.HashGet($"{prefix}lease:slack:{appKey}:socket:{i}", "owner")).Select(v => v.IsNull ? null : v.ToString())];
        try
        {
            await Eventually.UntilAsync(() => slack.OpenSockets == 2 && Owners().All(o => o == "node-a"), TimeSpan.FromSeconds(60));

            // Node B joins: the share is one slot each; node A hands one over, closing its connection first.
            b = await HubProcess.StartAsync("node-b", settings, HubReadiness.Listening);
            var clock = Stopwatch.StartNew();
            await Eventually.UntilAsync(() => slack.OpenSockets == 2 && Owners().Order().SequenceEqual(["node-a", "node-b"]), TimeSpan.FromSeconds(60));
            output.WriteLine($"spread after {clock.ElapsedMilliseconds} ms; opens {slack.ConnectionOpens}, max open {slack.MaxOpenSockets}");
            Assert.Equal(3, slack.ConnectionOpens); // A's two, B's one: one connection moved
            Assert.Equal(2, slack.MaxOpenSockets);
            Assert.Equal(1, a.CountLines("handing it over to node node-b"));

            // SIGKILL node B: its slot moves back to node A, two connections again, never three.
            clock.Restart();
            await b.KillAsync();
            await Eventually.UntilAsync(() => slack.OpenSockets == 2 && Owners().All(o => o == "node-a"), TimeSpan.FromSeconds(30));
            output.WriteLine($"back to two on node A after {clock.ElapsedMilliseconds} ms; opens {slack.ConnectionOpens}, max open {slack.MaxOpenSockets}");
            Assert.Equal(4, slack.ConnectionOpens); // nothing moved back and forth in between
            Assert.Equal(2, slack.MaxOpenSockets);
        }
        catch
        {
            foreach (var n in new ITestHub?[] { a, b }.OfType<ITestHub>())
            {
                output.WriteLine($"--- {n.NodeId}{(n is HubProcess p ? $" (exited: {p.HasExited})" : " (in process)")}");
                foreach (var line in n.Output.Where(l => l.Contains("Slack", StringComparison.Ordinal) || l.Contains("connection", StringComparison.Ordinal)).TakeLast(40))
                {
                    output.WriteLine(line);
                }
            }

            throw;
        }
        finally
        {
            await a.DisposeAsync();
            if (b is not null)
            {
                await b.DisposeAsync();
            }
        }
    }

    /// <summary>Two Socket Mode slots for the cluster, on Redis under <paramref name="prefix"/>, a node TTL of 3 s.</summary>
    private Dictionary<string, string?> Settings(FakeSlackServer slack, string prefix) => new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["ConnectionStrings:Redis"] = redis.ConnectionString,
        ["Hub:KeyPrefix"] = prefix,
        ["Hub:NodeTtlMs"] = NodeTtlMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Hub:NodeHeartbeatMs"] = "500",
        ["Channels:Slack:Mode"] = "SocketMode",
        ["Channels:Slack:BotToken"] = slack.BotToken,
        ["Channels:Slack:AppToken"] = slack.AppToken,
        ["Channels:Slack:ApiBaseUrl"] = slack.ApiBaseUrl,
        ["Channels:Slack:SocketConnections"] = "2",
        ["Channels:Slack:ReconnectDelay"] = "00:00:00.200",
        ["Channels:Slack:MaxReconnectDelay"] = "00:00:01",
    };
}
