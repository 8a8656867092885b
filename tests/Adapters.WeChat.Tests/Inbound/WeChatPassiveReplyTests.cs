using System.Diagnostics;
using System.Net;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.WeChat;
using OpenClaw.Channels.WeChat;

namespace OpenClaw.Channels.Tests;

public sealed class WeChatPassiveReplyTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly FakeWeChatServer _api = new() { AppId = WeChatTestHost.AppId, AppSecret = WeChatTestHost.AppSecret };

    public Task InitializeAsync() => _api.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private Task<WeChatTestHost> StartHostAsync(int windowMs, string? welcome = null)
    {
        var config = WeChatTestHost.WeChatConfig(_api.BaseUrl);
        config["Channels:WeChat:PassiveReplyWindowMs"] = windowMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        config["Channels:WeChat:WelcomeText"] = welcome;
        return WeChatTestHost.StartAsync(config);
    }

    [Fact]
    public async Task FastAnswer_RidesOnTheCallbackResponse_AndNoApiCall()
    {
        await using var host = await StartHostAsync(4000);
        host.StartAgent(TimeSpan.FromMilliseconds(100), m => $"**Echo**: {m.Text}");

        var response = await host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(), WeChatTestHost.TextXml("ping", 1001));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fields = WeChatXml.TryParse(await response.Content.ReadAsStringAsync());
        Assert.NotNull(fields);
        Assert.Equal("oUSER_openid_001", fields["ToUserName"]);
        Assert.Equal("gh_test_account", fields["FromUserName"]);
        Assert.Equal("text", fields["MsgType"]);
        Assert.Equal("Echo: ping", fields["Content"]);
        await Eventually.UntilAsync(() => host.SendsDone == 1, Wait, () => "the run's send returned"); // then it calls nothing more
        Assert.Empty(_api.Attempts);
        Assert.Empty(host.SendErrors);
    }

    [Fact]
    public async Task FastAnswer_InSafeMode_IsEncrypted()
    {
        await using var host = await StartHostAsync(4000);
        host.StartAgent(TimeSpan.FromMilliseconds(100), _ => "secret answer");
        var (query, body) = WeChatTestHost.SafeModeRequest(WeChatTestHost.TextXml("ping", 1002));

        var response = await host.PostXmlAsync("/webhooks/wechat" + query, body);

        var envelope = WeChatXml.TryParse(await response.Content.ReadAsStringAsync())!;
        Assert.DoesNotContain("secret answer", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var crypto = new WeChatCrypto(WeChatTestHost.Token, WeChatTestHost.AesKey, WeChatTestHost.AppId);
        Assert.True(crypto.VerifyMessageSignature(envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"], envelope["Encrypt"]));
        Assert.Equal(WeChatDecryptStatus.Ok, crypto.TryDecrypt(envelope["Encrypt"], out var inner));
        Assert.Equal("secret answer", WeChatXml.TryParse(inner!)!["Content"]);
    }

    [Fact]
    public async Task SlowAnswer_SuccessFirst_ThenOneCustomSend()
    {
        await using var host = await StartHostAsync(500);
        host.StartAgent(TimeSpan.FromMilliseconds(2500), _ => "late answer");

        var response = await host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(), WeChatTestHost.TextXml("ping", 1003));

        Assert.Equal("success", await response.Content.ReadAsStringAsync());
        Assert.Empty(_api.Attempts); // the callback did not wait for the run
        await _api.WaitForSentAsync(1, TimeSpan.FromSeconds(15));
        var sent = Assert.Single(_api.Sent);
        Assert.Equal("custom", sent.Api);
        Assert.Equal("oUSER_openid_001", sent.ToUser);
        Assert.Equal("late answer", sent.Content);
        Assert.Equal("text", (string?)sent.Body["msgtype"]);
    }

    [Fact]
    public async Task ThreeRetriesDuringASlowRun_GiveOneRunAndOneDelivery()
    {
        await using var host = await StartHostAsync(300);
        host.StartAgent(TimeSpan.FromMilliseconds(1500), _ => "only once");
        var xml = WeChatTestHost.TextXml("ping", 1004);

        var first = host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(nonce: "1"), xml);
        await Eventually.UntilAsync(() => host.Pipeline.Accepted.Count == 1, Wait, () => "the first delivery accepted");
        var retries = Enumerable.Range(2, 3).Select(i => host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(nonce: i.ToString(System.Globalization.CultureInfo.InvariantCulture)), xml)).ToArray();
        var responses = await Task.WhenAll(retries.Prepend(first));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await _api.WaitForSentAsync(1, TimeSpan.FromSeconds(15));
        // Every delivery was decided before its response (one accepted, three duplicates): no second run can start.
        await Eventually.UntilAsync(() => host.SendsDone == 1, Wait, () => "the run's send returned");
        Assert.Equal(1, host.Runs);
        Assert.Single(_api.Sent);
        Assert.Equal(3, host.Pipeline.Duplicates);
    }

    [Fact]
    public async Task RetryWhileTheSlotIsOpen_CarriesTheAnswer_AndTheApiIsNotCalled()
    {
        await using var host = await StartHostAsync(2000);
        host.StartAgent(TimeSpan.FromMilliseconds(600), _ => "answer");
        var xml = WeChatTestHost.TextXml("ping", 1005);

        var first = host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(nonce: "1"), xml);
        await Eventually.UntilAsync(() => host.Pipeline.Accepted.Count == 1, Wait, () => "the first delivery accepted");
        var retry = await host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(nonce: "2"), xml);

        Assert.Equal("answer", WeChatXml.TryParse(await retry.Content.ReadAsStringAsync())?["Content"]);
        await first;
        await Eventually.UntilAsync(() => host.SendsDone == 1, Wait, () => "the run's send returned");
        Assert.Equal(1, host.Runs);
        Assert.Empty(_api.Attempts);
    }

    [Fact]
    public async Task LongFastAnswer_GoesThroughTheApi_InSeveralMessages()
    {
        await using var host = await StartHostAsync(4000);
        var paragraph = string.Concat(Enumerable.Repeat("长回答。", 200)); // 2400 bytes
        host.StartAgent(TimeSpan.FromMilliseconds(50), _ => paragraph);

        var response = await host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(), WeChatTestHost.TextXml("ping", 1006));

        Assert.Equal("success", await response.Content.ReadAsStringAsync());
        await _api.WaitForSentAsync(2, TimeSpan.FromSeconds(15));
        Assert.Equal(paragraph, string.Concat(_api.Sent.Select(s => s.Content)));
    }

    [Fact]
    public async Task Subscribe_GetsTheWelcomeOnly_AsPassiveReply_WithoutAnAgentTurn()
    {
        await using var host = await StartHostAsync(4000, welcome: "欢迎! Welcome.");
        host.StartAgent(TimeSpan.Zero, m => "answer to " + m.Text);

        var response = await host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(), WeChatTestHost.Payload("wechat-subscribe.xml"));

        var fields = WeChatXml.TryParse(await response.Content.ReadAsStringAsync());
        Assert.Equal("欢迎! Welcome.", fields?["Content"]);
        Assert.Equal("oUSER_openid_001", fields?["ToUserName"]);
        // Positive marker: a later text message is answered (by the passive reply); the subscribe never reached the agent.
        var later = await host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(nonce: "n2"), WeChatTestHost.TextXml("hi", 1010));
        Assert.Equal("answer to hi", WeChatXml.TryParse(await later.Content.ReadAsStringAsync())?["Content"]);
        Assert.Equal(["1010"], host.Pipeline.Accepted.Select(m => m.PlatformMessageId));
        Assert.Equal(1, host.Runs);
        Assert.Empty(_api.Attempts);
    }

    [Fact]
    public async Task Subscribe_WithoutWelcome_GoesToTheAgent()
    {
        await using var host = await StartHostAsync(0);

        var response = await host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(), WeChatTestHost.Payload("wechat-subscribe.xml"));

        Assert.Equal("success", await response.Content.ReadAsStringAsync());
        Assert.Equal(MessageType.Event, Assert.Single(host.Pipeline.Accepted).Type);
    }

    [Theory]
    [InlineData("wechat-unsubscribe.xml")]
    [InlineData("wechat-view.xml")]
    [InlineData("wechat-scan.xml")]
    [InlineData("wechat-location-event.xml")]
    public async Task EventWithoutARequest_IsAckedSuccess_AndNeverAnswered(string fixture)
    {
        await using var host = await StartHostAsync(4000, welcome: "欢迎!");
        host.StartAgent(TimeSpan.Zero, m => "answer to " + m.Text);

        var response = await host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(), WeChatTestHost.Payload(fixture));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("success", await response.Content.ReadAsStringAsync());
        var later = await host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(nonce: "n2"), WeChatTestHost.TextXml("hi", 1011));
        Assert.Equal("answer to hi", WeChatXml.TryParse(await later.Content.ReadAsStringAsync())?["Content"]);
        Assert.Equal(["1011"], host.Pipeline.Accepted.Select(m => m.PlatformMessageId));
        Assert.Equal(1, host.Runs);
        Assert.Empty(_api.Attempts);
    }

    [Fact]
    public async Task MenuClick_WithEventKey_IsHandedToTheAgentAsText_AndAnswered()
    {
        await using var host = await StartHostAsync(4000);
        host.StartAgent(TimeSpan.Zero, m => "answer to " + m.Text);

        var response = await host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(), WeChatTestHost.Payload("wechat-click.xml"));

        Assert.Equal("answer to V1001_TODAY_MUSIC", WeChatXml.TryParse(await response.Content.ReadAsStringAsync())?["Content"]);
        var m = Assert.Single(host.Pipeline.Accepted);
        Assert.Equal(MessageType.Text, m.Type);
    }

    [Fact]
    public async Task DefaultWindow_SlowRun_AnswersSuccessWithinTheWindow()
    {
        await using var host = await StartHostAsync(4000);
        host.StartAgent(TimeSpan.FromSeconds(6), _ => "six seconds later");

        var clock = Stopwatch.StartNew();
        var response = await host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(), WeChatTestHost.TextXml("ping", 1007));

        Assert.Equal("success", await response.Content.ReadAsStringAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "WeChat gives up after 5 s");
        await _api.WaitForSentAsync(1, TimeSpan.FromSeconds(15));
        Assert.Equal("six seconds later", Assert.Single(_api.Sent).Content);
    }
}
