using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.WebChat;

/// <summary>Checks the settings of <see cref="WebChatOptions"/> that depend on each other, at start.</summary>
internal sealed class WebChatOptionsValidator : IValidateOptions<WebChatOptions>
{
    /// <summary>Shortest <see cref="WebChatOptions.AccessToken"/> accepted, in characters.</summary>
    public const int MinAccessTokenLength = 16;

    public ValidateOptionsResult Validate(string? name, WebChatOptions options)
    {
        var failures = new List<string>();
        if (options.AllowRemote && (options.AccessToken is null || options.AccessToken.Trim().Length < MinAccessTokenLength))
        {
            failures.Add($"Channels:WebChat:AccessToken: must be at least {MinAccessTokenLength} characters when AllowRemote is true (the page is otherwise open to anyone who reaches the port).");
        }

        if (options.KeepAliveInterval < TimeSpan.FromSeconds(1) || options.KeepAliveInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add("Channels:WebChat:KeepAliveIntervalMs: must be between 1000 and 300000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
