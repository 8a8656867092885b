using OpenClaw.Channels.Adapters.Markdown;

namespace OpenClaw.Channels.Adapters.Tests;

public sealed class NativeUploadTests
{
    private static readonly OutboundMessage Part = new()
    {
        Target = new DeliveryTarget("acme", "bot", "c1", ReplyToId: "42", ChatKind: ChatKind.Group),
        Text = "answer",
        Format = TextFormat.Markdown,
    };

    private readonly List<FileUpload> _uploads = [];
    private readonly List<OutboundMessage> _texts = [];
    private readonly List<string> _notes = [];

    [Fact]
    public async Task AFetchedImage_IsUploadedUnderItsUrlsName_WithItsAlt()
    {
        var image = new MarkdownImage("the chart", new Uri("https://img.example/q3/chart.png"));

        var ids = await NativeUpload.SendImageAsync(Part, image, 100, Fetch(Downloaded("image/png")), UploadAsync(accept: true), _notes.Add, CancellationToken.None);

        Assert.Equal(["u1"], ids);
        var upload = Assert.Single(_uploads);
        Assert.Equal(("chart.png", "image/png", "the chart", 3), (upload.FileName, upload.MediaType, upload.Alt, upload.Data.Length));
        Assert.Empty(_notes);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData(null)]
    public async Task AFetchThatGaveNoImage_IsALink_AndUploadsNothing(string? mediaType)
    {
        var image = new MarkdownImage("x", new Uri("https://img.example/x"));

        var ids = await NativeUpload.SendImageAsync(Part, image, 100, Fetch(Downloaded(mediaType)), UploadAsync(accept: true), _notes.Add, CancellationToken.None);

        Assert.Null(ids);
        Assert.Empty(_uploads);
        Assert.Equal(["Downloaded"], _notes);
    }

    [Fact]
    public async Task AnImageTooLargeToFetch_IsALink_ToldItsStatus()
    {
        long? cap = null;
        var image = new MarkdownImage("x", new Uri("https://img.example/big.png"));

        var ids = await NativeUpload.SendImageAsync(Part, image, 100, (_, max, _) => { cap = max; return Task.FromResult(AttachmentDownload.TooLarge(500)); }, UploadAsync(accept: true), _notes.Add, CancellationToken.None);

        Assert.Null(ids);
        Assert.Equal(100, cap);
        Assert.Equal(["TooLarge"], _notes);
    }

    [Fact]
    public async Task AFileWithinTheLimit_IsUploaded()
    {
        var ids = await NativeUpload.SendFileAsync(Part, File(10), 10, UploadAsync(accept: true), SendTextAsync, "too large", "refused", _notes.Add, CancellationToken.None);

        Assert.Equal(["u1"], ids);
        Assert.Equal("report.pdf", Assert.Single(_uploads).FileName);
        Assert.Empty(_texts);
    }

    [Fact]
    public async Task AFileAboveTheLimit_IsItsPlaceholder_WithoutAnUpload()
    {
        var ids = await NativeUpload.SendFileAsync(Part, File(11), 10, UploadAsync(accept: true), SendTextAsync, "too large", "refused", _notes.Add, CancellationToken.None);

        Assert.Equal(["t1"], ids);
        Assert.Empty(_uploads);
        var text = Assert.Single(_texts);
        Assert.Equal(File(11).Placeholder("too large"), text.Text);
        Assert.Equal(TextFormat.Plain, text.Format);
        Assert.Equal(["too large"], _notes);
    }

    [Fact]
    public async Task ARefusedFile_IsItsPlaceholder_WithTheRefusedNote()
    {
        var ids = await NativeUpload.SendFileAsync(Part, File(5), 10, UploadAsync(accept: false), SendTextAsync, "too large", "refused", onPlaceholder: null, CancellationToken.None);

        Assert.Equal(["t1"], ids);
        Assert.Single(_uploads);
        Assert.Equal(File(5).Placeholder("refused"), Assert.Single(_texts).Text);
    }

    private static OutboundFile File(int size) => new("report.pdf", "application/pdf", new byte[size], "Q3");

    private static AttachmentDownload Downloaded(string? mediaType) => new(AttachmentDownloadStatus.Downloaded, new byte[] { 1, 2, 3 }, mediaType, 3);

    private static Func<Uri, long, CancellationToken, Task<AttachmentDownload>> Fetch(AttachmentDownload download)
        => (_, _, _) => Task.FromResult(download);

    private Func<OutboundMessage, FileUpload, CancellationToken, Task<IReadOnlyList<string>?>> UploadAsync(bool accept)
        => (_, upload, _) =>
        {
            _uploads.Add(upload);
            return Task.FromResult<IReadOnlyList<string>?>(accept ? ["u" + _uploads.Count] : null);
        };

    private Task<SendResult> SendTextAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        _texts.Add(message);
        return Task.FromResult(new SendResult(["t" + _texts.Count]));
    }
}
