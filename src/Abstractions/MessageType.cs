namespace OpenClaw.Channels;

/// <summary>The main content type of an inbound <see cref="ChannelMessage"/>.</summary>
public enum MessageType
{
    /// <summary>Plain text.</summary>
    Text,

    /// <summary>An image (photo), optionally with a caption in <see cref="ChannelMessage.Text"/>.</summary>
    Image,

    /// <summary>Audio or a voice note.</summary>
    Audio,

    /// <summary>A video.</summary>
    Video,

    /// <summary>A generic file or document.</summary>
    File,

    /// <summary>A bot command such as <c>/reset</c>; see <see cref="ChannelMessage.Command"/>.</summary>
    Command,

    /// <summary>A platform event (follow, menu click, join) rather than a user message.</summary>
    Event,
}
