using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Slack;

namespace OpenClaw.Channels.Tests.Slack;

/// <summary>Issue 16: <c>Channels:Slack:SocketConnections</c> connections for the whole cluster, each slot a lease of
/// <see cref="ConnectionOwnership"/>. Two nodes share one lease store: the fake sees exactly the configured number of
/// connections open, the second node is a healthy standby, and when the first node stops its slots move over.</summary>
public sealed class SlackSocketSlotsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ThreeSlots_AcrossTwoNodes_ThreeConnections_StoppedNodesSlotsMoveToTheOther()
    {
        await using var fake = new FakeSlackServer();
        await fake.StartAsync();
        var store = new LocalConnectionLeaseStore();
        ConnectionOwnership Node(string id) => new(store, new ConnectionOwnershipOptions { NodeId = id, Ttl = TimeSpan.FromSeconds(2), RenewInterval = TimeSpan.FromMilliseconds(200) });
        var (ownA, ownB) = (Node("a"), Node("b"));
        var settings = new Dictionary<string, string?> { ["Mode"] = "SocketMode", ["SocketConnections"] = "3", ["ReconnectDelay"] = "00:00:00.100", ["MaxReconnectDelay"] = "00:00:00.500" };
        var a = await SlackTestHost.StartAsync(fake, settings, s => s.AddSingleton(ownA));
        await Eventually.UntilAsync(() => fake.OpenSockets == 3 && ownA.Held.Count == 3, Wait, () => $"3 sockets held by A; open {fake.OpenSockets}, held {ownA.Held.Count}");
        await using var b = await SlackTestHost.StartAsync(fake, settings, s => s.AddSingleton(ownB));
        try
        {
            // The second node finds every slot held: a standby, no fourth connection.
            Assert.Equal(
                ["slack:" + SlackAppKey(fake.AppToken) + ":socket:0", "slack:" + SlackAppKey(fake.AppToken) + ":socket:1", "slack:" + SlackAppKey(fake.AppToken) + ":socket:2"],
                ownA.Held.Select(l => l.Resource));
            await Eventually.UntilAsync(async () => (await Health(b)).Status == HealthStatus.Healthy, Wait, () => "B healthy");
            Assert.Contains("standby", (await Health(b)).Description, StringComparison.Ordinal);
            Assert.Empty(ownB.Held);
            Assert.Equal(3, fake.ConnectionOpens);
            Assert.Equal(HealthStatus.Healthy, (await Health(a)).Status);
        }
        finally
        {
            await a.DisposeAsync();
        }

        // Node a stopped (its sockets closed, its leases released): node b opens the three connections.
        await Eventually.UntilAsync(() => fake.OpenSockets == 3 && ownB.Held.Count == 3, Wait, () => $"3 sockets held by B; open {fake.OpenSockets}, held {ownB.Held.Count}");
        Assert.Equal(6, fake.ConnectionOpens);
        Assert.Equal(3, fake.MaxOpenSockets); // never more than the setting at once
        // The fake counts a socket when it accepts it; the worker reports it up after Slack's hello: wait for that too.
        await Eventually.UntilAsync(async () => (await Health(b)).Description?.Contains("3 connection(s) up", StringComparison.Ordinal) == true, Wait, () => "B reports 3 connections up");
    }

    private static string SlackAppKey(string appToken) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(appToken)))[..12];

    private static async Task<HealthReportEntry> Health(SlackTestHost host)
        => (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"))).Entries["slack"];
}
