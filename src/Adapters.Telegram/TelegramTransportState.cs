namespace OpenClaw.Channels.Telegram;

/// <summary>Thread-safe status shared by the transports and the health check.</summary>
internal sealed class TelegramTransportState
{
    private int _getMe; // 0 unknown, 1 ok, 2 failed
    private int _poll;

    public bool? GetMeSucceeded => Volatile.Read(ref _getMe) switch { 1 => true, 2 => false, _ => null };

    public TelegramPollStatus PollStatus => (TelegramPollStatus)Volatile.Read(ref _poll);

    public void ReportGetMe(bool succeeded) => Volatile.Write(ref _getMe, succeeded ? 1 : 2);

    public void ReportPoll(TelegramPollStatus status) => Volatile.Write(ref _poll, (int)status);
}
