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
public sealed partial class FakeOpenAiServer : FakeServer
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

    /// <summary>When set, every request (counted in <see cref="InFlight"/> from its arrival) waits for this task before it
    /// is answered: a test holds the calls until a condition holds, e.g. N in flight at once, then completes it. Null
    /// (default): no hold.</summary>
    public Task? Hold { get; set; }

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
    public Task WaitForRequestsAsync(int count, TimeSpan timeout)
        => Eventually.UntilAsync(() => RequestCount >= count, timeout, () => $"{count} model requests; {RequestCount} arrived");

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

            if (Hold is { } hold)
            {
                await hold.WaitAsync(http.RequestAborted);
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
}
