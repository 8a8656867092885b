namespace OpenClaw.Channels.Hub.Security;

/// <summary>The hub's authentication schemes and authorization policies. Endpoints opt in with
/// <c>.RequireAuthorization(HubAuthorization.AdminPolicy)</c> (admin HTTP APIs) or
/// <c>.RequireAuthorization(HubAuthorization.DashboardPolicy)</c> (operator pages) or
/// <c>.RequireAuthorization(HubAuthorization.MetricsPolicy)</c> (the Prometheus scrape).</summary>
public static class HubAuthorization
{
    /// <summary>Policy for admin HTTP APIs (cron, dead letters): with <see cref="HubOptions.AdminToken"/> set, a request
    /// must carry <c>Authorization: Bearer {token}</c> (401 otherwise); without a token, only a local request passes
    /// (403 otherwise; see <see cref="LocalRequest"/>).</summary>
    public const string AdminPolicy = "HubAdmin";

    /// <summary>Policy for the Hangfire dashboard and its pages: with <c>Dashboard:Username</c> and
    /// <c>Dashboard:Password</c> set, HTTP Basic credentials (RFC 7617; 401 with a <c>WWW-Authenticate: Basic</c>
    /// challenge otherwise); without them, only a local request passes (403 otherwise).</summary>
    public const string DashboardPolicy = "HubDashboard";

    /// <summary>Policy for <c>/metrics</c> (a Prometheus scrape): with the dashboard's Basic credentials or
    /// <see cref="HubOptions.AdminToken"/> configured, a request must carry either (Prometheus <c>basic_auth</c> or
    /// <c>authorization: {credentials: token}</c>; 401 otherwise); with neither configured, only a local request passes
    /// (403 otherwise), like the dashboard. The figures name chats, channels and queue depths, so they are not public.</summary>
    public const string MetricsPolicy = "HubMetrics";

    /// <summary>Authentication scheme checking <c>Authorization: Bearer</c> against <see cref="HubOptions.AdminToken"/>.</summary>
    public const string AdminTokenScheme = "HubAdminToken";

    /// <summary>Authentication scheme checking HTTP Basic credentials against the <c>Dashboard</c> section.</summary>
    public const string BasicScheme = "HubBasic";
}
