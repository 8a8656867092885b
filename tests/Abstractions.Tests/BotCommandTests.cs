namespace OpenClaw.Channels.Tests;

public class BotCommandTests
{
    [Theory]
    [InlineData("/status", "status", "")]
    [InlineData("/Reset now please", "reset", "now please")]
    [InlineData("/ask@MyBot what is up", "ask", "what is up")]
    public void Parses_CommandsForThisBot(string text, string name, string args)
    {
        var command = BotCommand.TryParse(text, "mybot");
        Assert.NotNull(command);
        Assert.Equal(name, command.Name);
        Assert.Equal(args, command.Args);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("/")]
    [InlineData("/ask@otherbot hi")]
    [InlineData("/a-b")]
    [InlineData("")]
    public void Rejects_NonCommands_AndOtherBots(string text)
    {
        Assert.Null(BotCommand.TryParse(text, "mybot"));
    }
}
