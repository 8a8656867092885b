using System.Net.Http.Headers;

namespace OpenClaw.Channels.Adapters.Tests;

public sealed class AttachmentUrlDownloadTests : IAsyncLifetime
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
    public async Task AnHttpUrl_IsRead_WithThePlatformsAuthorization()
    {
        var download = await AttachmentUrlDownload.ReadAsync(
            _http, File(), 1024, isAllowed: null, r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "xoxb-1"), CancellationToken.None);

        Assert.Equal(AttachmentDownloadStatus.Downloaded, download.Status);
        Assert.Equal(PlatformServer.FileBytes, download.Data.ToArray());
        Assert.Equal("image/png", download.MediaType);
        Assert.Equal(["Bearer xoxb-1"], _server.Requests);
    }

    [Fact]
    public async Task ADeclaredSizeAboveTheCap_IsTooLarge_WithoutARequest()
    {
        var download = await AttachmentUrlDownload.ReadAsync(_http, File() with { SizeBytes = 2048 }, 1024, null, null, CancellationToken.None);

        Assert.Equal(AttachmentDownloadStatus.TooLarge, download.Status);
        Assert.Equal(2048, download.SizeBytes);
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("/file")]
    [InlineData("ftp://127.0.0.1/file")]
    [InlineData("file:///etc/passwd")]
    public async Task AMissingRelativeOrNonHttpUrl_IsUnavailable(string? url)
    {
        var download = await AttachmentUrlDownload.ReadAsync(_http, new Attachment(AttachmentKind.File, url), 1024, null, null, CancellationToken.None);

        Assert.Equal(AttachmentDownloadStatus.Unavailable, download.Status);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task AHostThePlatformRefuses_IsUnavailable_AndGetsNoCredentials()
    {
        var authorized = false;

        var download = await AttachmentUrlDownload.ReadAsync(_http, File(), 1024, url => url.Host == "files.slack.com", _ => authorized = true, CancellationToken.None);

        Assert.Equal(AttachmentDownloadStatus.Unavailable, download.Status);
        Assert.False(authorized);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task ABodyAboveTheCap_IsTooLarge()
    {
        var download = await AttachmentUrlDownload.ReadAsync(_http, File(), 4, null, null, CancellationToken.None);

        Assert.Equal(AttachmentDownloadStatus.TooLarge, download.Status);
    }

    private Attachment File() => new(AttachmentKind.Image, _server.BaseUrl + "/file", MimeType: "image/png");
}
