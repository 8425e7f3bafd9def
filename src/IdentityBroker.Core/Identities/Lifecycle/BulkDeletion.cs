using System.Text.Json;
using System.Text.Json.Serialization;
using IdentityBroker.Storage;

namespace IdentityBroker.Identities.Lifecycle;

/// <summary>Which identities of a pool a bulk deletion removes (docs/identities.md, "Bulk deletion").</summary>
/// <param name="Provider">Only identities with a login of this provider (a Logins key); null: any.</param>
public sealed record BulkDeleteCondition(string IdentityPoolId, DateTimeOffset LastSeenBefore, bool UnauthenticatedOnly, string? Provider);

/// <summary>A bulk deletion's persisted state: its condition, where the next page starts, and what it did so far.</summary>
public sealed record BulkDeleteJob(string JobId, BulkDeleteCondition Condition, string? Cursor, long Examined, long Deleted, bool Done);

[JsonSerializable(typeof(BulkDeleteJob))]
internal sealed partial class LifecycleJsonContext : JsonSerializerContext;

/// <summary>
/// Runs bulk deletions a page at a time. After each page the job's cursor is saved, so a job interrupted (a crash, a
/// stopped replica) resumes from its last saved page; a page done twice deletes nothing twice (deleted identities are no
/// longer listed, and each delete re-checks the condition in the store). Each page's deletions are audited.
/// </summary>
public sealed class BulkDeletion(IIdentityStore identities, IIdentityLifecycleStore lifecycle, IBulkDeletionAudit audit, TimeProvider time)
{
    public const int DefaultPageSize = 500;

    /// <summary>Identities examined per page (each page one audit record and one saved cursor).</summary>
    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>A new job; <paramref name="jobId"/> names it (the sweeper reuses one id per pool), else a new id.</summary>
    public static BulkDeleteJob Start(BulkDeleteCondition condition, string? jobId = null) =>
        new(jobId ?? "bulk-" + Guid.NewGuid().ToString("N"), condition, null, 0, 0, false);

    public async Task<BulkDeleteJob?> LoadAsync(string jobId, CancellationToken cancellationToken) =>
        await lifecycle.GetLifecycleJobAsync(jobId, cancellationToken).ConfigureAwait(false) is { } document
            ? JsonSerializer.Deserialize(document, LifecycleJsonContext.Default.BulkDeleteJob)
            : null;

    /// <summary>Deletes the matching identities of the job's next page, records them, saves and returns the job.</summary>
    public async Task<BulkDeleteJob> RunPageAsync(BulkDeleteJob job, string? actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Done)
        {
            return job;
        }

        var condition = job.Condition;
        var page = await identities.ListIdentitiesAsync(condition.IdentityPoolId, PageSize, job.Cursor, hideDisabled: false, cancellationToken)
            .ConfigureAwait(false);
        var deleted = new List<string>();
        foreach (var identity in page.Items.Where(i => Matches(condition, i)))
        {
            if (await lifecycle.DeleteIdentityIfStaleAsync(identity.IdentityId, condition.LastSeenBefore, condition.UnauthenticatedOnly, cancellationToken)
                .ConfigureAwait(false))
            {
                deleted.Add(identity.IdentityId);
            }
        }

        if (deleted.Count > 0)
        {
            await audit.RecordAsync(condition.IdentityPoolId, deleted, actor, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        var next = job with
        {
            Cursor = page.NextToken,
            Examined = job.Examined + page.Items.Count,
            Deleted = job.Deleted + deleted.Count,
            Done = page.NextToken is null,
        };
        await lifecycle.SaveLifecycleJobAsync(next.JobId, JsonSerializer.Serialize(next, LifecycleJsonContext.Default.BulkDeleteJob), cancellationToken)
            .ConfigureAwait(false);
        return next;
    }

    private static bool Matches(BulkDeleteCondition condition, Identity identity) =>
        (!condition.UnauthenticatedOnly || identity.Logins.Count == 0)
        && (condition.Provider is null || identity.Logins.Any(l => l.Provider == condition.Provider));
}

/// <summary>Where the identities a bulk deletion removed are recorded: the audit trail (the seam keeps Core free of its writer).</summary>
public interface IBulkDeletionAudit
{
    Task RecordAsync(string poolId, IReadOnlyList<string> identityIds, string? actor, DateTimeOffset at, CancellationToken cancellationToken);
}
