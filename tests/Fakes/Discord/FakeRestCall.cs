using System.Text.Json.Nodes;

namespace OpenClaw.Channels.Fakes.Discord;

/// <summary>One REST call received by <see cref="FakeDiscordServer"/>.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path as sent on the wire (not percent-decoded), e.g. <c>/api/v10/channels/123/messages</c>.</param>
/// <param name="Body">JSON body, or null.</param>
/// <param name="Authorization">The Authorization header as sent (tests compare it; never printed).</param>
/// <param name="UserAgent">The User-Agent header.</param>
public sealed record FakeRestCall(string Method, string Path, JsonNode? Body, string Authorization, string UserAgent)
{
    /// <summary>When the fake received the call.</summary>
    public DateTimeOffset ReceivedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The <c>files[n]</c> parts of a multipart request, in order; empty for JSON requests.</summary>
    public IReadOnlyList<FakeDiscordFile> Files { get; init; } = [];
}
