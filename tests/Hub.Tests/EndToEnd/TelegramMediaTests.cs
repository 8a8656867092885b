using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OpenClaw.Channels.Fakes;

namespace OpenClaw.Channels.Tests.EndToEnd;

/// <summary>Issue 17 on Telegram: a photo reaches the model as an image part with the exact bytes (getFile +
/// /file/bot&lt;token&gt;/&lt;file_path&gt;, inside the turn); a 10 MB document becomes a placeholder with no download.</summary>
public class TelegramMediaTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>A JPEG-signed blob of <paramref name="length"/> random bytes.</summary>
    public static byte[] Jpeg(int length)
    {
        var bytes = RandomNumberGenerator.GetBytes(length);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        return bytes;
    }

    /// <summary>An update with a photo in three sizes (core.telegram.org/bots/api#photosize) and a caption.</summary>
    private static string PhotoUpdate(long updateId, long chatId, string caption, params (string FileId, long Size, int Width)[] sizes)
    {
        var photo = new JsonArray();
        foreach (var (fileId, size, width) in sizes)
        {
            photo.Add(new JsonObject { ["file_id"] = fileId, ["file_unique_id"] = "U" + fileId, ["file_size"] = size, ["width"] = width, ["height"] = width * 2 / 3 });
        }

        return Update(updateId, chatId, new JsonObject { ["photo"] = photo, ["caption"] = caption });
    }

    private static string Update(long updateId, long chatId, JsonObject content)
    {
        var message = new JsonObject
        {
            ["message_id"] = updateId,
            ["from"] = new JsonObject { ["id"] = chatId, ["is_bot"] = false, ["first_name"] = "Ann" },
            ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "private", ["first_name"] = "Ann" },
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
        foreach (var (key, value) in content)
        {
            message[key] = value?.DeepClone();
        }

        return new JsonObject { ["update_id"] = updateId, ["message"] = message }.ToJsonString();
    }

    [Fact]
    public async Task Photo_ReachesTheModel_AsImagePart_WithTheExactBytes_OfTheLargestSizeWithinTheCap()
    {
        await using var t = await TelegramHub.StartAsync(null, configure: s => s["Agent:MaxImageBytes"] = "200000");
        var large = Jpeg(300_000); // above the cap: the next size is taken
        var medium = Jpeg(150_000);
        t.Telegram.Files.Add("photo-large", large, "image/jpeg");
        t.Telegram.Files.Add("photo-medium", medium, "image/jpeg");
        t.Telegram.Files.Add("photo-small", Jpeg(2_000), "image/jpeg");

        await t.PostOkAsync(PhotoUpdate(7001, 71, "what is in this picture?", ("photo-small", 2_000, 90), ("photo-medium", 150_000, 800), ("photo-large", 300_000, 1280)));

        await t.Telegram.WaitForMessagesAsync(1, Wait);
        var user = t.Model.Requests[0].Messages.Last(m => m.Role == "user");
        var image = Assert.Single(user.Images);
        Assert.Equal("image/jpeg", image.MediaType);
        Assert.Equal(medium, image.Data);
        Assert.Equal("what is in this picture?\n[image: 146 KB]", user.Content);
        Assert.Equal(["photo-medium"], t.Telegram.Files.Downloads);
        Assert.Equal(150_000, t.Telegram.Files.BytesServed);
    }

    [Fact]
    public async Task TenMegabyteDocument_BecomesAPlaceholder_WithoutADownload()
    {
        await using var t = await TelegramHub.StartAsync(null);
        t.Telegram.Files.Add("doc-big", new byte[10 * 1024 * 1024], "application/pdf", "report.pdf");
        var document = new JsonObject { ["file_id"] = "doc-big", ["file_unique_id"] = "Udoc", ["file_name"] = "report.pdf", ["mime_type"] = "application/pdf", ["file_size"] = 10 * 1024 * 1024 };

        await t.PostOkAsync(Update(7002, 72, new JsonObject { ["document"] = document, ["caption"] = "summarise this" }));

        await t.Telegram.WaitForMessagesAsync(1, Wait);
        var user = t.Model.Requests[0].Messages.Last(m => m.Role == "user");
        Assert.Empty(user.Images);
        Assert.Equal("summarise this\n[file: report.pdf, 10 MB]", user.Content);
        Assert.Empty(t.Telegram.Files.Downloads);
        Assert.Equal(0, t.Telegram.Files.BytesServed);
        Assert.Equal(0, t.Telegram.CountRequests("getFile"));
    }

    [Fact]
    public async Task VisionOff_GivesPlaceholdersOnly()
    {
        await using var t = await TelegramHub.StartAsync(null, configure: s => s["Agent:Vision"] = "false");
        t.Telegram.Files.Add("photo-1", Jpeg(5_000), "image/jpeg");

        await t.PostOkAsync(PhotoUpdate(7003, 73, "look", ("photo-1", 5_000, 640)));

        await t.Telegram.WaitForMessagesAsync(1, Wait);
        var user = t.Model.Requests[0].Messages.Last(m => m.Role == "user");
        Assert.Empty(user.Images);
        Assert.Equal("look\n[image: 5 KB]", user.Content);
        Assert.Equal(0, t.Telegram.CountRequests("getFile"));
    }

    [Fact]
    public async Task AnswerWithAMarkdownImage_ArrivesAsSendPhoto_AfterItsText()
    {
        await using var t = await TelegramHub.StartAsync(
            null,
            model: m => m.DefaultResponder = _ => OpenClaw.Channels.Fakes.OpenAi.FakeChatResponse.Answer("Here is a cat:\n\n![a grey cat](https://example.com/cat.jpg)"));

        await t.PostOkAsync(TelegramUpdates.Text(7004, 74, 74, "show me a cat"));

        // The fake records the request on arrival and the photo once accepted: wait for the accepted photo.
        await Eventually.UntilAsync(() => t.Telegram.SentPhotos.Count > 0, Wait, () => "no photo was sent");

        Assert.Equal("Here is a cat:", Assert.Single(t.Telegram.SentMessages).PlainText);
        var photo = Assert.Single(t.Telegram.SentPhotos);
        Assert.Equal("https://example.com/cat.jpg", photo.Photo);
        Assert.Equal("a grey cat", photo.Caption);
        Assert.True(Assert.Single(t.Telegram.SentMessages).MessageId < photo.MessageId);
    }
}
