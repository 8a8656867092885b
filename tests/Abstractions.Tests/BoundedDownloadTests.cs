using System.Net;

namespace OpenClaw.Channels.Tests;

/// <summary>BoundedDownload never hands back or reads past the cap: bodies are served by a handler whose stream counts
/// what the client read.</summary>
public class BoundedDownloadTests
{
    /// <summary>Serves <c>length</c> bytes, with or without a <c>Content-Length</c>, and counts the bytes read.</summary>
    private sealed class CountingHandler(int length, bool sendLength) : HttpMessageHandler
    {
        public CountingStream? Stream { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Stream = new CountingStream(length);
            var content = new StreamContent(Stream);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
            content.Headers.ContentLength = sendLength ? length : null;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }

    private sealed class CountingStream(long length) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - BytesRead);
            Array.Fill(buffer, (byte)7, offset, n);
            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task BodyWithinTheCap_IsReturnedWhole_WithTheResponseMediaType()
    {
        var handler = new CountingHandler(300_000, sendLength: true);
        using var client = new HttpClient(handler);

        var result = await BoundedDownload.ReadAsync(client, new HttpRequestMessage(HttpMethod.Get, "http://files.test/a.png"), 300_000, null, CancellationToken.None);

        Assert.Equal(AttachmentDownloadStatus.Downloaded, result.Status);
        Assert.Equal(300_000, result.Data.Length);
        Assert.Equal("image/png", result.MediaType);
    }

    [Fact]
    public async Task ContentLengthAboveTheCap_IsTooLarge_WithoutReadingTheBody()
    {
        var handler = new CountingHandler(10 * 1024 * 1024, sendLength: true);
        using var client = new HttpClient(handler);

        var result = await BoundedDownload.ReadAsync(client, new HttpRequestMessage(HttpMethod.Get, "http://files.test/big.pdf"), 5 * 1024 * 1024, null, CancellationToken.None);

        Assert.Equal(AttachmentDownloadStatus.TooLarge, result.Status);
        Assert.Equal(10 * 1024 * 1024, result.SizeBytes);
        Assert.Equal(0, handler.Stream!.BytesRead);
    }

    [Fact]
    public async Task BodyWithoutContentLength_StopsOneByteAfterTheCap()
    {
        var handler = new CountingHandler(10 * 1024 * 1024, sendLength: false);
        using var client = new HttpClient(handler);

        var result = await BoundedDownload.ReadAsync(client, new HttpRequestMessage(HttpMethod.Get, "http://files.test/stream"), 1_000_000, null, CancellationToken.None);

        Assert.Equal(AttachmentDownloadStatus.TooLarge, result.Status);
        Assert.True(result.Data.IsEmpty);
        Assert.InRange(handler.Stream!.BytesRead, 1_000_001, 1_000_001 + 81_920); // StreamContent reads in 80 KiB buffers at most
    }
}
