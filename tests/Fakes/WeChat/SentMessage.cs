using System.Text.Json.Nodes;

namespace OpenClaw.Channels.Fakes.WeChat;

/// <summary>One send call the fake received.</summary>
/// <param name="Api"><c>custom</c> (公众号 customer-service send) or <c>wecom</c> (WeCom message/send).</param>
/// <param name="AccessToken">The access token in the query string.</param>
/// <param name="Body">The JSON body.</param>
public sealed record SentMessage(string Api, string AccessToken, JsonObject Body)
{
    /// <summary>The <c>touser</c> field.</summary>
    public string? ToUser => (string?)Body["touser"];

    /// <summary>The <c>text.content</c> field.</summary>
    public string? Content => (string?)Body["text"]?["content"];
}
