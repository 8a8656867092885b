using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

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
        var o = options.Value;
        return AttachmentUrlDownload.ReadAsync(
            httpClientFactory.CreateClient(SlackApiClient.HttpClientName),
            attachment,
            maxBytes,
            url => IsSlackHost(url, o),
            request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.BotToken),
            cancellationToken);
    }

    /// <summary>An http(s) URL on a Slack host, or on the configured API host and port.</summary>
    private static bool IsSlackHost(Uri url, SlackOptions o)
    {
        var host = url.Host;
        if (Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var api) && string.Equals(api.Host, host, StringComparison.OrdinalIgnoreCase) && api.Port == url.Port)
        {
            return true;
        }

        return url.Scheme == Uri.UriSchemeHttps
            && (host.EndsWith(".slack.com", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".slack-edge.com", StringComparison.OrdinalIgnoreCase));
    }
}
