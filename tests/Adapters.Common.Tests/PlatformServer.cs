using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OpenClaw.Channels.Fakes;

namespace OpenClaw.Channels.Adapters.Tests;

/// <summary>A platform on loopback for the shared HTTP helpers: <c>GET /file</c> (bytes, recording the
/// <c>Authorization</c> header), <c>GET /json</c>, <c>GET /html</c> (not JSON) and <c>GET /hang</c> (answers only when
/// the client gives up).</summary>
internal sealed class PlatformServer : FakeServer
{
    public static readonly byte[] FileBytes = [1, 2, 3, 4, 5];

    /// <summary>The <c>Authorization</c> header of each request, in order (empty when none was sent).</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    protected override void Map(WebApplication app)
    {
        app.MapGet("/file", (HttpContext context) =>
        {
            Requests.Enqueue(context.Request.Headers.Authorization.ToString());
            return Results.Bytes(FileBytes, "image/png");
        });
        app.MapGet("/json", () => Results.Text("{\"ok\":true,\"n\":7}", "application/json"));
        app.MapGet("/html", () => Results.Text("<html>busy</html>", "text/html"));
        app.MapGet("/hang", async (HttpContext context) =>
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return Results.Ok();
        });
    }
}
