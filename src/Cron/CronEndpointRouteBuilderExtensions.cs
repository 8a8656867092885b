using System.Text.Json;

namespace OpenClaw.Channels.Cron;

/// <summary>Maps the cron HTTP API.</summary>
public static class CronEndpointRouteBuilderExtensions
{
    /// <summary>Maps <c>/api/cron/jobs</c>: <c>GET</c> (the active jobs; <c>?all=true</c> adds one-shot jobs that are
    /// done), <c>POST</c> (create; 201, 409 when the id exists), <c>GET|PUT|DELETE /{id}</c>, <c>POST /{id}/run</c> (202,
    /// enqueues a run now) and <c>GET /{id}/runs?max=50</c> (history, latest fire time first). Bodies are camel-case JSON of <see cref="CronJobDefinition"/>; invalid ones get a 400
    /// validation problem naming the field, and nothing is saved. Every endpoint requires
    /// <paramref name="authorizationPolicy"/> (the Hub passes its admin policy: <c>Authorization: Bearer {Hub:AdminToken}</c>
    /// (401), or, with no token configured, a local request (403)).</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="authorizationPolicy">Name of the authorization policy every cron endpoint requires.</param>
    /// <returns>The route group.</returns>
    /// <exception cref="ArgumentException"><paramref name="authorizationPolicy"/> is empty.</exception>
    public static RouteGroupBuilder MapCronApi(this IEndpointRouteBuilder endpoints, string authorizationPolicy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(authorizationPolicy);
        var group = endpoints.MapGroup("/api/cron/jobs").RequireAuthorization(authorizationPolicy);

        group.MapGet("/", async (bool? all, CronJobService service, CancellationToken ct)
            => Results.Json(await service.ListAsync(all == true, ct), CronJson.Options));

        group.MapGet("/{id}", async (string id, CronJobService service, CancellationToken ct)
            => await service.GetAsync(id, ct) is { } job ? Results.Json(job, CronJson.Options) : NotFound(id));

        group.MapPost("/", async (HttpRequest request, CronJobService service, CancellationToken ct) =>
        {
            var (job, problem) = await ReadAsync(request, ct);
            if (job is null)
            {
                return problem!;
            }

            var result = await service.CreateAsync(job, ct);
            if (result.Job is { } saved)
            {
                request.HttpContext.Response.Headers.Location = "/api/cron/jobs/" + Uri.EscapeDataString(saved.Id);
            }

            return result.Conflict
                ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: $"A cron job with id '{job.Id}' exists; use PUT to change it.")
                : Saved(result, created: true);
        });

        group.MapPut("/{id}", async (string id, HttpRequest request, CronJobService service, CancellationToken ct) =>
        {
            var (job, problem) = await ReadAsync(request, ct);
            if (job is null)
            {
                return problem!;
            }

            var result = await service.UpdateAsync(id, job, ct);
            return result.NotFound ? NotFound(id) : Saved(result, created: false);
        });

        group.MapDelete("/{id}", async (string id, CronJobService service, CancellationToken ct)
            => await service.DeleteAsync(id, ct) ? Results.NoContent() : NotFound(id));

        group.MapPost("/{id}/run", async (string id, CronJobService service, CancellationToken ct)
            => await service.RunNowAsync(id, ct) is { } hangfireId
                ? Results.Json(new { jobId = id, hangfireJobId = hangfireId }, CronJson.Options, statusCode: StatusCodes.Status202Accepted)
                : NotFound(id));

        group.MapGet("/{id}/runs", async (string id, int? max, CronJobService service, CancellationToken ct) =>
        {
            if (await service.GetAsync(id, ct) is null)
            {
                return NotFound(id);
            }

            return Results.Json(await service.GetRunsAsync(id, Math.Clamp(max ?? 50, 1, 1000), ct), CronJson.Options);
        });

        return group;
    }

    private static async Task<(CronJobDefinition? Job, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var job = await JsonSerializer.DeserializeAsync<CronJobDefinition>(request.Body, CronJson.Options, cancellationToken);
            return job is null ? (null, Invalid("body", "A JSON object is required.")) : (job, null);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return (null, Invalid(field, "The value could not be read: " + ex.Message));
        }
    }

    private static IResult Saved(CronSaveResult result, bool created)
    {
        if (result.Job is not { } job)
        {
            return Results.ValidationProblem(result.Errors ?? new Dictionary<string, string[]>(), title: "The cron job is invalid; nothing was saved.");
        }

        return created
            ? Results.Json(job, CronJson.Options, statusCode: StatusCodes.Status201Created)
            : Results.Json(job, CronJson.Options);
    }

    private static IResult Invalid(string field, string message)
        => Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The cron job is invalid; nothing was saved.");

    private static IResult NotFound(string id)
        => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No cron job with id '{id}'.");
}
