namespace OpenClaw.Channels.Tests;

public class HubCommandsTests
{
    [Fact]
    public void HelpText_ListsEveryCommand_AndStartAndHelpAreHelp()
    {
        foreach (var c in HubCommands.All)
        {
            Assert.Contains("/" + c.Name + " — " + c.Description, HubCommands.HelpText, StringComparison.Ordinal);
            Assert.Matches("^[a-z0-9_]{1,32}$", c.Name);
            Assert.InRange(c.Description.Length, 1, 256);
        }

        Assert.True(HubCommands.IsHelp(BotCommand.TryParse("/start", null)));
        Assert.True(HubCommands.IsHelp(BotCommand.TryParse("/help@mybot", "mybot")));
        Assert.False(HubCommands.IsHelp(BotCommand.TryParse("/status", null)));
        Assert.False(HubCommands.IsHelp(null));
    }
}
