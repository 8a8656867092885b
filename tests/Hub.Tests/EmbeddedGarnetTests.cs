using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Hub.Embedded;
using OpenClaw.Channels.Hub.Stores;
using StackExchange.Redis;

namespace OpenClaw.Channels.Tests;

/// <summary>Issue 11: the embedded mode's in-process Garnet server.</summary>
public class EmbeddedGarnetTests
{
    [Fact]
    public async Task TwoEmbeddedHubs_WithTheirOwnDataDirectories_RunSideBySide_AndShareNothing()
    {
        await using var a = await HubNode.StartAsync(new Dictionary<string, string?>());
        await using var b = await HubNode.StartAsync(new Dictionary<string, string?>());
        Assert.Equal("Healthy", await a.WaitReadyAsync());
        Assert.Equal("Healthy", await b.WaitReadyAsync());

        var garnetA = a.Services.GetRequiredService<EmbeddedGarnet>();
        var garnetB = b.Services.GetRequiredService<EmbeddedGarnet>();
        Assert.NotEqual(garnetA.Port, garnetB.Port);
        Assert.NotEqual(garnetA.Directory, garnetB.Directory);

        await a.Services.GetRequiredService<IChannelStateStore>().SetAsync("offset", "41", null, CancellationToken.None);
        Assert.Equal("41", await a.Services.GetRequiredService<IChannelStateStore>().GetAsync("offset", CancellationToken.None));
        Assert.Null(await b.Services.GetRequiredService<IChannelStateStore>().GetAsync("offset", CancellationToken.None));
    }

    [Fact]
    public void SecondServer_OnTheSameDataDirectory_RefusesToStart_AndTheFirstKeepsServing()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "openclaw-tests", "garnet-lock-" + Guid.NewGuid().ToString("N"));
        using var first = new EmbeddedGarnet(dataDirectory, new EmbeddedOptions(), NullLoggerFactory.Instance);
        var error = Assert.Throws<InvalidOperationException>(() => new EmbeddedGarnet(dataDirectory, new EmbeddedOptions(), NullLoggerFactory.Instance));
        Assert.Contains("Hub:DataDirectory", error.Message, StringComparison.Ordinal);

        using var redis = ConnectionMultiplexer.Connect(first.ConnectionString);
        Assert.True(redis.GetDatabase().StringSet("k", "v"));
        Assert.Equal("v", redis.GetDatabase().StringGet("k"));
    }

    [Fact]
    public void Arguments_KeepGarnetOnLoopback_WithLuaAndItsFilesUnderTheDataDirectory()
    {
        var args = EmbeddedGarnet.Arguments("/data/garnet", new EmbeddedOptions { MemoryMb = 16, PageMb = 1, IndexMb = 2, AofMemoryMb = 4 }, 6400);
        string After(string flag) => args[Array.IndexOf(args, flag) + 1];
        Assert.Equal("127.0.0.1", After("--bind"));
        Assert.Equal("6400", After("--port"));
        Assert.Contains("--lua", args);
        Assert.Contains("--aof", args);
        Assert.Contains("--recover", args);
        Assert.Equal("RandomAccess", After("--device-type"));
        Assert.Equal(Path.Combine("/data/garnet", "log"), After("--logdir"));
        Assert.Equal(Path.Combine("/data/garnet", "checkpoints"), After("--checkpointdir"));
        Assert.Equal("16m", After("--memory"));
        Assert.Equal("1m", After("--page"));
        Assert.Equal("2m", After("--index"));
        Assert.Equal("4m", After("--aof-memory"));
        Assert.Equal("2m", After("--aof-page-size"));
        Assert.DoesNotContain("--aof-commit-wait", args);
        Assert.Contains("--aof-commit-wait", EmbeddedGarnet.Arguments("/d", new EmbeddedOptions { AofCommitWait = true }, 1));
    }

    [Fact]
    public async Task PagesThatDoNotFit_FailTheStart_NamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => HubNode.StartAsync(new Dictionary<string, string?>
        {
            ["Hub:Embedded:MemoryMb"] = "8",
            ["Hub:Embedded:PageMb"] = "4",
        }));
        Assert.Contains("Hub:Embedded:MemoryMb", error.Message, StringComparison.Ordinal);
    }
}
