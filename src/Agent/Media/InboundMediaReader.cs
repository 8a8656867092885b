using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Agent;

/// <summary>Builds the user turn the model sees: each message's text with a reference per attachment, and, when
/// <see cref="AgentOptions.Vision"/> is on, the images themselves as <see cref="DataContent"/> (downloaded through the
/// channel's <see cref="IAttachmentDownloader"/>, each within <see cref="AgentOptions.MaxImageBytes"/> and
/// <see cref="AgentOptions.AttachmentTimeoutSeconds"/>, at most <see cref="AgentOptions.MaxImagesPerTurn"/> per turn).
/// Documents, audio and video stay references (never downloaded); so does an image that is too large, in a format the
/// model does not read, or that the platform did not serve.</summary>
internal sealed partial class InboundMediaReader(
    IEnumerable<IAttachmentDownloader> downloaders,
    IOptions<AgentOptions> options,
    ILogger<InboundMediaReader> logger)
{
    /// <summary>Image formats OpenAI-compatible vision models accept (platform.openai.com/docs/guides/images-vision).</summary>
    private static readonly HashSet<string> ModelImageTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "image/png", "image/jpeg", "image/gif", "image/webp",
    };

    private readonly Dictionary<string, IAttachmentDownloader> _downloaders = downloaders
        .GroupBy(d => d.Channel, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads the turn's messages in order.</summary>
    /// <returns>One entry per message: the text (for the model and the transcript) and its images (for the model only).</returns>
    public async Task<List<UserTurnMessage>> ReadAsync(IReadOnlyList<ChannelMessage> messages, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var result = new List<UserTurnMessage>(messages.Count);
        var imagesLeft = o.Vision ? o.MaxImagesPerTurn : 0;
        foreach (var message in messages)
        {
            if (message.Attachments.Count == 0)
            {
                result.Add(new UserTurnMessage(AgentMessageFormatter.Format(message), []));
                continue;
            }

            var notes = new Dictionary<Attachment, string>(ReferenceEqualityComparer.Instance);
            var shown = new Dictionary<Attachment, Attachment>(ReferenceEqualityComparer.Instance);
            var images = new List<DataContent>();
            foreach (var attachment in message.Attachments)
            {
                if (!IsImage(attachment))
                {
                    continue;
                }

                if (!o.Vision)
                {
                    continue; // a plain reference: the model cannot see images
                }

                if (imagesLeft <= 0)
                {
                    notes[attachment] = "not shown: image limit of this turn reached";
                    continue;
                }

                if (attachment.SizeBytes > o.MaxImageBytes && !attachment.SmallerVariants.Any(v => v.SizeBytes is null || v.SizeBytes <= o.MaxImageBytes))
                {
                    notes[attachment] = "not shown: larger than " + AgentMessageFormatter.FormatSize(o.MaxImageBytes);
                    continue;
                }

                var (image, note) = await DownloadAsync(message.Channel, attachment, o, cancellationToken).ConfigureAwait(false);
                if (image is null)
                {
                    notes[attachment] = note!;
                    continue;
                }

                images.Add(image);
                shown[attachment] = attachment with { SizeBytes = image.Data.Length }; // the size sent (maybe a smaller variant)
                imagesLeft--;
            }

            var text = AgentMessageFormatter.Format(message, a => AgentMessageFormatter.Describe(shown.GetValueOrDefault(a, a), notes.GetValueOrDefault(a)));
            result.Add(new UserTurnMessage(text, images));
        }

        return result;
    }

    private static bool IsImage(Attachment attachment)
        => attachment.Kind == AttachmentKind.Image
            || (attachment.Kind == AttachmentKind.File && attachment.MimeType is { } mime && ModelImageTypes.Contains(mime));

    private async Task<(DataContent? Image, string? Note)> DownloadAsync(string channel, Attachment attachment, AgentOptions o, CancellationToken cancellationToken)
    {
        if (!_downloaders.TryGetValue(channel, out var downloader))
        {
            return (null, "not shown: this channel cannot download files");
        }

        var timeout = TimeSpan.FromSeconds(o.AttachmentTimeoutSeconds);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var started = Stopwatch.GetTimestamp();
        AttachmentDownload download;
        try
        {
            download = await downloader.DownloadAsync(attachment, o.MaxImageBytes, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogDownload(logger, channel, "timeout", 0, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return (null, "not shown: the download timed out");
        }

        LogDownload(logger, channel, download.Status.ToString(), download.Data.Length, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        switch (download.Status)
        {
            case AttachmentDownloadStatus.TooLarge:
                return (null, "not shown: larger than " + AgentMessageFormatter.FormatSize(o.MaxImageBytes));
            case AttachmentDownloadStatus.Unavailable:
                return (null, "not shown: the platform did not serve it");
        }

        var bytes = download.Data;
        var mediaType = Sniff(bytes.Span) ?? download.MediaType ?? attachment.MimeType;
        if (mediaType is null || !ModelImageTypes.Contains(mediaType))
        {
            return (null, "not shown: a format the model cannot read");
        }

        return (new DataContent(bytes, mediaType) { Name = attachment.Name }, null);
    }

    /// <summary>The image format from its first bytes (PNG, JPEG, GIF, WebP signatures), or null.</summary>
    private static string? Sniff(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        {
            return "image/jpeg";
        }

        if (b.StartsWith("GIF87a"u8) || b.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }

        if (b.Length >= 12 && b.StartsWith("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        return null;
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Debug, Message = "Attachment download on {Channel}: {Outcome}, {Bytes} bytes in {ElapsedMs} ms")]
    private static partial void LogDownload(ILogger logger, string channel, string outcome, int bytes, long elapsedMs);
}
