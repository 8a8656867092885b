using System.Security.Cryptography;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Channels.Agent;
using OpenClaw.Channels.Fakes.OpenAi;

namespace OpenClaw.Channels.Tests.EndToEnd;

/// <summary>Issue 17, files out: a tool that returns a file (Microsoft.Extensions.AI <c>DataContent</c>) makes the
/// Telegram answer carry it as a native upload (<c>sendPhoto</c> multipart with the exact bytes), in order with the text.</summary>
public class TelegramToolFileTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static async Task<TelegramHub> StartAsync(ChartTool tool)
    {
        var t = await TelegramHub.StartAsync(null, nodes: 0);
        t.Nodes.Add(await HubNode.StartAsync(new Dictionary<string, string?>(t.Settings), s => s.AddSingleton<IAgentToolProvider>(tool)));
        t.Model.Enqueue(FakeChatResponse.CallTool("draw_chart"));
        t.Model.Enqueue(FakeChatResponse.Answer("Here is the chart:\n\n![Sales by month](attachment:chart.png)\n\nSales **doubled**."));
        return t;
    }

    [Fact]
    public async Task ToolReturningAPng_ArrivesAsSendPhotoMultipart_WithTheExactBytes_BetweenTheTextParts()
    {
        var tool = new ChartTool();
        await using var t = await StartAsync(tool);

        await t.PostOkAsync(TelegramUpdates.Text(7101, 81, 81, "draw the sales chart"));

        await WaitForUploadAsync(t);
        await t.Telegram.WaitForMessagesAsync(2, Wait);
        var upload = Assert.Single(t.Telegram.Uploads);
        Assert.Equal("sendPhoto", upload.Method);
        Assert.Equal("81", upload.ChatId);
        Assert.Equal("chart.png", upload.FileName);
        Assert.Equal(tool.Png, upload.Bytes);
        Assert.Equal("Sales by month", upload.Caption);
        Assert.Empty(t.Telegram.SentPhotos); // no URL photo: the bytes were uploaded

        var texts = t.Telegram.SentMessages.OrderBy(m => m.MessageId).ToList();
        Assert.Equal(["Here is the chart:", "Sales doubled."], texts.Select(m => m.PlainText));
        Assert.True(texts[0].MessageId < upload.MessageId && upload.MessageId < texts[1].MessageId);

        // The model was told about the file in a short text, not given the bytes.
        var toolResult = Assert.Single(t.Model.Requests[1].ToolResults).Content!;
        Assert.Contains("\"chart.png\" (image/png", toolResult);
        Assert.DoesNotContain(Convert.ToBase64String(tool.Png)[..40], toolResult);
    }

    [Fact]
    public async Task PhotoTelegramRefuses_IsSentAgainAsADocument_WithTheSameBytes()
    {
        var tool = new ChartTool();
        await using var t = await StartAsync(tool);
        t.Telegram.FailNext("sendPhoto", 400, "Bad Request: PHOTO_INVALID_DIMENSIONS");

        await t.PostOkAsync(TelegramUpdates.Text(7102, 82, 82, "draw the sales chart"));

        await WaitForUploadAsync(t);
        await t.Telegram.WaitForMessagesAsync(2, Wait);
        var upload = Assert.Single(t.Telegram.Uploads);
        Assert.Equal("sendDocument", upload.Method);
        Assert.Equal(tool.Png, upload.Bytes);
        Assert.Equal(1, t.Telegram.CountRequests("sendPhoto"));
    }

    /// <summary>Waits for the upload; on a timeout the failure names what the fakes received instead.</summary>
    private static async Task WaitForUploadAsync(TelegramHub t)
    {
        try
        {
            await t.Telegram.WaitForUploadsAsync(1, Wait);
        }
        catch (TimeoutException ex)
        {
            var requests = string.Join(", ", t.Telegram.Requests.Select(r => r.Method + " " + r.Parameters.ToJsonString()));
            var model = string.Join(" | ", t.Model.Requests.SelectMany(r => r.ToolResults).Select(m => m.Content));
            throw new TimeoutException($"{ex.Message} Telegram got: {requests}. Tool results to the model: {model}", ex);
        }
    }

    /// <summary><c>draw_chart</c>: returns <see cref="Png"/> as <c>DataContent</c> named <c>chart.png</c>.</summary>
    private sealed class ChartTool : IAgentToolProvider
    {
        public byte[] Png { get; } = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. RandomNumberGenerator.GetBytes(20_000)];

        public IEnumerable<AITool> GetTools(AgentToolContext context)
        {
            yield return AIFunctionFactory.Create(() => new DataContent(Png, "image/png") { Name = "chart.png" }, "draw_chart", "Draws the sales chart.");
        }
    }
}
