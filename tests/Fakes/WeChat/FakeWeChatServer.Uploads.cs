using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace OpenClaw.Channels.Fakes.WeChat;

/// <summary>Temporary media upload, <c>POST /cgi-bin/media/upload?access_token=…&amp;type=…</c> with multipart/form-data,
/// one part named <c>media</c> with <c>filename</c>, <c>filelength</c> and Content-Type (Official Account
/// developers.weixin.qq.com/doc/service/api/material/temporary/api_uploadtempmedia; WeCom
/// developer.work.weixin.qq.com/document/path/90253 and 96483). Answers <c>{"type","media_id","created_at"}</c> (WeCom adds
/// <c>errcode: 0</c>); images above 10 MB get errcode 40009, files of 5 bytes or less 40005 (invalid file type) as the
/// docs' limits say; a wrong token 40001. Uploaded media can be fetched back with <c>media/get</c>.</summary>
public sealed partial class FakeWeChatServer
{
    private readonly ConcurrentQueue<FakeWeChatUpload> _uploads = new();
    private int _uploadCount;

    /// <summary>Largest image accepted, in bytes (10 MB as both platforms document).</summary>
    public long MaxImageBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>True: answer uploads in WeCom's shape (<c>errcode: 0</c>, <c>errmsg</c>, <c>created_at</c> as a string);
    /// false (default): the Official Account's.</summary>
    public bool AnswerUploadsAsWeCom { get; init; }

    /// <summary>Uploads accepted, in order.</summary>
    public IReadOnlyCollection<FakeWeChatUpload> Uploads => _uploads;

    private void MapUpload(WebApplication app)
        => app.MapPost("/cgi-bin/media/upload", async (HttpContext c) =>
        {
            var token = c.Request.Query["access_token"].ToString();
            if (string.IsNullOrEmpty(token) || token != _currentToken)
            {
                return Results.Json(new { errcode = 40001, errmsg = "invalid credential, access_token is invalid or not latest" });
            }

            var type = c.Request.Query["type"].ToString();
            if (type is not ("image" or "voice" or "video" or "file" or "thumb") || !c.Request.HasFormContentType)
            {
                return Results.Json(new { errcode = 40004, errmsg = "invalid media type" });
            }

            var form = await c.Request.ReadFormAsync();
            var file = form.Files.GetFile("media");
            if (file is null)
            {
                return Results.Json(new { errcode = 41005, errmsg = "media data missing" });
            }

            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer);
            var data = buffer.ToArray();
            if (data.Length <= 5)
            {
                return Results.Json(new { errcode = 40005, errmsg = "invalid file type" });
            }

            if (type == "image" && data.Length > MaxImageBytes)
            {
                return Results.Json(new { errcode = 40009, errmsg = "invalid image size" });
            }

            long? fileLength = ContentDispositionHeaderValue.TryParse(file.ContentDisposition, out var disposition)
                && disposition.Parameters.FirstOrDefault(p => p.Name.Equals("filelength", StringComparison.OrdinalIgnoreCase)) is { } p
                && long.TryParse(p.Value.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
            var mediaId = "UPLOADED_MEDIA_" + Interlocked.Increment(ref _uploadCount).ToString(CultureInfo.InvariantCulture);
            _uploads.Enqueue(new FakeWeChatUpload(type, file.Name, file.FileName, fileLength, file.ContentType, data, mediaId));
            Media.Add(mediaId, data, file.ContentType, file.FileName);
            var createdAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            return AnswerUploadsAsWeCom
                ? Results.Json(new { errcode = 0, errmsg = string.Empty, type, media_id = mediaId, created_at = createdAt.ToString(CultureInfo.InvariantCulture) })
                : Results.Json(new { type, media_id = mediaId, created_at = createdAt });
        });
}
