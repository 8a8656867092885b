namespace OpenClaw.Channels.Discord;

/// <summary>Downloads Discord message attachments for the agent: <c>GET</c> the attachment's <c>url</c> (a signed CDN
/// URL such as <c>https://cdn.discordapp.com/attachments/{channel}/{id}/{name}?ex=…</c>, which needs no token —
/// discord.com/developers/docs/resources/message#attachment-object), read with a length cap. The bot token is never sent;
/// the attachment object's <c>size</c> above the cap is refused without a request.</summary>
public sealed class DiscordAttachmentDownloader(IHttpClientFactory httpClientFactory) : IAttachmentDownloader
{
    /// <inheritdoc />
    public string Channel => DiscordNormalizer.ChannelName;

    /// <inheritdoc />
    public Task<AttachmentDownload> DownloadAsync(Attachment attachment, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        if (attachment.SizeBytes > maxBytes)
        {
            return Task.FromResult(AttachmentDownload.TooLarge(attachment.SizeBytes));
        }

        if (!Uri.TryCreate(attachment.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            return Task.FromResult(AttachmentDownload.Unavailable);
        }

        var request = new HttpRequestMessage(HttpMethod.Get, url);
        return BoundedDownload.ReadAsync(httpClientFactory.CreateClient(DiscordRestClient.HttpClientName), request, maxBytes, attachment.MimeType, cancellationToken);
    }
}
