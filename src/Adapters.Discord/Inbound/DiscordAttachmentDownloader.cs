using OpenClaw.Channels.Adapters;

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
        => AttachmentUrlDownload.ReadAsync(httpClientFactory.CreateClient(DiscordRestClient.HttpClientName), attachment, maxBytes, isAllowed: null, authorize: null, cancellationToken);
}
