using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Discord;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Fakes.Slack;
using OpenClaw.Channels.Slack;

namespace OpenClaw.Channels.Tests.EndToEnd;

/// <summary>Issue 17 on Slack and Discord: a Slack image share (url_private_download with the bot token) and a Discord
/// attachment (its CDN url) reach the model as image parts with the exact bytes; an oversized file is never fetched.</summary>
public class SlackDiscordMediaTests
{
    private const string SigningSecret = "media-test-signing-secret";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static byte[] Png(int length)
    {
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(length);
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        signature.CopyTo(bytes, 0);
        return bytes;
    }

    /// <summary>A <c>message</c> event with subtype <c>file_share</c> and one file object
    /// (docs.slack.dev/reference/objects/file-object), as in tests/Adapters.Slack.Tests/Payloads/file-share.json.</summary>
    private static string FileShareEvent(FakeSlackServer slack, string eventId, string fileId, string name, string mime, long size, string text, string ts = "1700000700.000800")
    {
        var ev = new JsonObject
        {
            ["type"] = "message",
            ["subtype"] = "file_share",
            ["text"] = text,
            ["user"] = "U0ALICE",
            ["files"] = new JsonArray
            {
                new JsonObject
                {
                    ["id"] = fileId,
                    ["name"] = name,
                    ["title"] = name,
                    ["mimetype"] = mime,
                    ["filetype"] = mime[(mime.IndexOf('/', StringComparison.Ordinal) + 1)..],
                    ["size"] = size,
                    ["mode"] = "hosted",
                    ["url_private"] = $"{slack.BaseUrl}/files-pri/{slack.TeamId}-{fileId}/{name}",
                    ["url_private_download"] = slack.FileDownloadUrl(fileId, name),
                },
            },
            ["ts"] = ts,
            ["channel"] = "D0DM00001",
            ["event_ts"] = ts,
            ["channel_type"] = "im",
        };
        return new JsonObject
        {
            ["token"] = "XXYYZZ",
            ["team_id"] = slack.TeamId,
            ["api_app_id"] = "A0FAKE",
            ["event"] = ev,
            ["type"] = "event_callback",
            ["event_id"] = eventId,
            ["event_time"] = 1700000700,
            ["authorizations"] = new JsonArray { new JsonObject { ["team_id"] = slack.TeamId, ["user_id"] = slack.BotUserId, ["is_bot"] = true } },
        }.ToJsonString();
    }

    private static async Task PostSlackAsync(HubNode hub, string body)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/slack/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", Encoding.ASCII.GetString(SlackSignatureVerifier.Sign(SigningSecret, timestamp, Encoding.UTF8.GetBytes(body))));
        using var response = await hub.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<HubNode> StartSlackHubAsync(FakeSlackServer slack, FakeOpenAiServer model)
    {
        await slack.StartAsync();
        await model.StartAsync();
        return await HubNode.StartAsync(new Dictionary<string, string?>
        {
            ["Channels:Slack:BotToken"] = slack.BotToken,
            ["Channels:Slack:SigningSecret"] = SigningSecret,
            ["Channels:Slack:ApiBaseUrl"] = slack.ApiBaseUrl,
            ["Channels:Slack:StreamReplies"] = "false",
            ["Agent:Endpoint"] = model.ApiBaseUrl,
        });
    }

    private static Task WaitForAsync(Func<bool> condition, string what) => Eventually.UntilAsync(condition, Wait, () => what);

    [Fact]
    public async Task SlackImageShare_ReachesTheModel_AsImagePart_WithTheExactBytes()
    {
        await using var slack = new FakeSlackServer();
        await using var model = new FakeOpenAiServer();
        await using var hub = await StartSlackHubAsync(slack, model);
        var png = Png(48_213);
        slack.Files.Add("F0CHART01", png, "image/png", "chart.png");

        await PostSlackAsync(hub, FileShareEvent(slack, "EvImg1", "F0CHART01", "chart.png", "image/png", png.Length, "what does this chart show?"));

        await WaitForAsync(() => slack.CallsOf("chat.postMessage").Count >= 1, "the answer");
        var user = model.Requests[0].Messages.Last(m => m.Role == "user");
        var image = Assert.Single(user.Images);
        Assert.Equal("image/png", image.MediaType);
        Assert.Equal(png, image.Data);
        Assert.Equal("what does this chart show?\n[image: chart.png, 47 KB]", user.Content);
        Assert.Equal(png.Length, slack.Files.BytesServed);
    }

