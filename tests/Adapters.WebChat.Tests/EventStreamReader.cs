using System.Text.Json;
using OpenClaw.Channels.Fakes;

namespace OpenClaw.Channels.Tests;

/// <summary>Reads <c>GET /webchat/api/events</c> (Server-Sent Events, html.spec.whatwg.org/multipage/server-sent-events.html)
/// in the background and records each event: its name and its <c>data</c> parsed as JSON.</summary>
public sealed class EventStreamReader : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<(string Type, JsonElement Data)> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpResponseMessage _response;
    private readonly Task _pump;

    private EventStreamReader(HttpResponseMessage response)
    {
        _response = response;
        _pump = PumpAsync(response);
    }

    /// <summary>Events so far, in order.</summary>
    public IReadOnlyList<(string Type, JsonElement Data)> Events
    {
        get
        {
            lock (_gate)
            {
                return _events.ToList();
            }
        }
    }

    /// <summary>The <c>message</c> events so far.</summary>
    public IReadOnlyList<JsonElement> Messages => Events.Where(e => e.Type == "message").Select(e => e.Data).ToList();

    /// <summary>Opens the stream with <paramref name="browser"/>'s cookies and waits for its <c>ready</c> event.</summary>
    public static async Task<EventStreamReader> OpenAsync(HttpClient browser)
    {
        var response = await browser.GetAsync("/webchat/api/events", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reader = new EventStreamReader(response);
        await Eventually.UntilAsync(() => reader.Events.Any(e => e.Type == "ready"), TimeSpan.FromSeconds(10), () => "no ready event");
        return reader;
    }

    private async Task PumpAsync(HttpResponseMessage response)
    {
        try
        {
            using var stream = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
            string type = "message";
            var data = new List<string>();
            while (await stream.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Count > 0)
                    {
                        var json = JsonDocument.Parse(string.Join('\n', data)).RootElement.Clone();
                        lock (_gate)
                        {
                            _events.Add((type, json));
                        }
                    }

                    type = "message";
                    data.Clear();
                }
                else if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    type = line["event:".Length..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Add(line["data:".Length..].TrimStart());
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            // closed
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        await _pump;
        _stop.Dispose();
    }
}
