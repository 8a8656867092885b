using Microsoft.Extensions.Logging;

namespace OpenClaw.Channels.Agent;

/// <summary>Throttles <see cref="AgentRunRequest.OnPartialText"/> to one call per <see cref="IntervalMs"/>; the final
/// text is sent once more unless it was the last one sent. A failing callback disables further updates for the turn.</summary>
internal sealed partial class PartialTextThrottle(Func<string, CancellationToken, Task> callback, TimeProvider timeProvider, ILogger logger)
{
    /// <summary>Least time between two <see cref="AgentRunRequest.OnPartialText"/> calls, in ms.</summary>
    public const int IntervalMs = 500;

    private long _lastEmit;
    private string? _lastSent;
    private bool _disabled;

    /// <summary>Sends <paramref name="text"/> (the answer so far) unless the last send is less than <see cref="IntervalMs"/> ago.</summary>
    public async Task EmitAsync(string text, CancellationToken cancellationToken)
    {
        if (_disabled || (_lastSent is not null && timeProvider.GetElapsedTime(_lastEmit).TotalMilliseconds < IntervalMs))
        {
            return;
        }

        await SendAsync(text, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the final <paramref name="text"/> unless it equals the last text sent.</summary>
    public async Task EmitFinalAsync(string text, CancellationToken cancellationToken)
    {
        if (!_disabled && !string.Equals(text, _lastSent, StringComparison.Ordinal))
        {
            await SendAsync(text, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(string text, CancellationToken cancellationToken)
    {
        _lastEmit = timeProvider.GetTimestamp();
        _lastSent = text;
        try
        {
            await callback(text, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _disabled = true;
            LogPartialTextFailed(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "The partial-text callback failed ({ExceptionType}); streaming updates stop for this turn")]
    private static partial void LogPartialTextFailed(ILogger logger, string exceptionType);
}
