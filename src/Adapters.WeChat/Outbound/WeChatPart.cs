namespace OpenClaw.Channels.WeChat;

/// <summary>One message of an answer: text, or an image already uploaded with <c>media/upload</c> (its
/// <c>media_id</c>). Exactly one of <see cref="Text"/> and <see cref="MediaId"/> is set.</summary>
internal sealed record WeChatPart(string? Text, string? MediaId)
{
    public static WeChatPart OfText(string text) => new(text, null);

    public static WeChatPart OfImage(string mediaId) => new(null, mediaId);

    /// <summary>The passive-reply hand-over payload: <c>T</c> + text or <c>I</c> + media id.</summary>
    public string ToPayload() => MediaId is null ? "T" + Text : "I" + MediaId;

    /// <summary>Reads <see cref="ToPayload"/>; anything else is text.</summary>
    public static WeChatPart FromPayload(string payload)
        => payload.StartsWith('I') && payload.Length > 1 ? OfImage(payload[1..]) : OfText(payload.StartsWith('T') ? payload[1..] : payload);
}
