namespace OpenClaw.Channels.Adapters.Tests;

public sealed class ImageUploadTests
{
    [Theory]
    [InlineData("https://a.test/charts/sales%20q1.png", "image/png", "sales q1.png")]
    [InlineData("https://a.test/render?id=7", "image/jpeg", "image.jpg")]
    [InlineData("https://a.test/x%22y.gif", "image/gif", "image.gif")] // a quote cannot go into a multipart header
    public void FileName_IsTheUrlsLastSegment_OrImageDotSubtype(string url, string mediaType, string expected)
        => Assert.Equal(expected, ImageUpload.FileNameOf(new Uri(url), mediaType));

    [Fact]
    public void OnlyADownloadedImage_HasAMediaType()
    {
        Assert.Equal("image/webp", ImageUpload.MediaTypeOf(new AttachmentDownload(AttachmentDownloadStatus.Downloaded, new byte[8], "image/webp")));
        Assert.Null(ImageUpload.MediaTypeOf(new AttachmentDownload(AttachmentDownloadStatus.Downloaded, new byte[8], "text/html")));
        Assert.Null(ImageUpload.MediaTypeOf(new AttachmentDownload(AttachmentDownloadStatus.TooLarge, MediaType: "image/png")));
    }
}
