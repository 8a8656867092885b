using OpenClaw.Channels.Slack;

namespace OpenClaw.Channels.Tests.Slack;

/// <summary>Control sequences as docs.slack.dev/messaging/formatting-message-text lists them.</summary>
public sealed class SlackInboundTextTests
{
    private static Task<string?> Names(string id, CancellationToken _) => Task.FromResult(id == "U1" ? "Ann" : null);

    [Theory]
    [InlineData("<@U1>", "@Ann")]
    [InlineData("<@U2|bob>", "@bob")]
    [InlineData("<@U3>", "@U3")]
    [InlineData("<#C1|general>", "#general")]
    [InlineData("<#C1|>", "#C1")]
    [InlineData("<!here>", "@here")]
    [InlineData("<!channel>", "@channel")]
    [InlineData("<!everyone>", "@everyone")]
    [InlineData("<!subteam^S1|@oncall>", "@oncall")]
    [InlineData("<!date^1392734382^{date_num}|2014-02-18>", "2014-02-18")]
    [InlineData("<https://x.test/a?b=1&amp;c=2|R&amp;D>", "R&D (https://x.test/a?b=1&c=2)")]
    [InlineData("<https://x.test>", "https://x.test")]
    [InlineData("<https://x.test|https://x.test>", "https://x.test")]
    [InlineData("<mailto:a@b.test|a@b.test>", "a@b.test")]
    [InlineData("a &lt;b&gt; &amp;amp; c", "a <b> &amp; c")]
    [InlineData("no markup", "no markup")]
    public async Task Renders(string slack, string expected)
    {
        Assert.Equal(expected, await SlackInboundText.RenderAsync(slack, Names, CancellationToken.None));
    }
}
