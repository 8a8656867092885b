using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OpenClaw.Channels.Fakes.Otlp;

/// <summary>An OTLP/HTTP collector (opentelemetry.io/docs/specs/otlp/#otlphttp): accepts <c>POST /v1/traces</c>,
/// <c>/v1/metrics</c> and <c>/v1/logs</c> with <c>Content-Type: application/x-protobuf</c> and answers 200 with an
/// empty <c>Export*ServiceResponse</c>. Bodies are kept as bytes: protobuf strings (service.name, span names) are
/// plain UTF-8 inside them, which is all a test needs to look for.</summary>
public sealed class FakeOtlpCollector : FakeServer
{
    private readonly ConcurrentQueue<(string Signal, byte[] Body)> _exports = new();

    /// <summary>Received exports: signal (<c>traces</c>, <c>metrics</c>, <c>logs</c>) and the protobuf body.</summary>
    public IReadOnlyCollection<(string Signal, byte[] Body)> Exports => _exports;

    /// <summary>True when an export of <paramref name="signal"/> contains <paramref name="text"/> as UTF-8.</summary>
    public bool Received(string signal, string text)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(text);
        return _exports.Any(e => e.Signal == signal && e.Body.AsSpan().IndexOf(needle) >= 0);
    }

    /// <inheritdoc />
    protected override void Map(WebApplication app)
        => app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            if (!string.Equals(request.ContentType, "application/x-protobuf", StringComparison.OrdinalIgnoreCase))
            {
                return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
            }

            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            _exports.Enqueue((signal, body.ToArray()));
            return Results.Bytes([], "application/x-protobuf");
        });
}
