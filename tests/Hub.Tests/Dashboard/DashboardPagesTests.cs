using System.Net;
using System.Net.Http.Json;
using System.Text;
using OpenClaw.Channels.Cron;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Tests.Cron;
using OpenClaw.Channels.Tests.EndToEnd;
using Xunit.Abstractions;

namespace OpenClaw.Channels.Tests.Dashboard;

/// <summary>The hub's own Hangfire dashboard pages, Channels and Cron, served by a real hub with a real Telegram
/// conversation and a real cron job behind them; screenshots by headless Chromium when it is installed.</summary>
public class DashboardPagesTests(ITestOutputHelper output, TestRedis redis) : IClassFixture<TestRedis>
{
    [Fact]
    public async Task ChannelsAndCronPages_ShowState_AndRunNowEnqueuesARun()
    {
        await using var bed = await CronTestBed.StartAsync();
        var node = await bed.StartNodeAsync("dash", null);
        var http = node.Client;

        // One conversation, so the Channels page has something to count.
        using (var update = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram") { Content = new StringContent(TelegramUpdates.Text(7001, 71, 71, "hello"), Encoding.UTF8, "application/json") })
        {
            update.Headers.Add("X-Telegram-Bot-Api-Secret-Token", CronHubNode.WebhookSecret);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(update)).StatusCode);
        }

        await bed.Telegram.WaitForMessagesAsync(1, TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.Created, (await node.PostJobAsync(new { id = "daily-report", name = "Daily report", cron = "0 0 9 * * ?", timeZone = "UTC", prompt = "Summarise the day", target = bed.TelegramTarget("71") })).StatusCode);

        var channels = await WaitForPageAsync(http, "/hangfire/channels", html => html.Contains("<td>1 / 0</td>", StringComparison.Ordinal));
        Assert.Contains("data-channel=\"telegram\"", channels, StringComparison.Ordinal);
        Assert.Contains("label-success\">Healthy</span>", channels, StringComparison.Ordinal);
        Assert.Contains("<td>1 / 0 / 0 / 0</td>", channels, StringComparison.Ordinal);
        Assert.Contains("<code>dash</code>", channels, StringComparison.Ordinal);
        Assert.Contains("/hangfire/cron\"", channels, StringComparison.Ordinal); // the navigation menu links both pages
        Assert.Contains("/hangfire/channels\"", channels, StringComparison.Ordinal);

        var cron = await http.GetStringAsync("/hangfire/cron");
        Assert.Contains("data-job=\"daily-report\"", cron, StringComparison.Ordinal);
        Assert.Contains("<code>0 0 9 * * ? (UTC)</code>", cron, StringComparison.Ordinal);
        Assert.Contains(" 09:00:00 UTC", cron, StringComparison.Ordinal); // next fire
        Assert.Contains("none yet", cron, StringComparison.Ordinal);
        Assert.Contains("data-ajax=\"/hangfire/cron/run/daily-report\"", cron, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.GetAsync("/hangfire/cron/run/daily-report")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/hangfire/cron/run/nope", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync("/hangfire/cron/run/daily-report", null)).StatusCode);
        await node.WaitForRunsAsync("daily-report", r => r.Count == 1, TimeSpan.FromSeconds(20));
        var after = await http.GetStringAsync("/hangfire/cron");
        Assert.Contains("(run now)", after, StringComparison.Ordinal);
        Assert.Contains($"label-success\">{CronRunStatus.Ok}</span>", after, StringComparison.Ordinal);

        using (var relayed = new HttpRequestMessage(HttpMethod.Post, "/hangfire/cron/run/daily-report"))
        {
            relayed.Headers.Add("X-Forwarded-For", "203.0.113.9");
            Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(relayed)).StatusCode);
        }

        await ScreenshotAsync(node.BaseUrl + "/hangfire/channels", "dashboard-channels.png");
        await ScreenshotAsync(node.BaseUrl + "/hangfire/cron", "dashboard-cron.png");
    }

    [Fact]
    public async Task ChannelsPage_ShowsTheConnectionsThisNodeOwns()
    {
        await using var telegram = new Fakes.Telegram.FakeTelegramServer();
        await telegram.StartAsync();
        await using var hub = await HubNode.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Hub:KeyPrefix"] = TestRedis.NewPrefix(),
            ["Hub:NodeId"] = "poll-owner",
            ["Channels:Telegram:BotToken"] = telegram.BotToken,
            ["Channels:Telegram:ApiBaseUrl"] = telegram.BaseUrl,
            ["Channels:Telegram:Mode"] = "Polling",
        });

        // The only node takes the long-poll lease; its Channels page says so, with the fencing token.
        var resource = $"telegram:{telegram.BotId}:poll";
        var page = await WaitForPageAsync(hub.Http, "/hangfire/channels", html => html.Contains("<code>" + resource + "</code> (token ", StringComparison.Ordinal));
        Assert.Contains("<th>Owned here</th>", page, StringComparison.Ordinal);
    }

    private static async Task<string> WaitForPageAsync(HttpClient http, string path, Func<string, bool> condition)
    {
        var html = string.Empty;
        await Eventually.UntilAsync(async () => condition(html = await http.GetStringAsync(path)), TimeSpan.FromSeconds(20), () => $"{path} never showed the expected state:\n{html}");
        return html;
    }

    private Task ScreenshotAsync(string url, string file) => ChromiumScreenshot.TakeAsync(url, file, output);
}
