using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace OpenClaw.Channels.Telegram;

/// <summary>Downloads Telegram files for the agent: <c>getFile</c> (core.telegram.org/bots/api#getfile) gives the
/// <c>file_path</c>, then <c>{ApiBaseUrl}/file/bot{token}/{file_path}</c> serves the bytes, read with a length cap. For a
/// photo the largest <c>PhotoSize</c> within the cap is taken (<see cref="Attachment.SmallerVariants"/>). The Bot API
/// serves files up to 20 MB.</summary>
public sealed class TelegramAttachmentDownloader(
    TelegramBotClientFactory clients,
    IHttpClientFactory httpClientFactory,
    IOptions<TelegramOptions> options) : IAttachmentDownloader
{
    /// <summary>Largest file the Bot API lets a bot download, in bytes (core.telegram.org/bots/api#getfile: 20 MB).</summary>
    public const long MaxDownloadBytes = 20L * 1024 * 1024;

    /// <inheritdoc />
    public string Channel => TelegramNormalizer.ChannelName;

    /// <inheritdoc />
    public async Task<AttachmentDownload> DownloadAsync(Attachment attachment, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        var cap = Math.Min(maxBytes, MaxDownloadBytes);
        var choice = new[] { attachment }.Concat(attachment.SmallerVariants)
            .FirstOrDefault(a => !string.IsNullOrEmpty(a.PlatformFileId) && (a.SizeBytes is null || a.SizeBytes <= cap));
        if (choice is null)
        {
            return string.IsNullOrEmpty(attachment.PlatformFileId) ? AttachmentDownload.Unavailable : AttachmentDownload.TooLarge(attachment.SizeBytes);
        }

        global::Telegram.Bot.Types.TGFile file;
        try
        {
            file = await clients.Create().GetFile(choice.PlatformFileId!, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiRequestException)
        {
            return AttachmentDownload.Unavailable; // e.g. 400 "file is too big" or an expired file id
        }
        catch (HttpRequestException)
        {
            return AttachmentDownload.Unavailable;
        }

        if (file.FileSize > cap)
        {
            return AttachmentDownload.TooLarge(file.FileSize);
        }

        if (string.IsNullOrEmpty(file.FilePath))
        {
            return AttachmentDownload.Unavailable;
        }

        var o = options.Value;
        var url = string.Concat(o.ApiBaseUrl.TrimEnd('/'), "/file/bot", o.BotToken, "/", file.FilePath);
        var client = httpClientFactory.CreateClient(TelegramBotClientFactory.HttpClientName);
        return await BoundedDownload.ReadAsync(client, new HttpRequestMessage(HttpMethod.Get, url), cap, choice.MimeType, cancellationToken).ConfigureAwait(false);
    }
}
