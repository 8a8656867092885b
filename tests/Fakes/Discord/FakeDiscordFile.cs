namespace OpenClaw.Channels.Fakes.Discord;

/// <summary>One file part of a multipart Discord request (discord.com/developers/docs/reference#uploading-files).</summary>
/// <param name="FieldName">The form field, <c>files[n]</c>.</param>
/// <param name="FileName">The part's file name.</param>
/// <param name="ContentType">The part's <c>Content-Type</c>.</param>
/// <param name="Data">The bytes.</param>
public sealed record FakeDiscordFile(string FieldName, string FileName, string ContentType, byte[] Data);
