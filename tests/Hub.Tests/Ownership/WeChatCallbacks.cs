using System.Text;
using OpenClaw.Channels.WeChat;
using Xunit.Abstractions;

namespace OpenClaw.Channels.Tests.Ownership;

/// <summary>What the WeChat node tests share: a plaintext text-message callback as WeChat posts it (signed with the
/// channel's token) and the tail of each node's console when a test fails.</summary>
internal static class WeChatCallbacks
{
    /// <summary>Posts a text message from <paramref name="user"/> to <c>/webhooks/wechat</c> and returns the response body.</summary>
    /// <exception cref="HttpRequestException">The node answered an error or closed the connection.</exception>
    public static async Task<string> PostAsync(HttpClient http, string token, string user, long msgId, string text)
    {
        const string timestamp = "1700000000", nonce = "779";
        var xml = $"<xml><ToUserName><![CDATA[gh_test_account]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>" +
            $"<CreateTime>{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}</CreateTime><MsgType><![CDATA[text]]></MsgType>" +
            $"<Content><![CDATA[{text}]]></Content><MsgId>{msgId}</MsgId></xml>";
        var query = $"?signature={WeChatCrypto.ComputeSignature(token, timestamp, nonce)}&timestamp={timestamp}&nonce={nonce}&openid={user}";
        using var response = await http.PostAsync("/webhooks/wechat" + query, new StringContent(xml, Encoding.UTF8, "text/xml"));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Writes the last 60 lines of each node's console to the test output.</summary>
    public static void WriteTails(ITestOutputHelper output, IEnumerable<ITestHub> nodes)
    {
        foreach (var n in nodes)
        {
            output.WriteLine($"--- {n.NodeId} ({(n is HubProcess p ? "exited: " + p.HasExited : "in process")})");
            foreach (var line in n.Output.TakeLast(60))
            {
                output.WriteLine(line);
            }
        }
    }
}
