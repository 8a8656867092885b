using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OpenClaw.Channels.Fakes;

/// <summary>A public web server holding images a model's answer links to (<c>![alt](url)</c>): <c>GET /img/{key}/{name}</c>
/// serves the file from <see cref="Files"/> with its <c>Content-Type</c> and <c>Content-Length</c>, no credentials.</summary>
public sealed class FakeImageHost : FakeServer
{
    /// <summary>The files served.</summary>
    public FakeFileStore Files { get; } = new();

    /// <summary>The URL of a file in <see cref="Files"/>.</summary>
    /// <param name="key">Its key.</param>
    /// <param name="name">The file name in the path.</param>
    public string Url(string key, string name) => $"{BaseUrl}/img/{Uri.EscapeDataString(key)}/{Uri.EscapeDataString(name)}";

    /// <inheritdoc />
    protected override void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/img/{key}/{name}", (HttpContext context, string key) => Files.ServeAsync(context, key));
    }
}
