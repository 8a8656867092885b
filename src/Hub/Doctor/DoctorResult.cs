namespace OpenClaw.Channels.Hub.Doctor;

/// <summary>One line of <c>doctor</c> output.</summary>
/// <param name="Status">OK, FAILED or skipped.</param>
/// <param name="Part">What was probed: <c>configuration</c>, <c>store</c>, <c>model</c>, <c>telegram</c>, …</param>
/// <param name="Detail">What was seen: the platform's answer or error text. Never a token or secret.</param>
/// <param name="Key">The configuration key to fix when <paramref name="Status"/> is <see cref="DoctorStatus.Failed"/>.</param>
public sealed record DoctorResult(DoctorStatus Status, string Part, string Detail, string? Key = null)
{
    /// <summary>Passed or skipped.</summary>
    public bool Passed => Status != DoctorStatus.Failed;

    /// <summary>The printed line, e.g. <c>FAILED  telegram: getMe answered 401 Unauthorized (fix Channels:Telegram:BotToken)</c>.</summary>
    public override string ToString()
    {
        var status = Status switch
        {
            DoctorStatus.Ok => "OK     ",
            DoctorStatus.Failed => "FAILED ",
            _ => "--     ",
        };
        return Key is null || Status != DoctorStatus.Failed ? $"{status} {Part}: {Detail}" : $"{status} {Part}: {Detail} (fix {Key})";
    }

    internal static DoctorResult Ok(string part, string detail) => new(DoctorStatus.Ok, part, detail);

    internal static DoctorResult Failed(string part, string detail, string key) => new(DoctorStatus.Failed, part, detail, key);

    internal static DoctorResult Skipped(string part, string detail) => new(DoctorStatus.Skipped, part, detail);
}
