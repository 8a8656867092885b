namespace OpenClaw.Channels.Fakes.OpenAi;

/// <summary>A function tool call as OpenAI's chat completions API carries it:
/// <c>{"id":"call_…","type":"function","function":{"name":"…","arguments":"{…}"}}</c>
/// (platform.openai.com/docs/api-reference/chat/object, <c>choices[].message.tool_calls</c>).</summary>
/// <param name="Id">The call id, e.g. <c>call_abc123</c>; the tool result message must quote it as <c>tool_call_id</c>.</param>
/// <param name="Name">The function name.</param>
/// <param name="ArgumentsJson">The arguments as a JSON object serialized to a string, e.g. <c>{"timeZone":"Europe/Berlin"}</c>.</param>
public sealed record FakeToolCall(string Id, string Name, string ArgumentsJson = "{}");
