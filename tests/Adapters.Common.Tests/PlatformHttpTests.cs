using System.Net;

namespace OpenClaw.Channels.Adapters.Tests;

public sealed class PlatformHttpTests : IAsyncLifetime
{
    private readonly PlatformServer _server = new();
    private readonly HttpClient _http = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task AJsonAnswer_IsReadDetachedFromItsDocument()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _server.BaseUrl + "/json");
        using var response = await PlatformHttp.SendAsync(_http, request, Fail, CancellationToken.None);

        var json = await PlatformHttp.ReadJsonAsync(response, Fail, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(7, json.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task ABodyThatIsNotJson_IsTheAdaptersNotJsonFailure()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _server.BaseUrl + "/html");
        using var response = await PlatformHttp.SendAsync(_http, request, Fail, CancellationToken.None);

        var e = await Assert.ThrowsAsync<ChannelDeliveryException>(() => PlatformHttp.ReadJsonAsync(response, Fail, CancellationToken.None));

        Assert.Equal("NotJson", e.ErrorCode);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(e.InnerException);
    }

    [Fact]
    public async Task NoListener_IsTheAdaptersNetworkFailure()
    {
        var closed = await ClosedPortAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{closed}/json");

        var e = await Assert.ThrowsAsync<ChannelDeliveryException>(() => PlatformHttp.SendAsync(_http, request, Fail, CancellationToken.None));

        Assert.Equal("Network", e.ErrorCode);
        Assert.IsType<HttpRequestException>(e.InnerException);
    }

    [Fact]
    public async Task TheClientsTimeout_IsTheAdaptersTimeoutFailure()
    {
        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(200) };
        using var request = new HttpRequestMessage(HttpMethod.Get, _server.BaseUrl + "/hang");

        var e = await Assert.ThrowsAsync<ChannelDeliveryException>(() => PlatformHttp.SendAsync(impatient, request, Fail, CancellationToken.None));

        Assert.Equal("Timeout", e.ErrorCode);
    }

    [Fact]
    public async Task TheCallersCancellation_Propagates_AsItself()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, _server.BaseUrl + "/hang");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PlatformHttp.SendAsync(_http, request, Fail, cts.Token));
    }

    private static ChannelDeliveryException Fail(PlatformCallFailure failure, Exception cause)
        => new("acme: " + failure, cause) { ErrorCode = failure.ToString() };

    private static async Task<int> ClosedPortAsync()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await Task.Yield();
        return port;
    }
}
