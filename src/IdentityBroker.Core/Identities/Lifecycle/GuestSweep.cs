using IdentityBroker.Storage;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Identities.Lifecycle;

/// <summary>
/// One sweep of stale guests (docs/identities.md, "Lifecycle"): with the lease, every pool's guests not seen for
/// <see cref="LifecycleOptions.GuestIdentityTtlDays"/> are removed through <see cref="BulkDeletion"/>. The lease is renewed
/// before each page, so a replica that stops mid-sweep loses it and another takes over at its next interval.
/// </summary>
public sealed class GuestSweep(
    IPoolStore pools, IIdentityLifecycleStore lifecycle, BulkDeletion deletion, IOptions<LifecycleOptions> options, TimeProvider time)
{
    public const string LeaseName = "guest-sweeper";

    private readonly string _holder = Guid.NewGuid().ToString("N");

    /// <returns>How many identities were deleted; null when off or another replica holds the lease.</returns>
    public async Task<long?> RunAsync(CancellationToken cancellationToken)
    {
        var ttl = options.Value.GuestIdentityTtlDays;
        if (ttl == 0 || !await HoldAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var before = time.GetUtcNow().AddDays(-ttl);
        long deleted = 0;
        string? next = null;
        do
        {
            var page = await pools.ListPoolsAsync(60, next, cancellationToken).ConfigureAwait(false);
            foreach (var pool in page.Items)
            {
                var condition = new BulkDeleteCondition(pool.IdentityPoolId, before, UnauthenticatedOnly: true, Provider: null);
                var job = BulkDeletion.Start(condition, "sweep:" + pool.IdentityPoolId);
                while (!job.Done)
                {
                    if (!await HoldAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return deleted;
                    }

                    job = await deletion.RunPageAsync(job, actor: null, cancellationToken).ConfigureAwait(false);
                }

                deleted += job.Deleted;
            }

            next = page.NextToken;
        }
        while (next is not null);
        return deleted;
    }

    private Task<bool> HoldAsync(CancellationToken cancellationToken) =>
        lifecycle.TryAcquireLeaseAsync(LeaseName, _holder, time.GetUtcNow(), options.Value.SweepInterval * 2, cancellationToken);
}
