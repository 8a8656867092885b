using OpenClaw.Channels.Hub.Routing;
using OpenClaw.Channels.Hub.Security;
using OpenClaw.Channels.Hub.Stores;

namespace OpenClaw.Channels.Hub.DeadLetters;

/// <summary>Maps the dead-letter HTTP API.</summary>
public static class DeadLetterEndpointRouteBuilderExtensions
{
    /// <summary>Maps <c>GET /api/deadletters?max=100</c> (newest first: id, session, reason, time, channel and the
    /// message) and <c>POST /api/deadletters/{id}/replay</c> (puts the message back at the head of its session and
    /// schedules a run; 202, 404 when there is no such dead letter). Admin policy <see cref="HubAuthorization.AdminPolicy"/>, as the cron API:
    /// <c>Authorization: Bearer {Hub:AdminToken}</c> (401), or, with no token configured, loopback requests only (403).</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <returns>The route group.</returns>
    public static RouteGroupBuilder MapDeadLetterApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/deadletters").RequireAuthorization(HubAuthorization.AdminPolicy);

        group.MapGet("/", async (int? max, ISessionStore store, CancellationToken ct) =>
        {
            var letters = await store.ListDeadLettersAsync(Math.Clamp(max ?? 100, 1, 10_000), ct);
            return Results.Json(letters.Select(View), MessageSerializer.Options);
        });

        group.MapPost("/{id}/replay", async (string id, ISessionStore store, SessionRouter router, CancellationToken ct) =>
        {
            if (await store.ReplayDeadLetterAsync(id, ct) is not { } replayed)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No dead letter with id '{id}'.");
            }

            if (replayed.NeedsRun)
            {
                router.ScheduleRun(replayed.Letter.SessionKey, SessionRouter.LabelOf(replayed.Letter.Message));
            }

            return Results.Json(new { id, sessionKey = replayed.Letter.SessionKey, replayed = true }, MessageSerializer.Options, statusCode: StatusCodes.Status202Accepted);
        });

        return group;
    }

    private static object View(DeadLetter letter) => new
    {
        letter.Id,
        letter.SessionKey,
        letter.Reason,
        letter.At,
        letter.Message.Channel,
        letter.Message,
    };
}
