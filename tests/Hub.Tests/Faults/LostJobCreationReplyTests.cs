using Hangfire;
using Hangfire.Common;
using Hangfire.Redis.StackExchange;
using Hangfire.States;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Hub.Jobs;
using StackExchange.Redis;

namespace OpenClaw.Channels.Tests.Faults;

/// <summary>A job created by Hangfire's client is written by its first state's script (<see cref="NewJob"/>): one
/// script for the job's hash, its state, its history and its queue entry. The reply to that script is really lost here
/// (a proxy forwards the command and drops the reply): the job is whole or absent, never a hash without its queue
/// entry or a queue entry without its hash.</summary>
public sealed class LostJobCreationReplyTests : IAsyncLifetime
{
    private const string Prefix = "lostcreate:hangfire:";
    private ProxiedRedisServer _bed = null!;

    public async Task InitializeAsync() => _bed = await ProxiedRedisServer.StartAsync(",syncTimeout=2000");

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task CreationWhoseReplyWasLost_LeavesOneWholeEnqueuedJob_TheDashboardShows()
    {
        var storage = new LeanRedisJobStorage(new RedisStorage(_bed.ViaProxy, new RedisStorageOptions { Prefix = Prefix }), _bed.ViaProxy, Prefix);
        var db = _bed.Server.Client.GetDatabase();
        _bed.Proxy.DropReplies = true;
        var create = Task.Run(() => new BackgroundJobClient(storage).Create(Job.FromExpression(() => Console.WriteLine("lost")), new EnqueuedState("lost")));
        await Eventually.UntilAsync(async () => await db.ListLengthAsync(Prefix + "queue:lost") > 0, TimeSpan.FromSeconds(10));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => create); // the client never learns the job's id
        Assert.True(TransientFailure.Is(error), error.ToString());
        _bed.Proxy.DropReplies = false;

        var id = (string)(await db.ListGetByIndexAsync(Prefix + "queue:lost", 0))!;
        Assert.Equal(1, await db.ListLengthAsync(Prefix + "queue:lost"));
        Assert.Equal("Enqueued", (string?)await db.HashGetAsync(Prefix + "job:" + id, "State"));
        Assert.Equal("WriteLine", (string?)await db.HashGetAsync(Prefix + "job:" + id, "Method"));
        Assert.Null(await db.KeyTimeToLiveAsync(Prefix + "job:" + id));
        var details = new RedisStorage(_bed.Server.Client, new RedisStorageOptions { Prefix = Prefix }).GetMonitoringApi().JobDetails(id);
        Assert.Equal(["Enqueued"], details.History.Select(h => h.StateName));
        var jobs = _bed.Server.Client.GetServers()[0].Keys(pattern: Prefix + "job:*").Count();
        Assert.Equal(3, jobs); // the hash, its state and its history: nothing half-written beside them
    }
}
