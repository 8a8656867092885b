using Microsoft.Extensions.AI;

namespace OpenClaw.Channels.Agent;

/// <summary>Outcome of one model call: a response, or a user-facing text and an error summary.</summary>
/// <param name="Response">The response, or null on failure.</param>
/// <param name="UserText">The user-facing failure text, or null on success.</param>
/// <param name="Error">The failure summary for logs (no secrets), or null on success.</param>
internal readonly record struct ModelCallResult(ChatResponse? Response, string? UserText, string? Error)
{
    public static ModelCallResult Success(ChatResponse response) => new(response, null, null);

    public static ModelCallResult Failed(string userText, string error) => new(null, userText, error);
}
