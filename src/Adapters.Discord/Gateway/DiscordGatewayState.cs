namespace OpenClaw.Channels.Discord;

/// <summary>The gateway connection's state as shown by the health check: shared by the gateway worker (writer) and
/// <see cref="DiscordHealthCheck"/> (reader). Thread-safe.</summary>
internal sealed class DiscordGatewayState
{
    private readonly Lock _gate = new();
    private DiscordGatewayStatus _status = DiscordGatewayStatus.NotStarted;
    private string? _reason;
    private int? _closeCode;

    /// <summary>Current status and, for <see cref="DiscordGatewayStatus.Failed"/> or reconnects, why.</summary>
    public (DiscordGatewayStatus Status, string? Reason) Current
    {
        get
        {
            lock (_gate)
            {
                return (_status, _reason);
            }
        }
    }

    /// <summary>The gateway close code that goes with <see cref="Current"/>'s reason, or null.</summary>
    public int? CloseCode
    {
        get
        {
            lock (_gate)
            {
                return _closeCode;
            }
        }
    }

    /// <summary>Sets the status; a <see cref="DiscordGatewayStatus.Failed"/> state is final.</summary>
    public void Set(DiscordGatewayStatus status, string? reason = null, int? closeCode = null)
    {
        lock (_gate)
        {
            if (_status != DiscordGatewayStatus.Failed)
            {
                _status = status;
                _reason = reason;
                _closeCode = closeCode;
            }
        }
    }
}
