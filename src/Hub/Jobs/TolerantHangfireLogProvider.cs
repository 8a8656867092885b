using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>Hangfire's logging bridge to this host's <see cref="ILoggerFactory"/> that gives a no-op logger instead of
/// throwing when that factory is already disposed. Hangfire keeps its log provider in a process-wide slot, so with
/// several hubs in one process (tests) a later hub may construct Hangfire parts after an earlier hub stopped.</summary>
internal sealed class TolerantHangfireLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return new Silent();
        }
    }

    private sealed class Silent : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
