using OpenClaw.Channels.Hub.Telemetry;

namespace OpenClaw.Channels.Tests;

public class SecretRedactorTests
{
    [Theory]
    [InlineData("https://api.telegram.org/bot123456:AAH-secret_x/sendMessage", "https://api.telegram.org/bot{redacted}/sendMessage")]
    [InlineData("https://discord.com/api/v10/webhooks/1100/aW50ZXJhY3Rpb24/messages/@original", "https://discord.com/api/v10/webhooks/1100/{redacted}/messages/@original")]
    [InlineData("https://discord.com/api/v10/interactions/1330/tok-en/callback", "https://discord.com/api/v10/interactions/1330/{redacted}/callback")]
    [InlineData("https://api.weixin.qq.com/cgi-bin/message/custom/send?access_token=SECRET", "https://api.weixin.qq.com/cgi-bin/message/custom/send?{redacted}")]
    [InlineData("https://slack.com/api/chat.postMessage", "https://slack.com/api/chat.postMessage")]
    public void Urls_LoseTheirCredentials(string url, string expected)
    {
        Assert.Equal(expected, SecretRedactor.RedactUrl(new Uri(url)));
    }
}