    [Fact]
    public async Task SlackTenMegabyteDocument_BecomesAPlaceholder_WithoutADownload()
    {
        await using var slack = new FakeSlackServer();
        await using var model = new FakeOpenAiServer();
        await using var hub = await StartSlackHubAsync(slack, model);
        slack.Files.Add("F0REPORT1", new byte[10 * 1024 * 1024], "application/pdf", "report.pdf");
        // A 10 MB PNG too: an image above Agent:MaxImageBytes is not fetched either.
        slack.Files.Add("F0HUGEPNG", Png(10 * 1024 * 1024), "image/png", "huge.png");

        await PostSlackAsync(hub, FileShareEvent(slack, "EvDoc1", "F0REPORT1", "report.pdf", "application/pdf", 10 * 1024 * 1024, "summarise"));
        await PostSlackAsync(hub, FileShareEvent(slack, "EvDoc2", "F0HUGEPNG", "huge.png", "image/png", 10 * 1024 * 1024, "and this", "1700000701.000900"));

        await WaitForAsync(() => slack.CallsOf("chat.postMessage").Count >= 1 && model.Requests.Sum(r => r.Messages.Count(m => m.Role == "user")) >= 2, "the answers");
        var users = model.Requests.SelectMany(r => r.Messages).Where(m => m.Role == "user").ToList();
        Assert.Contains(users, m => m.Content == "summarise\n[file: report.pdf, 10 MB]");
        Assert.Contains(users, m => m.Content == "and this\n[image: huge.png, 10 MB — not shown: larger than 5 MB]");
        Assert.All(users, m => Assert.Empty(m.Images));
        Assert.Empty(slack.Files.Downloads);
        Assert.Equal(0, slack.Files.BytesServed);
    }

    [Fact]
    public async Task DiscordAttachment_ReachesTheModel_AsImagePart_WithTheExactBytes()
    {
        await using var discord = new FakeDiscordServer { ExpectedIntents = 37377 };
        await using var model = new FakeOpenAiServer();
        await discord.StartAsync();
        await model.StartAsync();
        await using var hub = await HubNode.StartAsync(new Dictionary<string, string?>
        {
            ["Channels:Discord:BotToken"] = discord.BotToken,
            ["Channels:Discord:ApplicationId"] = discord.ApplicationId,
            ["Channels:Discord:ApiBaseUrl"] = discord.ApiBaseUrl,
            ["Channels:Discord:RegisterCommands"] = "false",
            ["Channels:Discord:ReconnectDelayMs"] = "50",
            ["Channels:Discord:IdentifyWindowMs"] = "200",
            ["Agent:Endpoint"] = model.ApiBaseUrl,
        });
        var png = Png(70_000);
        discord.Files.Add("1320000000000000777", png, "image/png", "cat.png");
        var message = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "Discord", "message-create-dm.json")))!.AsObject();
        message["id"] = "1310000000000000777";
        message["content"] = "is this a cat?";
        message["attachments"] = new JsonArray
        {
            // discord.com/developers/docs/resources/message#attachment-object
            new JsonObject
            {
                ["id"] = "1320000000000000777",
                ["filename"] = "cat.png",
                ["size"] = png.Length,
                ["url"] = discord.AttachmentUrl("1200000000000000010", "1320000000000000777", "cat.png"),
                ["proxy_url"] = discord.AttachmentUrl("1200000000000000010", "1320000000000000777", "cat.png"),
                ["width"] = 640,
                ["height"] = 480,
                ["content_type"] = "image/png",
            },
        };

        var conn = await discord.NextConnectionAsync(Wait);
        await conn.WaitForOpAsync(2, Wait);
        await conn.DispatchAsync("MESSAGE_CREATE", message);

        await discord.NextCallAsync(c => c.Method == "POST" && c.Path == "/api/v10/channels/1200000000000000010/messages", Wait);
        var user = model.Requests[0].Messages.Last(m => m.Role == "user");
        var image = Assert.Single(user.Images);
        Assert.Equal("image/png", image.MediaType);
        Assert.Equal(png, image.Data);
        Assert.Equal("is this a cat?\n[image: cat.png, 68 KB]", user.Content);
    }
}
