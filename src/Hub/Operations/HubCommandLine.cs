using OpenClaw.Channels.Hub.Doctor;

namespace OpenClaw.Channels.Hub.Operations;

/// <summary>The hub's command line: <c>doctor</c> probes the configuration and every configured part and exits;
/// anything else serves. A configuration or binding error is printed as one line per problem on standard error and
/// the process exits with code 1.</summary>
public static class HubCommandLine
{
    /// <summary>Exit code of a configuration or start-up error.</summary>
    public const int ConfigurationError = 1;

    /// <summary>Runs the hub (or <c>doctor</c>) until it stops.</summary>
    /// <param name="args">Command-line arguments; <c>doctor</c> first selects the doctor, the rest are configuration
    /// overrides such as <c>--Hub:NodeId=a</c> or <c>--urls http://0.0.0.0:5080</c>.</param>
    /// <returns>The process exit code: 0 after a clean stop (or, for <c>doctor</c>, when every probe passed).</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && string.Equals(args[0], "doctor", StringComparison.OrdinalIgnoreCase))
        {
            return await HubDoctor.RunAsync(args[1..], Console.Out, CancellationToken.None).ConfigureAwait(false);
        }

        try
        {
            await using var app = HubHost.Create(args);
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (StartupErrors.Describe(ex) is { } lines)
        {
            foreach (var line in lines)
            {
                await Console.Error.WriteLineAsync("error: " + line).ConfigureAwait(false);
            }

            return ConfigurationError;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync("error: the hub stopped: " + ex).ConfigureAwait(false);
            return ConfigurationError;
        }
    }
}
