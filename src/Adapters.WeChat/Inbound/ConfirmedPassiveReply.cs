using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Channels.WeChat;

/// <summary>The callback response carrying a passive reply: writes it, flushes the response to the connection
/// (<see cref="HttpResponse.CompleteAsync"/>) and only then confirms the delivery to the run that handed the answer over
/// (<see cref="IPassiveReplyHandover.ConfirmAsync"/>). Without the confirmation (the write failed, the client went away,
/// this node died) the run withdraws the answer after its bound and sends it through the customer-service API.</summary>
internal sealed class ConfirmedPassiveReply(IResult reply, IPassiveReplyHandover handover, string slotId, ILogger logger, string channel, string platformMessageId) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        await reply.ExecuteAsync(httpContext).ConfigureAwait(false);
        await httpContext.Response.CompleteAsync().ConfigureAwait(false);
        if (httpContext.RequestAborted.IsCancellationRequested)
        {
            WeChatLog.PassiveReply(logger, channel, platformMessageId, "not confirmed: the callback's connection closed");
            return;
        }

        try
        {
            var confirmed = await handover.ConfirmAsync(slotId, CancellationToken.None).ConfigureAwait(false);
            WeChatLog.PassiveReply(logger, channel, platformMessageId, confirmed ? "delivered" : "delivered too late: the run had withdrawn it");
        }
#pragma warning disable CA1031 // The response is out; without the confirmation the run sends through the API as well.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            WeChatLog.ConfirmFailed(logger, ex, channel, platformMessageId);
        }
    }
}
