using OpenClaw.Channels.Agent;
using OpenClaw.Channels.Hub.Security;

namespace OpenClaw.Channels.Hub.Stores;

/// <summary>Maps the transcript export.</summary>
public static class TranscriptEndpointRouteBuilderExtensions
{
    /// <summary>Maps <c>GET /api/transcripts/{sessionKey}</c>: the session's current transcript as OpenClaw JSONL
    /// (<c>application/x-ndjson</c>, one <c>{"role","content","timestamp"}</c> object per line, oldest first), ready to be
    /// saved as <c>{sessionKey}.jsonl</c>; 404 when the session has none. Transcripts live in the store (Redis or the
    /// embedded Garnet server) in both modes; this is the way out to OpenClaw's file format. Admin policy (<see cref="Security.HubAuthorization.AdminPolicy"/>), as the cron API:
    /// <c>Authorization: Bearer {Hub:AdminToken}</c>, or loopback requests only when no token is set.</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <returns>The endpoint.</returns>
    public static RouteHandlerBuilder MapTranscriptExport(this IEndpointRouteBuilder endpoints)
        => endpoints.MapGet("/api/transcripts/{sessionKey}", async (string sessionKey, ITranscriptStore transcripts, HttpResponse response, CancellationToken ct) =>
        {
            if (transcripts is not RedisTranscriptStore store)
            {
                return Results.Problem(statusCode: StatusCodes.Status501NotImplemented, title: "The registered transcript store has no export.");
            }

            if (await store.CountAsync(sessionKey, ct) == 0)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No transcript for session '{sessionKey}'.");
            }

            response.ContentType = "application/x-ndjson; charset=utf-8";
            response.Headers.ContentDisposition = "attachment; filename=\"" + Uri.EscapeDataString(sessionKey) + ".jsonl\"";
            await store.ExportAsync(sessionKey, response.Body, ct);
            return Results.Empty;
        }).RequireAuthorization(HubAuthorization.AdminPolicy);
}
