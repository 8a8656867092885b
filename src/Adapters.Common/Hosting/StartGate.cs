namespace OpenClaw.Channels.Adapters;

/// <summary>The one "wait until the host has started" gate of the adapters' background services: heavy start-up work
/// (webhook registration, command menus, polling, gateway connections) begins after <c>ApplicationStarted</c>, as
/// Hangfire's <c>BackgroundJobServerHostedService</c> does, so a host that fails to start makes no platform calls.</summary>
public static class StartGate
{
    /// <summary>Waits until <paramref name="applicationStarted"/> (the host's <c>IHostApplicationLifetime.ApplicationStarted</c>)
    /// fires, or <paramref name="stoppingToken"/> is cancelled first.</summary>
    /// <param name="applicationStarted">Cancelled by the host once it has started.</param>
    /// <param name="stoppingToken">The service's stopping token.</param>
    /// <returns><see langword="true"/> once the application has started; <see langword="false"/> when the service was
    /// stopped before that. Never throws for the cancellation.</returns>
    public static async Task<bool> WaitAsync(CancellationToken applicationStarted, CancellationToken stoppingToken)
    {
        if (applicationStarted.IsCancellationRequested)
        {
            return true;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (applicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task.ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return false;
            }
        }
    }
}
