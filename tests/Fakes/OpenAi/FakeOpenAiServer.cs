using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OpenClaw.Channels.Fakes.OpenAi;

/// <summary>
/// A fake OpenAI-compatible model server on 127.0.0.1 speaking the chat completions wire format
/// (platform.openai.com/docs/api-reference/chat/create): <c>POST /v1/chat/completions</c> answers a
/// <c>chat.completion</c> object, or with <c>"stream":true</c> an SSE stream of <c>chat.completion.chunk</c> objects as
/// <c>data: {…}</c> events ended by <c>data: [DONE]</c>; errors are OpenAI error objects. <c>GET /v1/models</c> lists
/// one model.
/// </summary>
/// <remarks>
/// Answers come from the scripted queue (<see cref="Enqueue(FakeChatResponse, Func{FakeChatRequest, bool}?)"/>, first
/// matching entry first), else from <see cref="DefaultResponder"/> (<c>answer: &lt;last user text&gt;</c>). Every request is
/// recorded (<see cref="Requests"/>) with its messages, tools, headers and start/end timestamps, so tests can count calls,
/// check the <c>Authorization</c> header and compute overlap per conversation with <see cref="MaxConcurrencyBy"/>.
/// </remarks>
public sealed class FakeOpenAiServer : FakeServer
{
    private readonly Lock _gate = new();
    private readonly List<(Func<FakeChatRequest, bool>? When, Func<FakeChatRequest, FakeChatResponse> Respond)> _queue = [];
    private readonly List<FakeChatRequest> _requests = [];
    private int _sequence;
    private int _inFlight;
    private int _maxInFlight;

    /// <summary>The OpenAI-style base URL to configure as <c>Agent:Endpoint</c>: <c>{BaseUrl}/v1</c>.</summary>
    public string ApiBaseUrl => BaseUrl + "/v1";

    /// <summary>Delay before every answer, in ms (default 0); a scripted <see cref="FakeChatResponse.DelayMs"/> overrides it.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Delay between streamed chunks, in ms (default 0).</summary>
    public int StreamChunkDelayMs { get; set; }

    /// <summary>Model name echoed in responses when the request has none. Default <c>fake-model</c>.</summary>
    public string ModelName { get; set; } = "fake-model";

    /// <summary>Answers requests for which no queued response matches. Default: the text <c>answer: &lt;last user text&gt;</c>.</summary>
    public Func<FakeChatRequest, FakeChatResponse> DefaultResponder { get; set; } = r => FakeChatResponse.Answer("answer: " + r.LastUserText);

