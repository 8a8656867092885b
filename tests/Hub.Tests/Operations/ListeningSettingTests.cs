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
        // A free port can be taken by another test's listener between the probe and the hub's bind: then the hub says so
        // and exits, and the test tries another port (at most three).
        for (var attempt = 1; ; attempt++)
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
            string listening;
            try
            {
                listening = await hub.WaitForOutputAsync("listening: ");
            }
            catch (TimeoutException) when (attempt < 3 && hub.CountLines("address is already in use") > 0)
            {
                continue;
            }

            Assert.Contains($":{port}", listening, StringComparison.Ordinal);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            Assert.Equal("Healthy", await http.GetStringAsync(url + "/healthz"));
            return;
        }
    }

    /// <summary>A port free on every address, IPv4 and IPv6 (<c>ASPNETCORE_HTTP_PORTS</c> binds them all).</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        if (Socket.OSSupportsIPv6)
        {
            listener.Server.DualMode = true;
        }

        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
