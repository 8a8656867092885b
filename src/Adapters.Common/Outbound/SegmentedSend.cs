using OpenClaw.Channels.Adapters.Markdown;

namespace OpenClaw.Channels.Adapters;

/// <summary>Sends an answer that <see cref="MarkdownImages"/> split into text and image segments, in order: text
/// through the adapter's text send, images as the platform's native image message, and an image the platform will not
/// take (not fetchable, not an image, too large, refused) as a Markdown link <c>[alt](url)</c> instead; files of the
/// answer (tool results) through the adapter's file send. A streamed placeholder (<see cref="OutboundMessage.EditMessageId"/>)
/// is edited by the first text part only.</summary>
public static class SegmentedSend
{
    /// <summary>Sends <paramref name="segments"/> of <paramref name="message"/> one after another.</summary>
    /// <param name="message">The whole answer (its target and format; its text is replaced per segment).</param>
    /// <param name="segments">The segments in send order.</param>
    /// <param name="sendText">Sends one text message (chunked by the adapter) and returns its ids.</param>
    /// <param name="sendImage">Sends one image; returns the ids it created (empty when the platform gives none), or
    /// <see langword="null"/> to send the image as a link instead.</param>
    /// <param name="sendFile">Sends one file of the answer (<see cref="OutboundSegment.File"/>) and returns the ids it
    /// created; <see langword="null"/> when the adapter sends no files (a file segment then becomes its placeholder text).</param>
    /// <param name="quoteOnlyFirst">When true, only the first message keeps <see cref="DeliveryTarget.ReplyToId"/>
    /// (the later ones do not quote the question again).</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>The ids of every message sent, in order.</returns>
    /// <exception cref="ChannelDeliveryException">From <paramref name="sendText"/> or <paramref name="sendImage"/>.</exception>
    public static async Task<SendResult> SendAsync(
        OutboundMessage message,
        IReadOnlyList<OutboundSegment> segments,
        Func<OutboundMessage, CancellationToken, Task<SendResult>> sendText,
        Func<OutboundMessage, MarkdownImage, CancellationToken, Task<IReadOnlyList<string>?>> sendImage,
        Func<OutboundMessage, OutboundFile, CancellationToken, Task<IReadOnlyList<string>>>? sendFile,
        bool quoteOnlyFirst,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(sendText);
        ArgumentNullException.ThrowIfNull(sendImage);
        var ids = new List<string>();
        var target = message.Target;
        var edit = message.EditMessageId;
        foreach (var segment in segments)
        {
            var part = message with { Target = target, Files = [], EditMessageId = null };
            if (segment.File is { } file)
            {
                ids.AddRange(sendFile is null
                    ? (await sendText(part with { Text = file.Placeholder("not sent on this channel"), Format = TextFormat.Plain }, cancellationToken).ConfigureAwait(false)).PlatformMessageIds
                    : await sendFile(part, file, cancellationToken).ConfigureAwait(false));
            }
            else if (segment.Image is not { } image)
            {
                ids.AddRange((await sendText(part with { Text = segment.Text!, EditMessageId = edit }, cancellationToken).ConfigureAwait(false)).PlatformMessageIds);
                edit = null; // an edited placeholder takes the first text part only
            }
            else if (await sendImage(part, image, cancellationToken).ConfigureAwait(false) is { } sent)
            {
                ids.AddRange(sent);
            }
            else
            {
                ids.AddRange((await sendText(part with { Text = Link(image) }, cancellationToken).ConfigureAwait(false)).PlatformMessageIds);
            }

            if (quoteOnlyFirst)
            {
                target = target with { ReplyToId = null };
            }
        }

        return new SendResult(ids);
    }

    /// <summary>The Markdown link an image falls back to: <c>[alt](url)</c>, the URL as text when there is no alt.</summary>
    /// <param name="image">The image.</param>
    /// <returns>The link.</returns>
    public static string Link(MarkdownImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return string.Concat("[", image.Alt.Length == 0 ? image.Url.ToString() : image.Alt, "](", image.Url.ToString(), ")");
    }
}
