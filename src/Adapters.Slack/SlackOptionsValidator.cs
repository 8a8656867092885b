using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Slack;

/// <summary>Checks the mode-dependent settings of <see cref="SlackOptions"/> at start.</summary>
internal sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        var failures = new List<string>();
        if (options.Mode == SlackMode.Events && string.IsNullOrEmpty(options.SigningSecret))
        {
            failures.Add("Channels:Slack:SigningSecret is required when Mode is Events.");
        }

        if (options.Mode == SlackMode.SocketMode && string.IsNullOrEmpty(options.AppToken))
        {
            failures.Add("Channels:Slack:AppToken (xapp-…) is required when Mode is SocketMode.");
        }

        if (options.SignatureTolerance <= TimeSpan.Zero)
        {
            failures.Add("Channels:Slack:SignatureToleranceSeconds must be positive.");
        }

        if (options.ReconnectDelay <= TimeSpan.Zero || options.MaxReconnectDelay < options.ReconnectDelay)
        {
            failures.Add("Channels:Slack:ReconnectDelayMs must be positive and not above MaxReconnectDelayMs.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
