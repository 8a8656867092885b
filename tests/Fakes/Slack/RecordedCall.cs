namespace OpenClaw.Channels.Fakes.Slack;

/// <summary>One Web API call the fake Slack accepted.</summary>
/// <param name="Method">The method, e.g. <c>chat.postMessage</c>.</param>
/// <param name="Channel">The <c>channel</c> argument.</param>
/// <param name="Text">The <c>text</c> argument.</param>
/// <param name="ThreadTs">The <c>thread_ts</c> argument.</param>
/// <param name="Ts">The message ts the fake assigned (post) or was asked to edit (update).</param>
/// <param name="ArgsJson">All arguments as JSON.</param>
/// <param name="At">When the call arrived.</param>
public sealed record RecordedCall(string Method, string? Channel, string? Text, string? ThreadTs, string? Ts, string ArgsJson, DateTimeOffset At);
