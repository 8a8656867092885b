using System.Net;
using System.Net.Sockets;
using OpenClaw.Channels.Fakes.Discord;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Fakes.Slack;
using OpenClaw.Channels.Fakes.Telegram;
using OpenClaw.Channels.Fakes.WeChat;
using OpenClaw.Channels.Hub.Doctor;

namespace OpenClaw.Channels.Tests.Doctor;

/// <summary><c>doctor</c> against the fake platforms, the fake model and the test Redis: one line per part, the
/// platform's error text and the key to fix on failure, exit code 0 only when everything passed.</summary>
public sealed class HubDoctorTests(TestRedis redis) : IClassFixture<TestRedis>, IAsyncLifetime
{
    private const string AesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    private readonly FakeTelegramServer _telegram = new();
    private readonly FakeSlackServer _slack = new();
    private readonly FakeDiscordServer _discord = new();
    private readonly FakeWeChatServer _wechat = new();
    private readonly FakeOpenAiServer _model = new();
    private readonly string _data = Path.Combine(Path.GetTempPath(), "openclaw-tests", "doctor-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        await _telegram.StartAsync();
        await _slack.StartAsync();
        await _discord.StartAsync();
        await _wechat.StartAsync();
        await _model.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _telegram.DisposeAsync();
        await _slack.DisposeAsync();
        await _discord.DisposeAsync();
        await _wechat.DisposeAsync();
        await _model.DisposeAsync();
    }

