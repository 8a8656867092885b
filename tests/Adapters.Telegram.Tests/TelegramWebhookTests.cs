using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Telegram;
using OpenClaw.Channels.Telegram;

namespace OpenClaw.Channels.Tests;

public sealed class TelegramWebhookTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly FakeTelegramServer _fake = new();
    private TelegramTestHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        await _fake.StartAsync();
        _host = await TelegramTestHost.StartAsync(_fake, TelegramMode.Webhook, s => s["Channels:Telegram:WebhookUrl"] = "https://hub.example.org/webhooks/telegram");
        _http = new HttpClient { BaseAddress = new Uri(_host.BaseUrl) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private Task<HttpResponseMessage> PostAsync(string body, string? secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (secret is not null)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        }

        return _http.SendAsync(request);
    }

    [Fact]
    public async Task RightSecret_Returns200_AndAcceptsMessage()
    {
        using var response = await PostAsync(TelegramPayloads.Read("telegram-group-mention"), TelegramTestHost.Secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var m = Assert.Single(_host.Pipeline.Accepted);
        Assert.Equal("870001001", m.PlatformMessageId);
        Assert.True(m.MentionsBot);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong-secret")]
    [InlineData("s3cr3t_Token-")]
    public async Task WrongOrMissingSecret_Returns401_AndEnqueuesNothing(string? secret)
    {
        using var response = await PostAsync(TelegramPayloads.Read("telegram-group-mention"), secret);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
        Assert.Equal(0, _host.Pipeline.Duplicates);
    }

    [Theory]
    [InlineData("{\"update_id\": 5, \"message\": ")]
    [InlineData("not json")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"message\": {}}")]
    public async Task MalformedBody_Returns400_AndEnqueuesNothing(string body)
    {
        using var response = await PostAsync(body, TelegramTestHost.Secret);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task BodyAboveOneMebibyte_Returns413_AndEnqueuesNothing()
    {
        var body = "{\"update_id\": 7, \"pad\": \"" + new string('x', 1024 * 1024) + "\"}";

        using var response = await PostAsync(body, TelegramTestHost.Secret);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task UnknownUpdateType_Returns200_AndIsIgnored()
    {
        using var poll = await PostAsync(TelegramPayloads.Read("telegram-poll"), TelegramTestHost.Secret);
        using var future = await PostAsync("{\"update_id\": 99, \"some_future_update\": {\"id\": 1}}", TelegramTestHost.Secret);
        Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
        Assert.Equal(HttpStatusCode.OK, future.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task RedeliveredUpdate_IsAcceptedOnce()
    {
        using var first = await PostAsync(TelegramPayloads.Read("telegram-photo-caption"), TelegramTestHost.Secret);
        using var second = await PostAsync(TelegramPayloads.Read("telegram-photo-caption"), TelegramTestHost.Secret);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Single(_host.Pipeline.Accepted);
        Assert.Equal(1, _host.Pipeline.Duplicates);
    }

    [Fact]
    public async Task GroupPolicy_IgnoresWithoutMention_AcceptsWithMention()
    {
        _host.Pipeline.Policy = _host.Services.GetRequiredService<TelegramAdapter>().Policy;
        using var plain = await PostAsync(TelegramPayloads.Read("telegram-group-plain"), TelegramTestHost.Secret);
        using var mention = await PostAsync(TelegramPayloads.Read("telegram-group-mention"), TelegramTestHost.Secret);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, mention.StatusCode);
        Assert.Equal("870001001", Assert.Single(_host.Pipeline.Accepted).PlatformMessageId);
    }

    [Fact]
    public async Task PipelineFailure_Returns500_SoTelegramRedelivers()
    {
        _host.Pipeline.Policy = new ChannelPolicy { AllowFrom = new ThrowingAllowList() };
        using var response = await PostAsync(TelegramPayloads.Read("telegram-group-mention"), TelegramTestHost.Secret);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task HealthCheck_IsHealthy_AfterGetMe()
    {
        var report = await _host.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>()
            .CheckHealthAsync(r => r.Tags.Contains("ready"));
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, report.Entries["telegram"].Status);
        Assert.True(_fake.CountRequests("getMe") >= 1);
    }

    [Fact]
    public async Task HealthCheck_IsDegraded_WhenSetWebhookFinallyFails()
    {
        await using var fake = new FakeTelegramServer();
        await fake.StartAsync();
        fake.FailNext("setWebhook", 400, "Bad Request: bad webhook: HTTPS url must be provided for webhook", times: 10);
        await using var host = await TelegramTestHost.StartAsync(fake, TelegramMode.Webhook, s => s["Channels:Telegram:WebhookUrl"] = "https://hub.example.org/webhooks/telegram");
        await fake.WaitForRequestsAsync("setWebhook", 5, Wait); // bounded: 5 attempts
        var health = host.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>();
        var report = await Eventually.ValueAsync(
            async () =>
            {
                var r = await health.CheckHealthAsync(r => r.Tags.Contains("ready"));
                return r.Status == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded ? r : null;
            },
            Wait,
            () => "telegram health degraded after the last setWebhook attempt");

        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, report.Entries["telegram"].Status);
        // The registrar reports the failure after its last attempt and then returns: no sixth call can follow.
        Assert.Equal(5, fake.CountRequests("setWebhook"));
    }

    [Fact]
    public async Task WebhookMode_CallsSetWebhook_WithUrlSecretAndAllowedUpdates()
    {
        await _fake.WaitForRequestsAsync("setWebhook", 1, Wait);
        Assert.Equal("https://hub.example.org/webhooks/telegram", _fake.WebhookUrl);
        Assert.Equal(TelegramTestHost.Secret, _fake.WebhookSecret);
        Assert.Contains("\"message\"", _fake.WebhookAllowedUpdates, StringComparison.Ordinal);
        Assert.Equal(0, _fake.CountRequests("getUpdates"));
    }

    [Fact]
    public async Task FakeDeliversToWebhook_WithRegisteredSecret_AndMessageIsAccepted()
    {
        _fake.SetWebhook(_host.BaseUrl + "/webhooks/telegram", TelegramTestHost.Secret);
        var status = await _fake.PostToWebhookAsync(TelegramPayloads.Read("telegram-voice"), CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(MessageType.Audio, (await _host.Pipeline.NextAsync(Wait)).Type);
    }
}
