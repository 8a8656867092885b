namespace OpenClaw.Channels;

/// <summary>The chat commands the hub answers without calling the model, and the help text that lists them. The
/// hub's command handling answers <c>/start</c> (what Telegram sends as every user's first message) and <c>/help</c>
/// with <see cref="HelpText"/>; adapters publish <see cref="All"/> where the platform has a command menu (Telegram
/// <c>setMyCommands</c>).</summary>
public static class HubCommands
{
    /// <summary>The commands, in menu order: <c>help</c>, <c>reset</c> (alias <c>new</c>), <c>status</c>.</summary>
    public static IReadOnlyList<HubCommand> All { get; } =
    [
        new("help", "Show what this bot can do"),
        new("reset", "Start a fresh conversation (also /new)"),
        new("status", "Show the session, model and queue"),
    ];

    /// <summary>The answer to <c>/start</c> and <c>/help</c>: a greeting and one line per command of <see cref="All"/>.</summary>
    public static string HelpText { get; } = string.Concat(
        "Hi! I am an AI assistant. Write me a message and I will answer.\n\nCommands:\n",
        string.Join('\n', All.Select(c => string.Concat("/", c.Name, " — ", c.Description))));

    /// <summary>True for the commands answered with <see cref="HelpText"/>: <c>/start</c> and <c>/help</c>.</summary>
    /// <param name="command">The parsed command, or null.</param>
    /// <returns>True when <paramref name="command"/> is <c>start</c> or <c>help</c>.</returns>
    public static bool IsHelp(BotCommand? command) => command?.Name is "start" or "help";
}
