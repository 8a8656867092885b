namespace OpenClaw.Channels.Slack;

/// <summary>How Slack delivers events to the adapter.</summary>
public enum SlackMode
{
    /// <summary>Events API over HTTP: Slack POSTs signed requests to <c>/webhooks/slack/events</c>
    /// (docs.slack.dev/apis/events-api/). Requires <see cref="SlackOptions.SigningSecret"/>.</summary>
    Events,

    /// <summary>Socket Mode: the adapter opens a WebSocket with <c>apps.connections.open</c>
    /// (docs.slack.dev/apis/events-api/using-socket-mode/). Requires <see cref="SlackOptions.AppToken"/>.</summary>
    SocketMode,
}
