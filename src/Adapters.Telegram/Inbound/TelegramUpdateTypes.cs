using Telegram.Bot.Types.Enums;

namespace OpenClaw.Channels.Telegram;

/// <summary>Maps <see cref="TelegramOptions.AllowedUpdates"/> names (<c>message</c>, <c>channel_post</c>, …) to
/// Telegram.Bot's <see cref="UpdateType"/>.</summary>
internal static class TelegramUpdateTypes
{
    private static readonly UpdateType[] Default = [UpdateType.Message, UpdateType.EditedMessage, UpdateType.ChannelPost];

    public static UpdateType[] Resolve(IReadOnlyCollection<string> names)
    {
        if (names.Count == 0)
        {
            return Default;
        }

        var list = new List<UpdateType>(names.Count);
        foreach (var name in names)
        {
            if (Enum.TryParse<UpdateType>(name.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var type) && type != UpdateType.Unknown)
            {
                list.Add(type);
            }
        }

        return list.Count == 0 ? Default : [.. list];
    }
}
