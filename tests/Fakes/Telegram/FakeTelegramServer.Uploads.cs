using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OpenClaw.Channels.Fakes.Telegram;

/// <summary>File uploads: <c>sendPhoto</c> and <c>sendDocument</c> with the file as a <c>multipart/form-data</c> part
/// (core.telegram.org/bots/api#sending-files; the other parameters are form fields), either named after the parameter
/// (<c>photo</c>, <c>document</c>) or named <c>NAME</c> with the parameter set to <c>attach://NAME</c> (what Telegram.Bot
/// sends; core.telegram.org/bots/api#inputfile). A photo over 10 MB or a document over
/// 50 MB is refused with 400 "Bad Request: file is too big". A request without a file part goes the ordinary way
/// (<c>photo</c> as a URL or file_id).</summary>
public sealed partial class FakeTelegramServer
{
    private const long MaxPhotoBytes = 10L * 1024 * 1024;
    private const long MaxDocumentBytes = 50L * 1024 * 1024;

    private readonly ConcurrentQueue<FakeTelegramUpload> _uploads = new();

    /// <summary>Files uploaded with <c>sendPhoto</c> or <c>sendDocument</c>, in order.</summary>
    public IReadOnlyCollection<FakeTelegramUpload> Uploads => _uploads;

    /// <summary>Waits until at least <paramref name="count"/> files were uploaded.</summary>
    /// <param name="count">The number of uploads.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <exception cref="TimeoutException">Fewer uploads in time.</exception>
    public Task WaitForUploadsAsync(int count, TimeSpan timeout)
        => Eventually.UntilAsync(() => _uploads.Count >= count, timeout, () => $"fake Telegram: {count} upload(s), got {_uploads.Count}");

    private void MapUploads(WebApplication app)
    {
        app.MapPost("/bot{token}/sendPhoto", (HttpContext context, string token) => HandleUploadAsync(context, token, "sendPhoto"));
        app.MapPost("/bot{token}/sendDocument", (HttpContext context, string token) => HandleUploadAsync(context, token, "sendDocument"));
    }

    private async Task HandleUploadAsync(HttpContext context, string token, string method)
    {
        var field = method == "sendPhoto" ? "photo" : "document";
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : null;
        var value = form?[field].ToString() ?? string.Empty;
        var part = value.StartsWith("attach://", StringComparison.Ordinal) ? value["attach://".Length..] : field;
        if (form?.Files.GetFile(part) is not { } file)
        {
            await HandleAsync(context, token, method); // the form is cached, so it is read again as parameters
            return;
        }

        var parameters = await ReadParametersAsync(context.Request);
        _requests.Enqueue(new FakeTelegramRequest(method, parameters, Clock.GetUtcNow()));
        if (!string.Equals(token, BotToken, StringComparison.Ordinal))
        {
            await ErrorAsync(context, 401, "Unauthorized");
            return;
        }

        (int Code, string Description, int? RetryAfter)? failure = null;
        lock (_gate)
        {
            if (_failures.TryGetValue(method, out var queue) && queue.Count > 0)
            {
                failure = queue.Dequeue();
            }
        }

        if (failure is { } f)
        {
            await ErrorAsync(context, f.Code, f.Description, f.RetryAfter);
            return;
        }

        var chatId = Str(parameters, "chat_id");
        if (string.IsNullOrEmpty(chatId))
        {
            await ErrorAsync(context, 400, "Bad Request: chat not found");
            return;
        }

        if (file.Length > (field == "photo" ? MaxPhotoBytes : MaxDocumentBytes))
        {
            await ErrorAsync(context, 400, "Bad Request: file is too big");
            return;
        }

        using var bytes = new MemoryStream();
        await file.CopyToAsync(bytes, context.RequestAborted);
        var caption = Str(parameters, "caption");
        var thread = Int(parameters, "message_thread_id");
        var replyTo = parameters["reply_parameters"] is JsonObject rp ? Int(rp, "message_id") : Int(parameters, "reply_to_message_id");
        long messageId;
        lock (_gate)
        {
            messageId = NextMessageId(chatId);
        }

        _uploads.Enqueue(new FakeTelegramUpload(messageId, method, chatId, file.FileName, file.ContentType, bytes.ToArray(), caption, thread, replyTo));
        var message = MessageJson(chatId, messageId, string.Empty, thread, edited: false);
        message.Remove("text");
        if (field == "photo")
        {
            message["photo"] = new JsonArray { new JsonObject { ["file_id"] = "AgACAgQAAxkBUp" + messageId, ["file_unique_id"] = "U" + messageId, ["width"] = 800, ["height"] = 600 } };
        }
        else
        {
            message["document"] = new JsonObject { ["file_id"] = "BQACAgQAAxkBUp" + messageId, ["file_unique_id"] = "U" + messageId, ["file_name"] = file.FileName, ["file_size"] = file.Length };
        }

        if (caption is not null)
        {
            message["caption"] = caption;
        }

        await OkAsync(context, message);
    }
}
