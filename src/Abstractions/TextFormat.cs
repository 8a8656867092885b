namespace OpenClaw.Channels;

/// <summary>How <see cref="OutboundMessage.Text"/> is written.</summary>
public enum TextFormat
{
    /// <summary>Plain text, sent as is.</summary>
    Plain,

    /// <summary>CommonMark-style Markdown as LLMs write it; each sender converts it to the platform's dialect
    /// (Telegram HTML, Slack mrkdwn, Discord Markdown, WeChat plain text).</summary>
    Markdown,
}