    [Fact]
    public async Task EveryConfiguredPart_Passes_AndTheExitCodeIs0()
    {
        var output = new StringWriter();
        var code = await HubDoctor.RunAsync(Args(), output, CancellationToken.None);
        var lines = Lines(output);

        Assert.True(code == 0, string.Join('\n', lines));
        Assert.Equal("OK      configuration: every section passed start-up validation", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("OK      store: Redis 127.0.0.1:6390, redis_version ", StringComparison.Ordinal));
        Assert.Contains($"OK      model: fake-model at {_model.BaseUrl} (listed by /models among 1)", lines);
        Assert.Contains("OK      telegram: getMe @openclaw_test_bot; polling, no webhook set", lines);
        Assert.Contains("OK      slack: auth.test openclaw in Fake; Socket Mode: apps.connections.open gave a WebSocket URL", lines);
        Assert.Contains("OK      discord: /users/@me openclaw; /gateway/bot: 1 shard(s), 999 session starts left", lines);
        Assert.Contains(lines, l => l.StartsWith("OK      wechat: access token issued", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("OK      wecom: access token issued", StringComparison.Ordinal));
        Assert.Equal("doctor: all checks passed", lines[^1]);
        Assert.Contains(_discord.Calls, c => c.Path == "/api/v10/users/@me");
        Assert.Contains(_slack.Calls, c => c.Method == "apps.connections.open");
        AssertNoSecrets(output.ToString());
    }

    [Fact]
    public async Task TelegramWebhookLeftSetWhilePolling_IsReported_WithoutItsSecretPath()
    {
        _telegram.SetWebhook("https://bot.example.org/hooks/s3cret-path");
        var output = new StringWriter();
        Assert.Equal(1, await HubDoctor.RunAsync(Args(), output, CancellationToken.None));
        var line = Assert.Single(Lines(output), l => l.StartsWith("FAILED  telegram:", StringComparison.Ordinal));
        Assert.Contains("a webhook is set (https://bot.example.org/…) while Channels:Telegram:Mode is Polling", line, StringComparison.Ordinal);
        Assert.EndsWith("(fix Channels:Telegram:Mode)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-path", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongCredentials_ShowThePlatformsErrorText_AndTheKeyToFix()
    {
        var output = new StringWriter();
        var code = await HubDoctor.RunAsync(
            Args(
                "--Channels:Telegram:BotToken=999:wrong-token",
                "--Channels:Slack:BotToken=xoxb-wrong",
                "--Channels:Discord:BotToken=wrong",
                "--Channels:WeChat:AppSecret=wrong",
                $"--ConnectionStrings:Redis=127.0.0.1:{ClosedPort()},connectTimeout=500"),
            output,
            CancellationToken.None);
        var lines = Lines(output);

        Assert.Equal(1, code);
        Assert.Contains(lines, l => l.StartsWith("FAILED  store: Redis 127.0.0.1:", StringComparison.Ordinal) && l.EndsWith("(fix ConnectionStrings:Redis)", StringComparison.Ordinal));
        Assert.Contains("FAILED  telegram: getMe: HTTP 401: Unauthorized (fix Channels:Telegram:BotToken)", lines);
        Assert.Contains("FAILED  slack: auth.test: HTTP 200: invalid_auth (fix Channels:Slack:BotToken)", lines);
        Assert.Contains("FAILED  discord: GET /users/@me: HTTP 401: 401: Unauthorized (fix Channels:Discord:BotToken)", lines);
        Assert.Contains("FAILED  wechat: access token: errcode 40013: invalid appid (fix Channels:WeChat:AppId / Channels:WeChat:AppSecret)", lines);
        Assert.Contains(lines, l => l.StartsWith("OK      wecom:", StringComparison.Ordinal));
        Assert.StartsWith("--      configuration: validation could not finish (RedisConnectionException", lines[0], StringComparison.Ordinal);
        Assert.Equal("doctor: 5 of 9 checks failed", lines[^1]); // 9 with the web chat's line
        Assert.DoesNotContain("wrong-token", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidConfiguration_IsOneFailedLinePerKey_AndTheOtherPartsAreStillProbed()
    {
        var output = new StringWriter();
        Assert.Equal(1, await HubDoctor.RunAsync(Args("--Channels:WeCom:EncodingAESKey=short"), output, CancellationToken.None));
        var lines = Lines(output);
        Assert.Equal("FAILED  configuration: Channels:WeCom:EncodingAESKey: must be 43 characters (letters and digits), as shown in the platform console", lines[0]);
        Assert.Contains("OK      telegram: getMe @openclaw_test_bot; polling, no webhook set", lines);
    }

    [Fact]
    public async Task NothingConfigured_IsEmbeddedOnly_AndPasses()
    {
        var output = new StringWriter();
        Assert.Equal(0, await HubDoctor.RunAsync(["--Hub:DataDirectory=" + _data], output, CancellationToken.None));
        var lines = Lines(output);
        Assert.Contains($"OK      store: embedded, data directory {_data} is writable", lines);
        Assert.Contains(lines, l => l.StartsWith("--      model: not configured", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("--      channels: none configured", StringComparison.Ordinal));
    }

    private string[] Args(params string[] overrides) =>
    [
        "--Hub:DataDirectory=" + _data,
        "--ConnectionStrings:Redis=" + redis.ConnectionString,
        "--Agent:Endpoint=" + _model.ApiBaseUrl,
        "--Agent:Model=fake-model",
        "--Channels:Telegram:BotToken=" + _telegram.BotToken,
        "--Channels:Telegram:ApiBaseUrl=" + _telegram.BaseUrl,
        "--Channels:Telegram:Mode=Polling",
        "--Channels:Slack:BotToken=" + _slack.BotToken,
        "--Channels:Slack:AppToken=" + _slack.AppToken,
        "--Channels:Slack:Mode=SocketMode",
        "--Channels:Slack:ApiBaseUrl=" + _slack.ApiBaseUrl,
        "--Channels:Discord:BotToken=" + _discord.BotToken,
        "--Channels:Discord:ApiBaseUrl=" + _discord.ApiBaseUrl,
        "--Channels:WeChat:AppId=" + _wechat.AppId,
        "--Channels:WeChat:AppSecret=" + _wechat.AppSecret,
        "--Channels:WeChat:Token=wechat-token",
        "--Channels:WeChat:ApiBaseUrl=" + _wechat.BaseUrl,
        "--Channels:WeCom:CorpId=" + _wechat.AppId,
        "--Channels:WeCom:CorpSecret=" + _wechat.AppSecret,
        "--Channels:WeCom:AgentId=1000002",
        "--Channels:WeCom:Token=wecom-token",
        "--Channels:WeCom:EncodingAESKey=" + AesKey,
        "--Channels:WeCom:ApiBaseUrl=" + _wechat.BaseUrl,
        .. overrides,
    ];

    private void AssertNoSecrets(string output)
    {
        foreach (var secret in new[] { _telegram.BotToken, _slack.BotToken, _slack.AppToken, _discord.BotToken, _wechat.AppSecret, "ticket=" })
        {
            Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        }
    }

    private static List<string> Lines(StringWriter output) => [.. output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'))];

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
