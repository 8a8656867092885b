namespace OpenClaw.Channels.WeChat;

/// <summary>Downloads WeChat / WeCom images for the agent: by <c>MediaId</c> with <c>GET /cgi-bin/media/get?access_token=…&amp;media_id=…</c>
/// (Official Account: developers.weixin.qq.com/doc/offiaccount/Asset_Management/Get_temporary_materials.html; WeCom:
/// developer.work.weixin.qq.com/document/path/90254), else the message's public <c>PicUrl</c>, read with a length cap. An
/// answer with a JSON or text body is the platform's error object (e.g. 40007 invalid media_id), not the file.</summary>
internal sealed class WeChatAttachmentDownloader(
    WeChatChannelProfile profile,
    IHttpClientFactory httpClientFactory,
    WeChatAccessTokenCache tokens) : IAttachmentDownloader
{
    public string Channel => profile.Channel;

    public async Task<AttachmentDownload> DownloadAsync(Attachment attachment, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        var http = httpClientFactory.CreateClient(WeChatChannelProfile.HttpClientName);
        AttachmentDownload download;
        if (!string.IsNullOrEmpty(attachment.PlatformFileId))
        {
            string token;
            try
            {
                token = await tokens.GetAsync(profile, new WeChatApiClient(http, profile).FetchTokenAsync, cancellationToken).ConfigureAwait(false);
            }
            catch (WeChatApiException)
            {
                return AttachmentDownload.Unavailable;
            }

            var url = new Uri(profile.ApiBaseUrl, string.Concat("cgi-bin/media/get?access_token=", Uri.EscapeDataString(token), "&media_id=", Uri.EscapeDataString(attachment.PlatformFileId)));
            download = await BoundedDownload.ReadAsync(http, new HttpRequestMessage(HttpMethod.Get, url), maxBytes, null, cancellationToken).ConfigureAwait(false);
        }
        else if (Uri.TryCreate(attachment.Url, UriKind.Absolute, out var picUrl) && (picUrl.Scheme == Uri.UriSchemeHttps || picUrl.Scheme == Uri.UriSchemeHttp))
        {
            download = await BoundedDownload.ReadAsync(http, new HttpRequestMessage(HttpMethod.Get, picUrl), maxBytes, null, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            return AttachmentDownload.Unavailable;
        }

        return download.MediaType is { } type && (type.Contains("json", StringComparison.OrdinalIgnoreCase) || type.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
            ? AttachmentDownload.Unavailable
            : download;
    }
}
