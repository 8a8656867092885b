namespace OpenClaw.Channels.Fakes.WeChat;

/// <summary>One temporary media upload as the fake received it (<c>POST /cgi-bin/media/upload</c>).</summary>
/// <param name="Type">The <c>type</c> query parameter (image, voice, video, file, thumb).</param>
/// <param name="FieldName">The multipart part's name (the platform requires <c>media</c>).</param>
/// <param name="FileName">The part's <c>filename</c>.</param>
/// <param name="FileLength">The part's <c>filelength</c> parameter, when sent.</param>
/// <param name="ContentType">The part's Content-Type.</param>
/// <param name="Data">The bytes.</param>
/// <param name="MediaId">The media id the fake answered with.</param>
public sealed record FakeWeChatUpload(string Type, string FieldName, string FileName, long? FileLength, string ContentType, byte[] Data, string MediaId);
