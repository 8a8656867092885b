using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenClaw.Channels.Fakes;

namespace OpenClaw.Channels.Adapters.Tests;

/// <summary><see cref="RequestBody"/> on a real Kestrel endpoint whose limit is <see cref="RequestSizeLimitAttribute"/>
/// metadata: the server enforces it while the body is read.</summary>
public sealed class RequestBodyTests : IAsyncLifetime
{
    private const int Limit = 4096;
    private readonly LimitedServer _server = new();
    private readonly HttpClient _http = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task BodyWithinTheLimit_IsReadWhole()
    {
        using var response = await _http.PostAsync(_server.BaseUrl + "/hook", new ByteArrayContent(new byte[Limit]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Limit.ToString(System.Globalization.CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ContentLengthAboveTheLimit_Is413_WithoutReadingTheBody()
    {
        using var response = await _http.PostAsync(_server.BaseUrl + "/hook", new ByteArrayContent(new byte[Limit + 1]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, _server.Read);
    }

    [Fact]
    public async Task ChunkedBodyAboveTheLimit_Is413()
    {
        var content = new StreamContent(new MemoryStream(new byte[Limit * 4]));
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.BaseUrl + "/hook") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, _server.Read);
    }

    private sealed class LimitedServer : FakeServer
    {
        private int _read;

        /// <summary>Bodies the endpoint read whole.</summary>
        public int Read => Volatile.Read(ref _read);

        protected override void Map(WebApplication app)
            => app.MapPost("/hook", async (HttpContext context) =>
            {
                var body = await RequestBody.ReadAsync(context.Request, context.RequestAborted);
                if (body is null)
                {
                    return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
                }

                Interlocked.Increment(ref _read);
                return Results.Text(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }).WithMetadata(new RequestSizeLimitAttribute(Limit));
    }
}
