using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Slack;

/// <summary>Downloads Slack files for the agent: <c>GET url_private_download</c> with <c>Authorization: Bearer {bot
/// token}</c> (docs.slack.dev/reference/objects/file-object, "Authentication"), read with a length cap. The token is sent
/// only to Slack hosts (<c>*.slack.com</c>, <c>*.slack-edge.com</c>) or the configured <see cref="SlackOptions.ApiBaseUrl"/>
/// host; the file object's <c>size</c> above the cap is refused without a request.</summary>
public sealed class SlackAttachmentDownloader(IHttpClientFactory httpClientFactory, IOptions<SlackOptions> options) : IAttachmentDownloader
{
    /// <inheritdoc />
    public string Channel => SlackNormalizer.ChannelName;

    /// <inheritdoc />
    public Task<AttachmentDownload> DownloadAsync(Attachment attachment, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        if (attachment.SizeBytes > maxBytes)
        {
            return Task.FromResult(AttachmentDownload.TooLarge(attachment.SizeBytes));
        }

        var o = options.Value;
        if (!Uri.TryCreate(attachment.Url, UriKind.Absolute, out var url) || !IsSlackHost(url, o))
        {
            return Task.FromResult(AttachmentDownload.Unavailable);
        }

        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.BotToken);
        return BoundedDownload.ReadAsync(httpClientFactory.CreateClient(SlackApiClient.HttpClientName), request, maxBytes, attachment.MimeType, cancellationToken);
    }

    private static bool IsSlackHost(Uri url, SlackOptions o)
    {
        if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
        {
            return false;
        }

        var host = url.Host;
        if (Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var api) && string.Equals(api.Host, host, StringComparison.OrdinalIgnoreCase) && api.Port == url.Port)
        {
            return true;
        }

        return url.Scheme == Uri.UriSchemeHttps
            && (host.EndsWith(".slack.com", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".slack-edge.com", StringComparison.OrdinalIgnoreCase));
    }
}
