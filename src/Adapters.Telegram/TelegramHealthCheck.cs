using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Telegram;

/// <summary>Readiness of the Telegram channel (tag <c>ready</c>): healthy when <c>getMe</c> succeeded (it is tried
/// here when it has not run yet) and polling is not stuck in 409 Conflict or 401 Unauthorized; degraded otherwise.</summary>
internal sealed class TelegramHealthCheck(TelegramBotIdentity identity, TelegramTransportState state, IOptions<TelegramOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (identity.Cached is null)
        {
            try
            {
                await identity.GetAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return HealthCheckResult.Degraded("Telegram getMe failed.", ex);
            }
        }

        if (options.Value.Mode == TelegramMode.Polling && state.PollStatus is TelegramPollStatus.Conflict or TelegramPollStatus.Unauthorized or TelegramPollStatus.Failing)
        {
            return HealthCheckResult.Degraded($"Telegram polling: {state.PollStatus}.");
        }

        return HealthCheckResult.Healthy();
    }
}
