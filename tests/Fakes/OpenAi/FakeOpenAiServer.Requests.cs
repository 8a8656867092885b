using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OpenClaw.Channels.Fakes.OpenAi;

/// <content>Reading a chat completions request: messages, text and image parts, tools, <c>stream_options</c> (platform.openai.com/docs/api-reference/chat/create).</content>
public sealed partial class FakeOpenAiServer
{
    private FakeChatRequest Parse(string body, IHeaderDictionary httpHeaders)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var messages = new List<FakeChatMessage>();
        if (root.TryGetProperty("messages", out var msgs) && msgs.ValueKind == JsonValueKind.Array)
        {
            foreach (var m in msgs.EnumerateArray())
            {
                var calls = new List<FakeToolCall>();
                if (m.TryGetProperty("tool_calls", out var tc) && tc.ValueKind == JsonValueKind.Array)
                {
                    foreach (var c in tc.EnumerateArray())
                    {
                        var fn = c.GetProperty("function");
                        calls.Add(new FakeToolCall(Str(c, "id") ?? string.Empty, Str(fn, "name") ?? string.Empty, Str(fn, "arguments") ?? "{}"));
                    }
                }

                messages.Add(new FakeChatMessage(
                    Str(m, "role") ?? string.Empty,
                    Content(m),
                    Str(m, "tool_call_id"),
                    calls,
                    Str(m, "name"))
                {
                    Images = Images(m),
                });
            }
        }

        var tools = new List<string>();
        if (root.TryGetProperty("tools", out var t) && t.ValueKind == JsonValueKind.Array)
        {
            foreach (var tool in t.EnumerateArray())
            {
                if (tool.TryGetProperty("function", out var fn) && Str(fn, "name") is { } name)
                {
                    tools.Add(name);
                }
            }
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in httpHeaders)
        {
            headers[h.Key] = h.Value.ToString();
        }

        var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        lock (_gate)
        {
            var request = new FakeChatRequest(++_sequence, body, Str(root, "model"), stream, messages, tools, headers);
            _requests.Add(request);
            return request;
        }
    }

    private static bool IncludeUsage(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.TryGetProperty("stream_options", out var so)
            && so.ValueKind == JsonValueKind.Object
            && so.TryGetProperty("include_usage", out var iu)
            && iu.ValueKind == JsonValueKind.True;
    }

    private static string? Str(JsonElement e, string name)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Content(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var c))
        {
            return null;
        }

        switch (c.ValueKind)
        {
            case JsonValueKind.String:
                return c.GetString();
            case JsonValueKind.Array:
                return string.Join("\n", c.EnumerateArray().Select(p => Str(p, "text")).Where(x => x is not null));
            default:
                return null;
        }
    }

    /// <summary>The <c>image_url</c> parts of a message's content array: <c>{"type":"image_url","image_url":{"url":…,"detail":…}}</c>
    /// (platform.openai.com/docs/api-reference/chat/create, user message content parts).</summary>
    private static List<FakeImagePart> Images(JsonElement message)
    {
        var images = new List<FakeImagePart>();
        if (!message.TryGetProperty("content", out var c) || c.ValueKind != JsonValueKind.Array)
        {
            return images;
        }

        foreach (var part in c.EnumerateArray())
        {
            if (Str(part, "type") == "image_url" && part.TryGetProperty("image_url", out var image) && Str(image, "url") is { } url)
            {
                images.Add(FakeImagePart.Parse(url, Str(image, "detail")));
            }
        }

        return images;
    }
}
