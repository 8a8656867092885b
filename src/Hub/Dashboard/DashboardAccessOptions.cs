namespace OpenClaw.Channels.Hub.Dashboard;

/// <summary>The <c>Dashboard</c> section: the Hangfire dashboard at <c>/hangfire</c>.</summary>
public sealed class DashboardAccessOptions
{
    /// <summary>Section name, <c>Dashboard</c>.</summary>
    public const string SectionName = "Dashboard";

    /// <summary>Basic-auth user name. With <see cref="Password"/> it enables remote access; without both the
    /// dashboard answers local (loopback) requests only.</summary>
    public string? Username { get; set; }

    /// <summary>Basic-auth password; never logged.</summary>
    public string? Password { get; set; }

    /// <summary>True when both <see cref="Username"/> and <see cref="Password"/> are set.</summary>
    public bool HasCredentials => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);
}
