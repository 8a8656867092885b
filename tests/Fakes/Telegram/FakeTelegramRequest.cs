using System.Text.Json.Nodes;

namespace OpenClaw.Channels.Fakes.Telegram;

/// <summary>One Bot API call the fake received: the method name (as in the URL, e.g. <c>sendMessage</c>) and its
/// parameters merged from the query string, form fields and JSON body (JSON-looking form values are parsed).</summary>
public sealed record FakeTelegramRequest(string Method, JsonObject Parameters, DateTimeOffset ReceivedAt);
