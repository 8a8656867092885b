using Hangfire.Logging;

namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>Routes Hangfire's (process-wide, static) logging into this host's <see cref="ILoggerFactory"/>, and goes quiet
/// instead of throwing once that factory is disposed — several hubs may share a process (tests), and Hangfire keeps
/// only the last provider set. An <see cref="AgentRunFailedException"/> (a failure the run has logged and answered
/// already) goes to Debug without its stack trace.</summary>
internal sealed class HangfireLogProvider(ILoggerFactory factory) : ILogProvider
{
    public ILog GetLogger(string name)
    {
        try
        {
            return new HostLog(factory.CreateLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return new HostLog(null);
        }
    }

    private sealed class HostLog(Microsoft.Extensions.Logging.ILogger? logger) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            if (logger is null)
            {
                return false;
            }

            var level = logLevel switch
            {
                Hangfire.Logging.LogLevel.Trace => Microsoft.Extensions.Logging.LogLevel.Trace,
                Hangfire.Logging.LogLevel.Debug => Microsoft.Extensions.Logging.LogLevel.Debug,
                Hangfire.Logging.LogLevel.Info => Microsoft.Extensions.Logging.LogLevel.Information,
                Hangfire.Logging.LogLevel.Warn => Microsoft.Extensions.Logging.LogLevel.Warning,
                Hangfire.Logging.LogLevel.Error => Microsoft.Extensions.Logging.LogLevel.Error,
                _ => Microsoft.Extensions.Logging.LogLevel.Critical,
            };
            try
            {
                if (messageFunc is null)
                {
                    return logger.IsEnabled(level);
                }

                if (exception is AgentRunFailedException expected)
                {
                    // The run already logged why (one line) and replied to the user; Hangfire's job failure is state
                    // shown in the dashboard, not another stack trace in the log.
                    level = Microsoft.Extensions.Logging.LogLevel.Debug;
                    if (logger.IsEnabled(level))
                    {
#pragma warning disable CA2254 // Hangfire hands over preformatted text
                        logger.Log(level, messageFunc() + " " + expected.Message);
#pragma warning restore CA2254
                    }

                    return true;
                }

                if (logger.IsEnabled(level))
                {
#pragma warning disable CA2254 // Hangfire hands over preformatted text
                    logger.Log(level, exception, messageFunc());
#pragma warning restore CA2254
                }

                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
