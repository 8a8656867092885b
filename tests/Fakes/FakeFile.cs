namespace OpenClaw.Channels.Fakes;

/// <summary>A file held by a <see cref="FakeFileStore"/>.</summary>
/// <param name="Key">The fake's key for it.</param>
/// <param name="Data">Its bytes.</param>
/// <param name="MediaType">Its MIME type.</param>
/// <param name="Name">Its file name.</param>
public sealed record FakeFile(string Key, byte[] Data, string MediaType, string Name);
