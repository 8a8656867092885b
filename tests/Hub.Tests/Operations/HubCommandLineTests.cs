using System.Net;
using System.Net.Sockets;

namespace OpenClaw.Channels.Tests.Operations;

/// <summary>The hub executable as an operator runs it: configuration errors, busy addresses, listening settings.</summary>
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

    [Theory]
    [InlineData("ASPNETCORE_HTTP_PORTS")]
    [InlineData("ASPNETCORE_URLS")]
    [InlineData("--urls")]
    public async Task ListeningSetting_OverridesTheDefault(string setting)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var environment = new Dictionary<string, string>();
        var args = new List<string>();
        switch (setting)
        {
            case "ASPNETCORE_HTTP_PORTS":
                environment[setting] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                url = $"http://localhost:{port}";
                break;
            case "ASPNETCORE_URLS":
                environment[setting] = url;
                break;
            default:
                args.AddRange([setting, url]);
                break;
        }

        await using var hub = HubProcess.Start(args, environment);
        var listening = await hub.WaitForOutputAsync("listening: ");
        Assert.Contains($":{port}", listening, StringComparison.Ordinal);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal("Healthy", await http.GetStringAsync(url + "/healthz"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