    /// <summary>Requests received so far, in arrival order (a snapshot).</summary>
    public IReadOnlyList<FakeChatRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToList();
            }
        }
    }

    /// <summary>Number of requests received so far.</summary>
    public int RequestCount
    {
        get
        {
            lock (_gate)
            {
                return _requests.Count;
            }
        }
    }

    /// <summary>Requests being answered right now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Most requests that were in flight at the same time since start or <see cref="Clear"/>.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Creates a fresh tool call id, <c>call_</c> and 24 alphanumerics.</summary>
    public static string NewCallId() => "call_" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 24);

    /// <summary>Queues a response for the next request (that satisfies <paramref name="when"/>, if given).</summary>
    public void Enqueue(FakeChatResponse response, Func<FakeChatRequest, bool>? when = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        Enqueue(_ => response, when);
    }

    /// <summary>Queues a responder for the next request (that satisfies <paramref name="when"/>, if given); it sees the
    /// request, e.g. to answer from the tool result it carries.</summary>
    public void Enqueue(Func<FakeChatRequest, FakeChatResponse> responder, Func<FakeChatRequest, bool>? when = null)
    {
        ArgumentNullException.ThrowIfNull(responder);
        lock (_gate)
        {
            _queue.Add((when, responder));
        }
    }

    /// <summary>Forgets recorded requests, the queue and the in-flight maximum.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _queue.Clear();
            _requests.Clear();
            Volatile.Write(ref _maxInFlight, Volatile.Read(ref _inFlight));
        }
    }

    /// <summary>Largest number of requests of one conversation that overlapped in time, where
    /// <paramref name="conversationKey"/> names the conversation of a request (e.g. <c>r =&gt; r.FirstUserText</c> or a marker in
    /// the system prompt); requests with a null key are ignored.</summary>
    public int MaxConcurrencyBy(Func<FakeChatRequest, string?> conversationKey)
    {
        ArgumentNullException.ThrowIfNull(conversationKey);
        var max = 0;
        foreach (var group in Requests.Where(r => conversationKey(r) is not null).GroupBy(r => conversationKey(r), StringComparer.Ordinal))
        {
            var events = group
                .SelectMany(r => new[] { (At: r.StartTimestamp, Delta: 1), (At: r.EndTimestamp, Delta: -1) })
                .OrderBy(e => e.At)
                .ThenBy(e => e.Delta); // an end at the same instant as a start is not an overlap
            var running = 0;
            foreach (var (_, delta) in events)
            {
                running += delta;
                max = Math.Max(max, running);
            }
        }

        return max;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests have been received.</summary>
    /// <exception cref="TimeoutException">Fewer arrived within <paramref name="timeout"/>.</exception>
    public async Task WaitForRequestsAsync(int count, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (RequestCount < count)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Only {RequestCount} of {count} model requests arrived within {timeout}.");
            }

            await Task.Delay(10);
        }
    }

    /// <inheritdoc />
    protected override void Map(WebApplication app)
    {
        app.MapPost("/v1/chat/completions", HandleChatAsync);
        app.MapGet("/v1/models", () => Results.Json(new
        {
            @object = "list",
            data = new[] { new { id = ModelName, @object = "model", created = 1_700_000_000, owned_by = "openclaw-fake" } },
        }));
    }

    private async Task HandleChatAsync(HttpContext http)
    {
        var entered = Interlocked.Increment(ref _inFlight);
        UpdateMax(entered);
        FakeChatRequest? request = null;
        try
        {
            string body;
            using (var reader = new StreamReader(http.Request.Body, Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync(http.RequestAborted);
            }

            try
            {
                request = Parse(body, http.Request.Headers);
            }
            catch (JsonException ex)
            {
                await WriteErrorAsync(http, 400, "invalid_request_error", "We could not parse the JSON body of your request. " + ex.Message, null);
                return;
            }

            var response = NextResponse(request);
            var delay = response.DelayMs ?? LatencyMs;
            if (delay > 0)
            {
                await Task.Delay(delay, http.RequestAborted);
            }

            foreach (var (name, value) in response.Headers)
            {
                http.Response.Headers[name] = value;
            }

            if (response.StatusCode != 200)
            {
                await WriteErrorAsync(http, response.StatusCode, ErrorType(response.StatusCode), response.ErrorMessage ?? "The server had an error while processing your request.", response.RetryAfter);
            }
            else if (request.Stream)
            {
                await WriteStreamAsync(http, request, response, IncludeUsage(body));
            }
            else
            {
                await WriteCompletionAsync(http, request, response);
            }
        }
        finally
        {
            if (request is not null)
            {
                request.StatusCode = http.Response.StatusCode;
                request.CompletedAt = DateTimeOffset.UtcNow;
                request.EndTimestamp = Stopwatch.GetTimestamp();
            }

            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void UpdateMax(int value)
    {
        var current = Volatile.Read(ref _maxInFlight);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref _maxInFlight, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

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

    private FakeChatResponse NextResponse(FakeChatRequest request)
    {
        Func<FakeChatRequest, FakeChatResponse>? responder = null;
        lock (_gate)
        {
            var index = _queue.FindIndex(e => e.When is null || e.When(request));
            if (index >= 0)
            {
                responder = _queue[index].Respond;
                _queue.RemoveAt(index);
            }
        }

        return (responder ?? DefaultResponder)(request);
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

    private static string ErrorType(int status) => status switch
    {
        400 or 404 or 422 => "invalid_request_error",
        401 => "invalid_api_key",
        403 => "permission_denied",
        429 => "rate_limit_exceeded",
        _ => "server_error",
    };

    private static async Task WriteErrorAsync(HttpContext http, int status, string type, string message, TimeSpan? retryAfter)
    {
        http.Response.StatusCode = status;
        if (retryAfter is { } ra)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(ra.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await WriteJsonAsync(http, new { error = new { message, type, param = (string?)null, code = status == 429 ? "rate_limit_exceeded" : null } });
    }

    private string CompletionId() => "chatcmpl-" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 29);

    private static object Usage(FakeChatRequest request, FakeChatResponse response)
    {
        var prompt = request.Messages.Sum(m => (m.Content?.Length ?? 0) / 4 + 4);
        var completion = ((response.Text?.Length ?? 0) / 4) + (response.ToolCalls.Count * 10) + 1;
        return new
        {
            prompt_tokens = prompt,
            completion_tokens = completion,
            total_tokens = prompt + completion,
            prompt_tokens_details = new { cached_tokens = 0, audio_tokens = 0 },
            completion_tokens_details = new { reasoning_tokens = 0, audio_tokens = 0, accepted_prediction_tokens = 0, rejected_prediction_tokens = 0 },
        };
    }

    private async Task WriteCompletionAsync(HttpContext http, FakeChatRequest request, FakeChatResponse response)
    {
        var toolCalls = response.ToolCalls.Count == 0
            ? null
            : response.ToolCalls.Select(c => new { id = c.Id, type = "function", function = new { name = c.Name, arguments = c.ArgumentsJson } }).ToArray();
        var completion = new
        {
            id = CompletionId(),
            @object = "chat.completion",
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            model = request.Model ?? ModelName,
            choices = new[]
            {
                new
                {
                    index = 0,
                    message = toolCalls is null
                        ? (object)new { role = "assistant", content = response.Text, refusal = (string?)null, annotations = Array.Empty<object>() }
                        : new { role = "assistant", content = response.Text, refusal = (string?)null, tool_calls = toolCalls, annotations = Array.Empty<object>() },
                    logprobs = (object?)null,
                    finish_reason = response.FinishReason,
                },
            },
            usage = Usage(request, response),
            service_tier = "default",
            system_fingerprint = "fp_fake",
        };
        http.Response.StatusCode = 200;
        await WriteJsonAsync(http, completion);
    }

    private async Task WriteStreamAsync(HttpContext http, FakeChatRequest request, FakeChatResponse response, bool includeUsage)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var id = CompletionId();
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var model = request.Model ?? ModelName;
        var ct = http.RequestAborted;

        async Task SendAsync(object delta, string? finishReason, bool pause)
        {
            var chunk = new
            {
                id,
                @object = "chat.completion.chunk",
                created,
                model,
                system_fingerprint = "fp_fake",
                choices = new[] { new { index = 0, delta, logprobs = (object?)null, finish_reason = finishReason } },
            };
            await WriteEventAsync(http, JsonSerializer.Serialize(chunk), ct);
            if (pause && StreamChunkDelayMs > 0)
            {
                await Task.Delay(StreamChunkDelayMs, ct);
            }
        }

        await SendAsync(new { role = "assistant", content = response.ToolCalls.Count > 0 && response.Text is null ? null : string.Empty, refusal = (string?)null }, null, false);
        if (!string.IsNullOrEmpty(response.Text))
        {
            foreach (var piece in SplitForStreaming(response.Text))
            {
                await SendAsync(new { content = piece }, null, true);
            }
        }

        for (var i = 0; i < response.ToolCalls.Count; i++)
        {
            var call = response.ToolCalls[i];
            await SendAsync(new { tool_calls = new[] { new { index = i, id = call.Id, type = "function", function = new { name = call.Name, arguments = string.Empty } } } }, null, true);
            var args = call.ArgumentsJson;
            for (var at = 0; at < args.Length; at += 8)
            {
                var part = args.Substring(at, Math.Min(8, args.Length - at));
                await SendAsync(new { tool_calls = new[] { new { index = i, function = new { arguments = part } } } }, null, true);
            }
        }

        await SendAsync(new { }, response.FinishReason, false);
        if (includeUsage)
        {
            var usageChunk = new
            {
                id,
                @object = "chat.completion.chunk",
                created,
                model,
                system_fingerprint = "fp_fake",
                choices = Array.Empty<object>(),
                usage = Usage(request, response),
            };
            await WriteEventAsync(http, JsonSerializer.Serialize(usageChunk), ct);
        }

        await WriteEventAsync(http, "[DONE]", ct);
    }

    /// <summary>Splits text into word-sized pieces (each keeps its trailing whitespace) so concatenation gives the text back.</summary>
    private static IEnumerable<string> SplitForStreaming(string text)
    {
        var start = 0;
        for (var i = 1; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i - 1]) && !char.IsWhiteSpace(text[i]))
            {
                yield return text[start..i];
                start = i;
            }
        }

        yield return text[start..];
    }

    private static Task WriteJsonAsync(HttpContext http, object value)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(JsonSerializer.Serialize(value), http.RequestAborted);
    }

    private static async Task WriteEventAsync(HttpContext http, string data, CancellationToken cancellationToken)
    {
        await http.Response.WriteAsync("data: " + data + "\n\n", cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);
    }
}
