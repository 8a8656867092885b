using System.Net.Http.Headers;
using System.Text;

namespace OpenClaw.Channels.Discord;

/// <summary>A file uploaded with a message, as <c>files[0]</c> of a <c>multipart/form-data</c> request
/// (discord.com/developers/docs/reference#uploading-files).</summary>
/// <param name="FileName">The file name Discord shows.</param>
/// <param name="MediaType">Its MIME type.</param>
/// <param name="Data">Its bytes.</param>
internal sealed record DiscordUpload(string FileName, string MediaType, ReadOnlyMemory<byte> Data)
{
    /// <summary>A fresh body for one attempt: <c>payload_json</c> then <c>files[0]</c>.</summary>
    public MultipartFormDataContent ToContent(string payloadJson)
    {
        var content = new MultipartFormDataContent();
        var payload = new StringContent(payloadJson, Encoding.UTF8, "application/json");
        content.Add(payload, "payload_json");
        var file = new ReadOnlyMemoryContent(Data);
        file.Headers.ContentType = new MediaTypeHeaderValue(MediaType);
        content.Add(file, "files[0]", FileName);
        return content;
    }
}
