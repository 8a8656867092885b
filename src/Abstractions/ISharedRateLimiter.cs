namespace OpenClaw.Channels;

/// <summary>Rate-limit buckets shared by every node of the cluster (in Redis; in process for a cluster of one), so
/// the cluster as a whole stays within a platform's limit however the sends are spread over the nodes. Buckets are
/// named by the adapter, e.g. <c>slack:channel:C024BE91L</c>, <c>telegram:bot:123</c>, <c>discord:global</c>.</summary>
public interface ISharedRateLimiter
{
    /// <summary>Reserves the next send slot of <paramref name="bucket"/> under <paramref name="limit"/>.</summary>
    /// <returns>How long to wait before sending (zero when the slot is now). The slot is taken even if the caller then
    /// gives up, which errs on the side of the platform.</returns>
    Task<TimeSpan> ReserveAsync(string bucket, RateLimit limit, CancellationToken cancellationToken);

    /// <summary>The platform answered 429 with <paramref name="retryAfter"/>: no slot of <paramref name="bucket"/> is
    /// granted on any node before that has passed.</summary>
    Task BlockAsync(string bucket, RateLimit limit, TimeSpan retryAfter, CancellationToken cancellationToken);
}
