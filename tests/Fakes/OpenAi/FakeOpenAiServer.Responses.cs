using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OpenClaw.Channels.Fakes.OpenAi;

/// <content>Writing answers: <c>chat.completion</c> objects, SSE streams of <c>chat.completion.chunk</c> events, usage and OpenAI error objects.</content>
public sealed partial class FakeOpenAiServer
{
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
