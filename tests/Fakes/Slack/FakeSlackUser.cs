namespace OpenClaw.Channels.Fakes.Slack;

/// <summary>A user as <c>users.info</c> reports it (docs.slack.dev/reference/methods/users.info): <c>name</c> (the
/// handle), <c>real_name</c> and <c>profile.display_name</c> (empty when the user set none).</summary>
/// <param name="Name">The handle.</param>
/// <param name="RealName">The full name.</param>
/// <param name="DisplayName">The display name, or empty.</param>
public sealed record FakeSlackUser(string Name, string RealName, string DisplayName);
