namespace OpenClaw.Channels;

/// <summary>The kind of an <see cref="Attachment"/>.</summary>
public enum AttachmentKind
{
    /// <summary>An image.</summary>
    Image,

    /// <summary>Audio, including voice notes.</summary>
    Audio,

    /// <summary>A video.</summary>
    Video,

    /// <summary>Any other file.</summary>
    File,

    /// <summary>A geographic location (<see cref="Attachment.Name"/> holds "lat,lon").</summary>
    Location,

    /// <summary>A link card (<see cref="Attachment.Url"/> is the target).</summary>
    Link,
}
