using System.Reflection;
using Garnet;
using Garnet.server;

namespace OpenClaw.Channels.Hub.Embedded;

/// <summary>Turns Garnet command-line arguments into <see cref="GarnetServerOptions"/> exactly as
/// <c>new GarnetServer(string[])</c> does, then installs <see cref="ReadAfterWriteDeviceFactoryCreator"/> as its device
/// factory creator, so the embedded server runs the stock configuration on the wrapped devices.</summary>
/// <remarks>Garnet parses its arguments with internal types only (<c>Garnet.ServerSettingsManager.TryParseCommandLineArguments</c>,
/// <c>Garnet.Options.GetServerOptions</c>), reached here by reflection. Both, and the read-back race the wrapper guards
/// against, were checked against Microsoft.Garnet <see cref="CheckedGarnetVersion"/>: another version fails the start
/// with an error saying what to re-check, rather than running unguarded or on a guessed shape.</remarks>
internal static class GarnetServerOptionsFactory
{
    /// <summary>The Microsoft.Garnet version (Garnet.host's informational version, without its commit) this code was
    /// checked against.</summary>
    internal const string CheckedGarnetVersion = "2.2.12";

    /// <summary>Parses <paramref name="arguments"/> and wraps the resulting device factory creator.</summary>
    /// <param name="arguments">Garnet command-line arguments (see <c>EmbeddedGarnet.Arguments</c>).</param>
    /// <param name="logger">Receives Garnet's option-parsing messages.</param>
    /// <exception cref="InvalidOperationException">Garnet is another version than <see cref="CheckedGarnetVersion"/>,
    /// its internal parsing API has another shape, or it rejected <paramref name="arguments"/>.</exception>
    public static GarnetServerOptions Create(string[] arguments, ILogger logger)
    {
        var host = typeof(GarnetServer).Assembly;
        var version = host.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
        if (version != CheckedGarnetVersion)
        {
            throw new InvalidOperationException($"The embedded store was checked against Microsoft.Garnet {CheckedGarnetVersion}, but {version} is loaded. Check that its device factory and argument parsing still have the same shape, and whether its partial-sector flush read-back still needs ReadAfterWriteDevice, then update GarnetServerOptionsFactory.CheckedGarnetVersion.");
        }

        var parse = host.GetType("Garnet.ServerSettingsManager")?.GetMethod("TryParseCommandLineArguments", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public);
        var parameters = parse?.GetParameters();
        if (parse is null || parse.ReturnType != typeof(bool) || parameters is not { Length: 7 } || parameters[0].ParameterType != typeof(string[]) || parameters[6].ParameterType != typeof(ILogger))
        {
            throw Shape("Garnet.ServerSettingsManager.TryParseCommandLineArguments(string[], out Options, out List<string>, out string, out bool, bool, ILogger)");
        }

        // args, out options, out invalidOptions, out optionsJson, out exitGracefully, silentMode, logger
        object?[] call = [arguments, null, null, null, null, true, logger];
        if (!(bool)parse.Invoke(null, call)!)
        {
            var invalid = call[2] is IEnumerable<string> names ? string.Join(", ", names) : "";
            throw new InvalidOperationException($"Garnet rejected the embedded store's arguments ({invalid}): {string.Join(' ', arguments)}");
        }

        var options = call[1]!;
        var toServerOptions = options.GetType().GetMethod("GetServerOptions", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, [typeof(ILogger)]);
        if (toServerOptions?.Invoke(options, [logger]) is not GarnetServerOptions serverOptions)
        {
            throw Shape("Garnet.Options.GetServerOptions(ILogger) returning GarnetServerOptions");
        }

        serverOptions.DeviceFactoryCreator = new ReadAfterWriteDeviceFactoryCreator(serverOptions.DeviceFactoryCreator
            ?? throw Shape("GarnetServerOptions.DeviceFactoryCreator set by GetServerOptions"));
        return serverOptions;

        static InvalidOperationException Shape(string what) =>
            new($"Microsoft.Garnet {CheckedGarnetVersion} no longer has {what}, which the embedded store uses to install ReadAfterWriteDevice; re-check GarnetServerOptionsFactory against this Garnet version.");
    }
}
