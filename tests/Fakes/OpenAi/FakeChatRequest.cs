using System.Diagnostics;

namespace OpenClaw.Channels.Fakes.OpenAi;

/// <summary>One request received at <c>POST /v1/chat/completions</c>, as recorded by <see cref="FakeOpenAiServer"/>.</summary>
public sealed class FakeChatRequest
{
    internal FakeChatRequest(
        int sequence,
        string body,
        string? model,
        bool stream,
        IReadOnlyList<FakeChatMessage> messages,
        IReadOnlyList<string> toolNames,
        IReadOnlyDictionary<string, string> headers)
    {
        Sequence = sequence;
        Body = body;
        Model = model;
        Stream = stream;
        Messages = messages;
        ToolNames = toolNames;
        Headers = headers;
        StartedAt = DateTimeOffset.UtcNow;
        StartTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>Arrival order, from 1.</summary>
    public int Sequence { get; }

    /// <summary>The raw JSON body.</summary>
    public string Body { get; }

    /// <summary>The <c>model</c> field.</summary>
    public string? Model { get; }

    /// <summary>The <c>stream</c> field.</summary>
    public bool Stream { get; }

    /// <summary>The <c>messages</c> array.</summary>
    public IReadOnlyList<FakeChatMessage> Messages { get; }

    /// <summary>Names of the function tools offered in <c>tools</c>.</summary>
    public IReadOnlyList<string> ToolNames { get; }

    /// <summary>Request headers (case-insensitive names; multiple values joined with <c>, </c>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The <c>Authorization</c> header, e.g. <c>Bearer sk-…</c>, or null.</summary>
    public string? Authorization => Headers.TryGetValue("Authorization", out var v) ? v : null;

    /// <summary>Content of the first <c>system</c> (or <c>developer</c>) message, or null.</summary>
    public string? SystemPrompt => Messages.FirstOrDefault(m => m.Role is "system" or "developer")?.Content;

    /// <summary>Content of the first <c>user</c> message, or null; a handy conversation key.</summary>
    public string? FirstUserText => Messages.FirstOrDefault(m => m.Role == "user")?.Content;

    /// <summary>Content of the last <c>user</c> message, or null.</summary>
    public string? LastUserText => Messages.LastOrDefault(m => m.Role == "user")?.Content;

    /// <summary>The <c>tool</c> messages (tool results) sent back to the model.</summary>
    public IReadOnlyList<FakeChatMessage> ToolResults => Messages.Where(m => m.Role == "tool").ToList();

    /// <summary>When the request arrived, UTC.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When the last response byte was written, UTC; null while in flight.</summary>
    public DateTimeOffset? CompletedAt { get; internal set; }

    /// <summary>The HTTP status answered; 0 while in flight.</summary>
    public int StatusCode { get; internal set; }

    /// <summary><see cref="Stopwatch.GetTimestamp"/> at arrival, for overlap computations.</summary>
    public long StartTimestamp { get; }

    /// <summary><see cref="Stopwatch.GetTimestamp"/> at completion; <see cref="long.MaxValue"/> while in flight.</summary>
    public long EndTimestamp { get; internal set; } = long.MaxValue;
}
