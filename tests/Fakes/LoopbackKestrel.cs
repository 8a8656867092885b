using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Channels.Fakes;

/// <summary>The one Kestrel start-up of the fake servers and test hosts: a real Kestrel on 127.0.0.1 with an
/// OS-assigned port (or a given one), no logging providers unless the host adds its own, and the started app's base
/// URL read from <see cref="IServerAddressesFeature"/>.</summary>
public static class LoopbackKestrel
{
    /// <summary>A slim <see cref="WebApplicationBuilder"/> with Kestrel on 127.0.0.1:<paramref name="port"/> (0: the OS
    /// chooses) and the logging providers cleared.</summary>
    public static WebApplicationBuilder CreateBuilder(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        return builder;
    }

    /// <summary>Starts <paramref name="app"/> and returns its base URL such as <c>http://127.0.0.1:41234</c> (no
    /// trailing slash). When the start fails the app is disposed and the exception rethrown.</summary>
    public static async Task<string> StartAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
    }
}
