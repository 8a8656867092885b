using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Agent;

/// <summary>Checks what data annotations cannot: the endpoint is an absolute http(s) URL and the time zone exists.</summary>
internal sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Endpoint)
            && (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add("Agent:Endpoint must be an absolute http(s) URL such as https://api.openai.com/v1.");
        }

        if (string.IsNullOrWhiteSpace(options.Model))
        {
            failures.Add("Agent:Model must not be empty.");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
        {
            failures.Add($"Agent:TimeZone '{options.TimeZone}' is not a known IANA or Windows time zone id.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
