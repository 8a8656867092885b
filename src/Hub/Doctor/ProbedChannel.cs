namespace OpenClaw.Channels.Hub.Doctor;

/// <summary>What every channel probe reads and reports alike: the channel's section, its API base URL (the
/// <c>ApiBaseUrl</c> key or the platform's), and result lines that name the key to fix.</summary>
/// <param name="configuration">The hub's configuration.</param>
/// <param name="part">The part's name in the output, e.g. <c>telegram</c>.</param>
/// <param name="sectionPath">The section, e.g. <c>Channels:Telegram</c>.</param>
/// <param name="defaultApiBaseUrl">The platform's API base URL, used when <c>ApiBaseUrl</c> is not set.</param>
internal sealed class ProbedChannel(IConfiguration configuration, string part, string sectionPath, string defaultApiBaseUrl)
{
    private readonly IConfigurationSection _section = configuration.GetSection(sectionPath);

    /// <summary>The API base URL without a trailing slash.</summary>
    public string ApiBaseUrl => (_section["ApiBaseUrl"] is { Length: > 0 } configured ? configured : defaultApiBaseUrl).TrimEnd('/');

    /// <summary>A key of the section; null when not set.</summary>
    public string? this[string key] => _section[key];

    /// <summary>The full configuration key of <paramref name="name"/>, e.g. <c>Channels:Telegram:BotToken</c>.</summary>
    public string Key(string name) => $"{sectionPath}:{name}";

    public DoctorResult Ok(string detail) => DoctorResult.Ok(part, detail);

    /// <summary>A failure whose fix is the key <paramref name="keyName"/> of the section.</summary>
    public DoctorResult Failed(string detail, string keyName) => DoctorResult.Failed(part, detail, Key(keyName));

    /// <summary>The first call failed: an answer means the credentials (<paramref name="credentialKey"/>) were refused;
    /// no answer means <c>ApiBaseUrl</c> or the network.</summary>
    public DoctorResult CallFailed(string call, DoctorResponse response, string? platformText, string credentialKey = "BotToken")
        => DoctorResult.Failed(part, call + ": " + response.Describe(platformText), response.TransportError is null ? Key(credentialKey) : Key("ApiBaseUrl") + " or the network");
}
