using System.Net;
using System.Net.Sockets;
using OpenClaw.Channels.Tests.Ordering;

namespace OpenClaw.Channels.Tests.Operations;

/// <summary>The hub executable as an operator runs it: configuration errors and busy addresses end it with exit code 1
/// and one line; the listening settings are <see cref="ListeningSettingTests"/> (a collection of their own, so the two
/// run in parallel).</summary>
[TypicalDuration(17)]
public class HubCommandLineTests
{
    [Fact]
    public async Task ConfigurationError_IsOneLineNamingTheKey_WithExitCode1()
    {
        await using var hub = HubProcess.Start(["--Channels:WeChat:AppId=wx1", "--Channels:WeChat:Token=t", "--Channels:WeChat:AppSecret=s", "--Channels:WeChat:EncodingAESKey=short"]);
        Assert.Equal(1, await hub.WaitForExitAsync());
        var line = Assert.Single(hub.Errors);
        Assert.Equal("error: Channels:WeChat:EncodingAESKey: must be 43 characters (letters and digits), as shown in the platform console", line);
    }

    [Fact]
    public async Task UnreadableValue_NamesTheKey_WithExitCode1()
    {
        await using var hub = HubProcess.Start(["--Hub:WorkerCount=lots"]);
        Assert.Equal(1, await hub.WaitForExitAsync());
        Assert.Equal("error: Hub:WorkerCount: the value cannot be read as System.Int32.", Assert.Single(hub.Errors));
    }

    [Fact]
    public async Task BusyAddress_NamesTheAddressAndHowToChangeIt_WithExitCode1()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)busy.LocalEndpoint).Port}";
        await using var hub = HubProcess.Start(["--urls", url]);
        Assert.Equal(1, await hub.WaitForExitAsync());
        var line = Assert.Single(hub.Errors);
        Assert.Contains(url + " is already in use", line, StringComparison.Ordinal);
        Assert.Contains("--urls", line, StringComparison.Ordinal);
    }
}
