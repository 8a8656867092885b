using OpenClaw.Channels.Telegram;
using Telegram.Bot.Types;

namespace OpenClaw.Channels.Tests;

/// <summary>Reads the fixture files under Payloads/ (see Payloads/README.md for the doc pages they follow).</summary>
internal static class TelegramPayloads
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name + ".json"));

    public static Update Parse(string name)
    {
        var json = Read(name);
        Assert.True(TelegramUpdateParser.TryParse(System.Text.Encoding.UTF8.GetBytes(json), out var update, out var error), error);
        return update!;
    }
}
