using OpenClaw.Channels.Fakes.Slack;
using OpenClaw.Channels.Slack;

namespace OpenClaw.Channels.Tests.Slack;

/// <summary>Issue 17, files from tools on Slack: an <see cref="OutboundMessage.Files"/> entry is uploaded from its bytes
/// (files.getUploadURLExternal → upload → files.completeUploadExternal) into the same thread, where the text places it;
/// one above <see cref="SlackSender.MaxUploadBytes"/> is posted as its placeholder text.</summary>
public sealed class SlackFileSendTests : IAsyncLifetime
{
    private readonly FakeSlackServer _fake = new();
    private SlackTestHost _host = null!;

    public async Task InitializeAsync()
    {
        await _fake.StartAsync();
        _host = await SlackTestHost.StartAsync(_fake, new Dictionary<string, string?>());
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private static DeliveryTarget Thread => new("slack", "T0FAKE", "C0GENERAL", "1700000300.000400", "1700000300.000400", ChatKind.Group);

    [Fact]
    public async Task File_IsUploadedFromItsBytes_IntoTheSameThread_WhereTheTextPlacesIt()
    {
        var pdf = System.Security.Cryptography.RandomNumberGenerator.GetBytes(40_000);
        var file = new OutboundFile("report.pdf", "application/pdf", pdf);

        await _host.Adapter.Sender.SendAsync(
            new OutboundMessage { Target = Thread, Text = "The report:\n\n![Q3 report](attachment:report.pdf)\n\nQuestions welcome.", Files = [file] },
            CancellationToken.None);

        var order = _fake.Calls.Select(c => c.Method).Where(m => m is "chat.postMessage" or "files.getUploadURLExternal" or "files.completeUploadExternal").ToList();
        Assert.Equal(["chat.postMessage", "files.getUploadURLExternal", "files.completeUploadExternal", "chat.postMessage"], order);
        var posts = _fake.CallsOf("chat.postMessage");
        Assert.Equal("The report:", posts[0].Text);
        Assert.Equal("Questions welcome.", posts[1].Text);
        var shared = Assert.Single(_fake.SharedFiles);
        Assert.Equal(pdf, shared.Data);
        Assert.Equal("report.pdf", shared.FileName);
        Assert.Equal("Q3 report", shared.Title);
        Assert.Equal("C0GENERAL", shared.ChannelId);
        Assert.Equal("1700000300.000400", shared.ThreadTs);
    }

    [Fact]
    public async Task FileAboveTheUploadLimit_IsPostedAsItsPlaceholderText()
    {
        var file = new OutboundFile("huge.bin", "application/octet-stream", new byte[SlackSender.MaxUploadBytes + 1]);

        await _host.Adapter.Sender.SendAsync(new OutboundMessage { Target = Thread, Text = "Here it is.", Files = [file] }, CancellationToken.None);

        Assert.Empty(_fake.SharedFiles);
        Assert.Empty(_fake.CallsOf("files.getUploadURLExternal"));
        var posts = _fake.CallsOf("chat.postMessage");
        Assert.Equal(["Here it is.", "[file: huge.bin, 20 MB — too large to send (limit 20 MB)]"], posts.Select(p => p.Text));
    }
}
