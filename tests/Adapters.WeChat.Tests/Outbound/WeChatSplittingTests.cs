using System.Text;
using OpenClaw.Channels.Fakes.WeChat;

namespace OpenClaw.Channels.Tests;

/// <summary>Long answers through the real sender to the fake customer-service API
/// (developers.weixin.qq.com/doc/offiaccount/Message_Management/Service_Center_messages.html): split by UTF-8 bytes
/// into at most <c>MaxMessagesPerAnswer</c> messages (default 3 × 2000 bytes), each but the last filled.</summary>
public sealed class WeChatSplittingTests : IAsyncLifetime
{
    private readonly FakeWeChatServer _api = new() { AppId = WeChatTestHost.AppId, AppSecret = WeChatTestHost.AppSecret };

    public Task InitializeAsync() => _api.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static OutboundMessage To(string text)
        => new() { Target = new DeliveryTarget("wechat", WeChatTestHost.AppId, "u1"), Text = text };

    [Fact]
    public async Task ChineseAnswerWithOneEarlySpace_9005Bytes_FillsThreeMessages()
    {
        var text = "ACK: " + string.Concat(Enumerable.Repeat("微信测试文本内容", 375)); // 5 + 3000 × 3 = 9005 bytes
        Assert.Equal(9005, Encoding.UTF8.GetByteCount(text));
        await using var host = await WeChatTestHost.StartAsync(WeChatTestHost.WeChatConfig(_api.BaseUrl));

        await host.Sender().SendAsync(To(text), CancellationToken.None);

        var sent = _api.Sent.Select(s => s.Content ?? string.Empty).ToList();
        Assert.Equal(3, sent.Count);
        var bytes = sent.Select(s => Encoding.UTF8.GetByteCount(s)).ToList();
        Assert.All(bytes, b => Assert.InRange(b, 1997, 2000));
        Assert.StartsWith("ACK: 微信", sent[0], StringComparison.Ordinal);
        Assert.EndsWith("(回答过长，已截断 / answer shortened)", sent[2], StringComparison.Ordinal);
        // What was delivered is a prefix of the answer: nothing skipped between messages.
        var delivered = sent[0] + sent[1] + sent[2][..sent[2].LastIndexOf('\n')];
        Assert.StartsWith(delivered, text, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(delivered) > 5900, $"delivered {Encoding.UTF8.GetByteCount(delivered)} bytes");
    }

    [Fact]
    public async Task ChineseAnswerWithOneEarlySpace_3005Bytes_TakesTwoMessages()
    {
        var text = "ACK: " + string.Concat(Enumerable.Repeat("微信测试文本内容", 125)); // 5 + 1000 × 3 = 3005 bytes
        Assert.Equal(3005, Encoding.UTF8.GetByteCount(text));
        await using var host = await WeChatTestHost.StartAsync(WeChatTestHost.WeChatConfig(_api.BaseUrl));

        await host.Sender().SendAsync(To(text), CancellationToken.None);

        var sent = _api.Sent.Select(s => s.Content ?? string.Empty).ToList();
        Assert.Equal(2, sent.Count);
        Assert.InRange(Encoding.UTF8.GetByteCount(sent[0]), 1997, 2000);
        Assert.Equal(text, sent[0] + sent[1]);
    }
}
