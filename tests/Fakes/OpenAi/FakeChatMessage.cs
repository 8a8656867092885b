namespace OpenClaw.Channels.Fakes.OpenAi;

/// <summary>One entry of the <c>messages</c> array of a recorded chat completions request.</summary>
/// <param name="Role"><c>system</c>, <c>developer</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>.</param>
/// <param name="Content">The text: a string <c>content</c> as is, an array of parts joined from its <c>text</c> parts with
/// <c>\n</c>; <see langword="null"/> when the message had no content (an assistant message that only calls tools).</param>
/// <param name="ToolCallId">For <c>tool</c> messages, the <c>tool_call_id</c> answered.</param>
/// <param name="ToolCalls">For <c>assistant</c> messages, the tool calls it made; empty otherwise.</param>
/// <param name="Name">The optional participant <c>name</c>.</param>
public sealed record FakeChatMessage(
    string Role,
    string? Content,
    string? ToolCallId = null,
    IReadOnlyList<FakeToolCall>? ToolCalls = null,
    string? Name = null)
{
    /// <summary>The tool calls, never null.</summary>
    public IReadOnlyList<FakeToolCall> Calls => ToolCalls ?? [];

    /// <summary>The <c>image_url</c> content parts, in order; empty when there are none.</summary>
    public IReadOnlyList<FakeImagePart> Images { get; init; } = [];
}
