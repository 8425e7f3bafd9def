using IdentityBroker.Errors;
using IdentityBroker.Federation.Developer;
using IdentityBroker.Identities.Linking;
using IdentityBroker.Pools;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Storage;

namespace IdentityBroker.Identities.Developer;

/// <summary>LookupDeveloperIdentity, MergeDeveloperIdentities, UnlinkDeveloperIdentity (signed, app backend; notes §2.3).</summary>
public sealed class DeveloperIdentityOperations(PoolDirectory pools, IIdentityStore identities, TimeProvider time)
{
    /// <summary>
    /// One of IdentityId and DeveloperUserIdentifier finds the other; both are checked against each other
    /// (ResourceConflictException on a mismatch) and echoed. With only IdentityId the identity's developer user ids
    /// are listed, MaxResults at a time.
    /// </summary>
    public async Task<Result<LookupDeveloperIdentityResponse>> LookupAsync(LookupDeveloperIdentityRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pool = await DeveloperPools.FindAsync(pools, request.IdentityPoolId!, null, cancellationToken).ConfigureAwait(false);
        if (!pool.IsSuccess)
        {
            return pool.Error!;
        }

        if (request.IdentityId is null && request.DeveloperUserIdentifier is null)
        {
            return CognitoErrors.InvalidParameter("Either IdentityId or DeveloperUserIdentifier must be given.");
        }

        var developer = pool.Value.DeveloperProviderName!;
        return request.DeveloperUserIdentifier is { } userId
            ? await LookupUserAsync(pool.Value, developer, userId, request.IdentityId, cancellationToken).ConfigureAwait(false)
            : await ListUsersAsync(pool.Value, developer, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The source developer user's identity is merged into the destination's, whose id is returned.</summary>
    public async Task<Result<MergeDeveloperIdentitiesResponse>> MergeAsync(MergeDeveloperIdentitiesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pool = await DeveloperPools.FindAsync(pools, request.IdentityPoolId!, request.DeveloperProviderName, cancellationToken).ConfigureAwait(false);
        if (!pool.IsSuccess)
        {
            return pool.Error!;
        }

        var developer = pool.Value.DeveloperProviderName!;
        var merge = await identities.MergeIdentitiesAsync(
            pool.Value.IdentityPoolId,
            DeveloperLogins.Key(developer, request.DestinationUserIdentifier!),
            DeveloperLogins.Key(developer, request.SourceUserIdentifier!),
            LoginSets.PolicyOf(pool.Value),
            time.GetUtcNow(),
            cancellationToken).ConfigureAwait(false);
        return merge.Kind switch
        {
            IdentityMergeKind.Merged or IdentityMergeKind.AlreadyMerged => new MergeDeveloperIdentitiesResponse { IdentityId = merge.Identity!.IdentityId },
            IdentityMergeKind.SourceNotFound => DeveloperUserNotFound(),
            IdentityMergeKind.DestinationNotFound => DeveloperUserNotFound(),
            _ => CognitoErrors.ResourceConflict(merge.ConflictReason ?? "The identities cannot be merged."),
        };
    }

    /// <summary>The developer user is unlinked; next time it is a new user. The last login gone, the identity is disabled.</summary>
    public async Task<Result<Unit>> UnlinkAsync(UnlinkDeveloperIdentityRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pool = await DeveloperPools.FindAsync(pools, request.IdentityPoolId!, request.DeveloperProviderName, cancellationToken).ConfigureAwait(false);
        if (!pool.IsSuccess)
        {
            return pool.Error!;
        }

        var identityId = request.IdentityId!;
        var identity = await identities.GetIdentityAsync(identityId, cancellationToken).ConfigureAwait(false);
        if (identity is null || identity.IdentityPoolId != pool.Value.IdentityPoolId)
        {
            return CognitoErrors.IdentityNotFound(identityId);
        }

        var login = DeveloperLogins.Key(pool.Value.DeveloperProviderName!, request.DeveloperUserIdentifier!);
        if (!identity.Logins.Contains(login))
        {
            return CognitoErrors.ResourceConflict($"The developer user identifier is not linked to identity '{identityId}'.");
        }

        await identities.UnlinkLoginsAsync(identityId, [login], time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }

    private async Task<Result<LookupDeveloperIdentityResponse>> LookupUserAsync(
        IdentityPool pool, string developer, string userId, string? identityId, CancellationToken cancellationToken)
    {
        var owner = await identities.FindLoginOwnerAsync(pool.IdentityPoolId, DeveloperLogins.Key(developer, userId), cancellationToken)
            .ConfigureAwait(false);
        if (owner is null)
        {
            return identityId is null ? DeveloperUserNotFound() : Mismatch(identityId);
        }

        if (identityId is not null && identityId != owner)
        {
            return Mismatch(identityId);
        }

        return new LookupDeveloperIdentityResponse { IdentityId = owner, DeveloperUserIdentifierList = [userId] };
    }

    private async Task<Result<LookupDeveloperIdentityResponse>> ListUsersAsync(
        IdentityPool pool, string developer, LookupDeveloperIdentityRequest request, CancellationToken cancellationToken)
    {
        var identityId = request.IdentityId!;
        var identity = await identities.GetIdentityAsync(identityId, cancellationToken).ConfigureAwait(false);
        if (identity is null || identity.IdentityPoolId != pool.IdentityPoolId)
        {
            return CognitoErrors.IdentityNotFound(identityId);
        }

        long skip;
        try
        {
            skip = PageCursor.Decode(PageCursorKind.DeveloperUsers, request.NextToken);
        }
        catch (InvalidNextTokenException)
        {
            return CognitoErrors.InvalidParameter("The NextToken is invalid.");
        }

        var users = identity.Logins.Where(l => l.Provider == developer).Select(l => l.Subject).ToList();
        var take = request.MaxResults ?? 60;
        var page = users.Skip((int)Math.Min(skip, users.Count)).Take(take).ToList();
        var next = skip + page.Count;
        return new LookupDeveloperIdentityResponse
        {
            IdentityId = identityId,
            DeveloperUserIdentifierList = page,
            NextToken = next < users.Count ? PageCursor.Encode(PageCursorKind.DeveloperUsers, next) : null,
        };
    }

    private static AwsError DeveloperUserNotFound() =>
        CognitoErrors.ResourceNotFound("The developer user identifier was not found in this identity pool.");

    private static AwsError Mismatch(string identityId) =>
        CognitoErrors.ResourceConflict($"The developer user identifier does not belong to identity '{identityId}'.");
}
