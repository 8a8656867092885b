namespace OpenClaw.Channels;

/// <summary>A chat command the hub answers itself, as listed in help texts and platform command menus.</summary>
/// <param name="Name">The name without the slash, lower case (Telegram allows 1–32 of <c>a-z0-9_</c>).</param>
/// <param name="Description">What it does, one short line (Telegram allows 1–256 characters).</param>
public sealed record HubCommand(string Name, string Description);
