using System.Net;
using System.Net.Sockets;
using OpenClaw.Channels.Tests.Ordering;

namespace OpenClaw.Channels.Tests.Operations;

/// <summary>The hub executable as an operator runs it: each of ASP.NET Core's listening settings overrides the default
/// address.</summary>
[TypicalDuration(31)]
public class ListeningSettingTests
{
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
