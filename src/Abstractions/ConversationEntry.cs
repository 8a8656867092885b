namespace OpenClaw.Channels;

/// <summary>One entry of a chat's history, as <see cref="IConversationHistory"/> reads it.</summary>
/// <param name="Role"><c>user</c> or <c>assistant</c>.</param>
/// <param name="Text">The text as the transcript keeps it: the user's message (attachment notes included), or the
/// assistant's answer in Markdown.</param>
/// <param name="Timestamp">When it was said, UTC.</param>
public sealed record ConversationEntry(string Role, string Text, DateTimeOffset Timestamp);
