using IdentityBroker.Identities;
using IdentityBroker.Observability;
using Microsoft.Extensions.Logging;

namespace IdentityBroker.Sync;

/// <summary>
/// Makes a merged identity's Cognito Sync datasets follow the surviving identity, as Cognito documents (docs/sync.md,
/// "Merged identities"). Called right after the identity store committed a merge (GetId, GetCredentialsForIdentity,
/// GetOpenIdTokenForDeveloperIdentity, MergeDeveloperIdentities); the merge stands even when the move fails, which is
/// logged: the datasets then stay on the disabled identity and a later move (the move is idempotent) picks them up.
/// </summary>
public sealed partial class SyncMergeFollower(ISyncStore store, ILogger<SyncMergeFollower> logger)
{
    public async Task FollowAsync(LoginResolution resolution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        if (resolution.Kind == LoginResolutionKind.Merged && resolution.Identity is { } survivor)
        {
            foreach (var merged in resolution.MergedIdentityIds ?? [])
            {
                await MoveAsync(survivor.IdentityPoolId, merged, survivor.IdentityId, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task MoveAsync(string poolId, string mergedIdentityId, string survivorId, CancellationToken cancellationToken)
    {
        if (mergedIdentityId == survivorId)
        {
            return;
        }

        try
        {
            await store.MoveDatasetsAsync(poolId, mergedIdentityId, survivorId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Storage.StoreUnavailableException or InvalidOperationException)
        {
            LogMoveFailed(logger, poolId, e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = LogEvents.SyncMergeMoveFailed, Level = LogLevel.Error,
        Message = "The datasets of a merged identity in pool {PoolId} could not follow the surviving identity ({ExceptionType}).")]
    private static partial void LogMoveFailed(ILogger logger, string poolId, string exceptionType);
}
