using Telegram.Bot;

namespace OpenClaw.Channels.Telegram;

/// <summary>Calls <c>getMe</c> once and caches the bot's id and username (needed for mention detection and
/// <c>/cmd@bot</c>). Failures are not cached; the next call tries again.</summary>
internal sealed class TelegramBotIdentity(TelegramBotClientFactory clients, TelegramTransportState state) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TelegramBotInfo? _info;

    public TelegramBotInfo? Cached => Volatile.Read(ref _info);

    /// <exception cref="global::Telegram.Bot.Exceptions.RequestException">getMe failed.</exception>
    public async Task<TelegramBotInfo> GetAsync(CancellationToken cancellationToken)
    {
        var info = Volatile.Read(ref _info);
        if (info is not null)
        {
            return info;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_info is not null)
            {
                return _info;
            }

            try
            {
                var me = await clients.Create().GetMe(cancellationToken).ConfigureAwait(false);
                info = new TelegramBotInfo(me.Id, me.Username ?? string.Empty);
                Volatile.Write(ref _info, info);
                state.ReportGetMe(succeeded: true);
                return info;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                state.ReportGetMe(succeeded: false);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
