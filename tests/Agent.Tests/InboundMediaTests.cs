using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenClaw.Channels.Agent;
using OpenClaw.Channels.Fakes;

namespace OpenClaw.Channels.Tests;

/// <summary>The agent's image limits, with a downloader that fetches attachment URLs from a real HTTP server.</summary>
public sealed class InboundMediaTests : IAsyncLifetime
{
    private readonly FakeImageHost _web = new();

    /// <summary>Downloads <see cref="Attachment.Url"/> over HTTP with the cap, as the Discord adapter does.</summary>
    private sealed class UrlDownloader(string channel) : IAttachmentDownloader
    {
        private readonly HttpClient _client = new();

        public string Channel => channel;

        public Task<AttachmentDownload> DownloadAsync(Attachment attachment, long maxBytes, CancellationToken cancellationToken)
            => BoundedDownload.ReadAsync(_client, new HttpRequestMessage(HttpMethod.Get, attachment.Url), maxBytes, attachment.MimeType, cancellationToken);
    }

    public Task InitializeAsync() => _web.StartAsync();

    public async Task DisposeAsync() => await _web.DisposeAsync();

    private static byte[] Jpeg(int length, byte fill)
    {
        var bytes = Enumerable.Repeat(fill, length).ToArray();
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        return bytes;
    }

    private static Task<AgentHarness> StartAsync(Dictionary<string, string?> settings)
        => AgentHarness.StartAsync(settings, s => s.TryAddEnumerable(ServiceDescriptor.Singleton<IAttachmentDownloader>(new UrlDownloader("telegram"))));

    [Fact]
    public async Task MoreImagesThanMaxImagesPerTurn_TheFirstOnesGoToTheModel_TheRestArePlaceholders()
    {
        await using var h = await StartAsync(new() { ["MaxImagesPerTurn"] = "2" });
        var images = Enumerable.Range(1, 3).Select(i => Jpeg(1000 + i, (byte)i)).ToList();
        for (var i = 0; i < 3; i++)
        {
            _web.Files.Add("p" + i, images[i], "image/jpeg", $"p{i}.jpg");
        }

        var message = AgentHarness.Message("three photos", attachments: [.. Enumerable.Range(0, 3).Select(i => new Attachment(AttachmentKind.Image, _web.Url("p" + i, $"p{i}.jpg"), Name: $"p{i}.jpg"))]);
        var result = await h.Runner.RunAsync(new AgentRunRequest { SessionKey = "agent:main:telegram:direct:42", Messages = [message] }, AgentHarness.Timeout());

        Assert.Equal(AgentRunStatus.Completed, result.Status);
        var user = h.Server.Requests[0].Messages.Last(m => m.Role == "user");
        Assert.Equal([images[0], images[1]], user.Images.Select(i => i.Data));
        Assert.Equal("three photos\n[image: p0.jpg, 1001 B]\n[image: p1.jpg, 1002 B]\n[image: p2.jpg — not shown: image limit of this turn reached]", user.Content);
        Assert.Equal(2, _web.Files.Downloads.Count);

        // The transcript keeps the references, not the bytes.
        var stored = await h.Transcripts.LoadAsync("agent:main:telegram:direct:42", 10, CancellationToken.None);
        Assert.Equal(user.Content, stored[0].Content);
    }

    [Fact]
    public async Task ImageInAFormatTheModelCannotRead_IsAPlaceholder()
    {
        await using var h = await StartAsync([]);
        _web.Files.Add("svg", "<svg xmlns='http://www.w3.org/2000/svg'/>"u8.ToArray(), "image/svg+xml", "logo.svg");

        var message = AgentHarness.Message("", attachments: [new Attachment(AttachmentKind.Image, _web.Url("svg", "logo.svg"), MimeType: "image/svg+xml", Name: "logo.svg")]);
        await h.Runner.RunAsync(new AgentRunRequest { SessionKey = "agent:main:telegram:direct:43", Messages = [message] }, AgentHarness.Timeout());

        var user = h.Server.Requests[0].Messages.Last(m => m.Role == "user");
        Assert.Empty(user.Images);
        Assert.Equal("[image: logo.svg — not shown: a format the model cannot read]", user.Content);
    }

    [Fact]
    public async Task ImageWithoutAStatedSize_AboveTheCap_IsAPlaceholder()
    {
        await using var h = await StartAsync(new() { ["MaxImageBytes"] = "50000" });
        _web.Files.Add("big", Jpeg(200_000, 9), "image/jpeg", "big.jpg");

        var message = AgentHarness.Message("big one", attachments: [new Attachment(AttachmentKind.Image, _web.Url("big", "big.jpg"), Name: "big.jpg")]);
        await h.Runner.RunAsync(new AgentRunRequest { SessionKey = "agent:main:telegram:direct:44", Messages = [message] }, AgentHarness.Timeout());

        var user = h.Server.Requests[0].Messages.Last(m => m.Role == "user");
        Assert.Empty(user.Images);
        Assert.Equal("big one\n[image: big.jpg — not shown: larger than 49 KB]", user.Content);
    }
}
