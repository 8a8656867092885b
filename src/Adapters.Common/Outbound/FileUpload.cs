namespace OpenClaw.Channels.Adapters;

/// <summary>One file an adapter uploads as the platform's native attachment: a fetched Markdown image or a file of the
/// answer (<see cref="OutboundFile"/>).</summary>
/// <param name="FileName">The name it is uploaded under.</param>
/// <param name="MediaType">Its MIME type.</param>
/// <param name="Data">Its bytes.</param>
/// <param name="Alt">Its alt text (description, title); empty when there is none.</param>
public sealed record FileUpload(string FileName, string MediaType, ReadOnlyMemory<byte> Data, string Alt);
