using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.WeChat;

namespace OpenClaw.Channels.Tests;

public sealed class WeChatAccessTokenTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly FakeWeChatServer _api = new() { AppId = WeChatTestHost.AppId, AppSecret = WeChatTestHost.AppSecret };

    public Task InitializeAsync() => _api.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static OutboundMessage To(string user, string text)
        => new() { Target = new DeliveryTarget("wechat", WeChatTestHost.AppId, user), Text = text };

    [Theory]
    [InlineData(40001)]
    [InlineData(42001)]
    [InlineData(40014)]
    public async Task TokenError_RefreshesOnce_AndDeliversOnce(int errcode)
    {
        var clock = new ObservedClock(new FakeTimeProvider());
        await using var host = await WeChatTestHost.StartAsync(WeChatTestHost.WeChatConfig(_api.BaseUrl), new InMemoryStateStore(clock), time: clock);
        await host.Sender().SendAsync(To("u1", "warm-up"), CancellationToken.None);
        _api.FailNextSendWith(errcode);

        // On a clock that stands still: the refresh and the retry happen at once, without a wait.
        await host.Sender().SendAsync(To("u1", "hello"), CancellationToken.None).WaitAsync(Wait);

        Assert.Empty(clock.Armed);
        Assert.Equal(2, _api.TokenFetches);
        Assert.Equal(["warm-up", "hello"], _api.Sent.Select(s => s.Content));
        Assert.Equal(3, _api.Attempts.Count);
        Assert.NotEqual(_api.Attempts.First().AccessToken, _api.Attempts.Last().AccessToken); // the retry used the new token
        Assert.NotEmpty(host.LogLines);
        Assert.DoesNotContain(host.LogLines, l => l.Contains("ACCESS_TOKEN", StringComparison.Ordinal) || l.Contains(WeChatTestHost.AppSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PersistentTokenError_IsBounded_AndThrowsWithErrcode()
    {
        await using var host = await WeChatTestHost.StartAsync(WeChatTestHost.WeChatConfig(_api.BaseUrl));
        for (var i = 0; i < 5; i++)
        {
            _api.FailNextSendWith(40001);
        }

        var ex = await Assert.ThrowsAsync<OpenClaw.Channels.WeChat.WeChatApiException>(() => host.Sender().SendAsync(To("u1", "hello"), CancellationToken.None));

        Assert.Equal("40001", ex.ErrorCode);
        Assert.Equal(2, _api.Attempts.Count);
        Assert.DoesNotContain("ACCESS_TOKEN", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(host.LogLines, l => l.Contains("ACCESS_TOKEN", StringComparison.Ordinal));
        Assert.Empty(_api.Sent);
    }

    [Fact]
    public async Task TwoInstancesSharingOneStore_FetchTheTokenOnce()
    {
        var time = new FakeTimeProvider();
        var clock = new ObservedClock(time);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _api.TokenGate = release.Task;
        var store = new InMemoryStateStore(clock);
        await using var a = await WeChatTestHost.StartAsync(WeChatTestHost.WeChatConfig(_api.BaseUrl), store, time: clock);
        await using var b = await WeChatTestHost.StartAsync(WeChatTestHost.WeChatConfig(_api.BaseUrl), store, time: clock);

        var sends = Task.WhenAll(
            a.Sender().SendAsync(To("u1", "from a"), CancellationToken.None),
            b.Sender().SendAsync(To("u2", "from b"), CancellationToken.None),
            a.Sender().SendAsync(To("u3", "from a again"), CancellationToken.None));

        // One caller holds the refresh lease and its fetch is held open; the other two poll the store (every 50 ms).
        await clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(50), count: 2);
        await Eventually.UntilAsync(() => _api.TokenRequests >= 1, Wait, () => "the lease holder's token request");
        Assert.Equal(1, _api.TokenRequests);
        release.SetResult();
        await Eventually.UntilAsync(() => store.Values.Any(v => v.StartsWith("ACCESS_TOKEN_", StringComparison.Ordinal)), Wait, () => "the token stored");
        time.Advance(TimeSpan.FromMilliseconds(50));
        await sends.WaitAsync(Wait);

        Assert.Equal(1, _api.TokenFetches);
        Assert.Equal(1, _api.TokenRequests);
        Assert.Equal(3, _api.Sent.Count);
        Assert.Single(_api.Sent.Select(s => s.AccessToken).Distinct());
    }

    [Fact]
    public async Task Token_IsCachedWithTtlBelowExpiresIn()
    {
        var time = new FakeTimeProvider();
        var store = new InMemoryStateStore(time);
        _api.ExpiresInSeconds = 4;
        await using var host = await WeChatTestHost.StartAsync(WeChatTestHost.WeChatConfig(_api.BaseUrl), store, time: time);

        await host.Sender().SendAsync(To("u1", "one"), CancellationToken.None);
        await host.Sender().SendAsync(To("u1", "two"), CancellationToken.None);
        Assert.Equal(1, _api.TokenFetches);

        // TTL = 4 − min(300, 4/2) = 2 s: refreshed ahead of expiry.
        const string Key = "wechat:" + WeChatTestHost.AppId + ":access_token";
        time.Advance(TimeSpan.FromMilliseconds(1_999));
        Assert.NotNull(await store.GetAsync(Key, CancellationToken.None));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await store.GetAsync(Key, CancellationToken.None));

        await host.Sender().SendAsync(To("u1", "three"), CancellationToken.None);
        Assert.Equal(2, _api.TokenFetches);
        Assert.Equal(3, _api.Sent.Count);
    }

    [Fact]
    public async Task ClassicTokenEndpoint_IsUsedWhenStableTokenIsOff()
    {
        var config = WeChatTestHost.WeChatConfig(_api.BaseUrl);
        config["Channels:WeChat:UseStableToken"] = "false";
        await using var host = await WeChatTestHost.StartAsync(config);

        await host.Sender().SendAsync(To("u1", "one"), CancellationToken.None);

        Assert.Equal(1, _api.TokenFetches);
        Assert.Single(_api.Sent);
    }

    [Fact]
    public async Task Typing_PostsTheTypingCommand()
    {
        await using var host = await WeChatTestHost.StartAsync(WeChatTestHost.WeChatConfig(_api.BaseUrl));

        await host.Sender().SendTypingAsync(new DeliveryTarget("wechat", WeChatTestHost.AppId, "u9"), CancellationToken.None);

        var typing = Assert.Single(_api.Typing);
        Assert.Equal("u9", (string?)typing["touser"]);
        Assert.Equal("Typing", (string?)typing["command"]);
    }

    [Fact]
    public async Task HealthCheck_IsHealthy_WhenATokenCanBeFetched_AndDegradedOtherwise()
    {
        await using var host = await WeChatTestHost.StartAsync(WeChatTestHost.WeChatConfig(_api.BaseUrl));
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var ok = await health.CheckHealthAsync(r => r.Tags.Contains("ready"), CancellationToken.None);
        Assert.Equal(HealthStatus.Healthy, ok.Entries["wechat"].Status);

        var config = WeChatTestHost.WeChatConfig(_api.BaseUrl);
        config["Channels:WeChat:AppSecret"] = "wrong-secret";
        await using var bad = await WeChatTestHost.StartAsync(config);
        var report = await bad.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(CancellationToken.None);
        Assert.Equal(HealthStatus.Degraded, report.Entries["wechat"].Status);
    }

    [Fact]
    public async Task Adapter_ExposesPolicyFromOptions()
    {
        var config = WeChatTestHost.WeChatConfig(_api.BaseUrl);
        config["Channels:WeChat:AllowFrom:0"] = "oALLOWED";
        await using var host = await WeChatTestHost.StartAsync(config);

        var adapter = host.Services.GetServices<IChannelAdapter>().Single();

        Assert.Equal("wechat", adapter.Channel);
        Assert.False(adapter.Policy.RequireMention);
        Assert.Equal(["oALLOWED"], adapter.Policy.AllowFrom);
        Assert.Equal("wechat", adapter.Sender.Channel);
    }

    [Fact]
    public async Task MissingAppSecret_FailsAtStart()
    {
        var config = WeChatTestHost.WeChatConfig(_api.BaseUrl);
        config["Channels:WeChat:AppSecret"] = null;

        await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => WeChatTestHost.StartAsync(config));
    }

    [Fact]
    public async Task OutOfWindowError_SurfacesAsWeChatApiException()
    {
        await using var host = await WeChatTestHost.StartAsync(WeChatTestHost.WeChatConfig(_api.BaseUrl));
        _api.FailNextSendWith(45015);

        var ex = await Assert.ThrowsAsync<OpenClaw.Channels.WeChat.WeChatApiException>(() => host.Sender().SendAsync(To("u1", "hello"), CancellationToken.None));

        Assert.Equal(45015, ex.ErrCode);
        Assert.False(ex.IsTransient);
        Assert.IsAssignableFrom<ChannelDeliveryException>(ex);
    }
}
