namespace OpenClaw.Channels.Hub.Operations;

/// <summary>ASP.NET Core's listening settings and the hub's default. Any of <c>ASPNETCORE_URLS</c> /
/// <c>DOTNET_URLS</c> / <c>--urls</c> / <c>Urls</c> (configuration key <c>urls</c>), <c>ASPNETCORE_HTTP_PORTS</c> /
/// <c>ASPNETCORE_HTTPS_PORTS</c> (keys <c>http_ports</c>, <c>https_ports</c>) or a <c>Kestrel:Endpoints</c> section wins;
/// only when none is set does the hub listen on <see cref="DefaultUrl"/> (loopback: nothing is exposed by accident).</summary>
public static class ListenSettings
{
    /// <summary>The address used when no listening setting is given: <c>http://127.0.0.1:5080</c>.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>True when <paramref name="configuration"/> names where to listen.</summary>
    /// <param name="configuration">The application's configuration (environment, command line and files merged).</param>
    /// <returns>Whether any listening setting is present.</returns>
    public static bool AnySet(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration["urls"])
            || !string.IsNullOrWhiteSpace(configuration["http_ports"])
            || !string.IsNullOrWhiteSpace(configuration["https_ports"])
            || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
    }
}
