using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace OpenClaw.Channels.Fakes;

/// <summary>Base for fake platform servers: a real Kestrel host on 127.0.0.1 with an OS-assigned port.
/// Subclasses map the platform's routes in <see cref="Map"/>.</summary>
public abstract class FakeServer : IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>Base URL such as <c>http://127.0.0.1:41234</c> (no trailing slash). Valid after <see cref="StartAsync"/>.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>TCP port on 127.0.0.1 to listen on; 0 (default) lets the OS choose. Set before <see cref="StartAsync"/>.</summary>
    public int Port { get; init; }

    /// <summary>The clock that stamps recorded requests (<c>ReceivedAt</c>, <c>At</c>); <see cref="TimeProvider.System"/>
    /// unless a test drives the code under test on a <c>FakeTimeProvider</c> and wants the gaps in that time.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Starts the server.</summary>
    public async Task StartAsync()
    {
        var builder = LoopbackKestrel.CreateBuilder(Port);
        builder.Services.AddRouting();
        ConfigureServices(builder.Services);
        var app = builder.Build();
        app.UseWebSockets();
        Map(app);
        BaseUrl = await LoopbackKestrel.StartAsync(app);
        _app = app;
    }

    /// <summary>Registers extra services.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Maps the platform's routes.</summary>
    protected abstract void Map(WebApplication app);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
