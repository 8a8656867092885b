namespace OpenClaw.Channels.Hub.Doctor;

/// <summary>Outcome of one doctor probe.</summary>
public enum DoctorStatus
{
    /// <summary>The part answered as configured.</summary>
    Ok,

    /// <summary>The part is configured and did not answer as it should; the line names the key to fix.</summary>
    Failed,

    /// <summary>The part is not configured; nothing was probed (not a failure).</summary>
    Skipped,
}
