namespace OpenClaw.Channels.Fakes.Slack;

/// <summary>A file the bot uploaded with files.getUploadURLExternal and shared with files.completeUploadExternal.</summary>
/// <param name="Id">The file id.</param>
/// <param name="FileName">The <c>filename</c> given to getUploadURLExternal.</param>
/// <param name="Title">The <c>title</c> given to completeUploadExternal, or null.</param>
/// <param name="AltText">The <c>alt_txt</c>, or null.</param>
/// <param name="ChannelId">The <c>channel_id</c> it was shared into, or null (private upload).</param>
/// <param name="ThreadTs">The <c>thread_ts</c>, or null.</param>
/// <param name="Data">The bytes uploaded.</param>
public sealed record FakeSlackSharedFile(string Id, string FileName, string? Title, string? AltText, string? ChannelId, string? ThreadTs, byte[] Data);
