using IdentityBroker.Errors;
using IdentityBroker.Federation.Developer;
using IdentityBroker.Identities.Linking;
using IdentityBroker.Pools;
using IdentityBroker.Storage;

namespace IdentityBroker.Identities.Developer;

/// <summary>LookupDeveloperIdentity, MergeDeveloperIdentities, UnlinkDeveloperIdentity (signed, app backend; Amazon Cognito Developer Guide, "Developer-authenticated identities").</summary>
public sealed class DeveloperIdentityOperations(PoolDirectory pools, IIdentityStore identities, TimeProvider time)
{
    /// <summary>
    /// One of IdentityId and DeveloperUserIdentifier finds the other; both are checked against each other
    /// (ResourceConflictException on a mismatch) and echoed. With only IdentityId the identity's developer user ids
    /// are listed, MaxResults at a time.
    /// </summary>
    public async Task<Result<DeveloperUsers>> LookupAsync(LookupDeveloperIdentity command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var pool = await DeveloperPools.FindAsync(pools, command.IdentityPoolId, null, cancellationToken).ConfigureAwait(false);
        if (!pool.IsSuccess)
        {
            return pool.Error!;
        }

        var developer = pool.Value.DeveloperProviderName!;
        return (command.DeveloperUserIdentifier, command.IdentityId) switch
        {
            ({ } userId, var identityId) => await LookupUserAsync(pool.Value, developer, userId, identityId, cancellationToken).ConfigureAwait(false),
            (null, { } identityId) => await ListUsersAsync(pool.Value, developer, identityId, command, cancellationToken).ConfigureAwait(false),
            _ => CognitoErrors.InvalidParameter("Either IdentityId or DeveloperUserIdentifier must be given."),
        };
    }

    /// <summary>The source developer user's identity is merged into the destination's, whose id is returned.</summary>
    public async Task<Result<Identity>> MergeAsync(MergeDeveloperIdentities command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var pool = await DeveloperPools.FindAsync(pools, command.IdentityPoolId, command.DeveloperProviderName, cancellationToken).ConfigureAwait(false);
        if (!pool.IsSuccess)
        {
            return pool.Error!;
        }

        var developer = pool.Value.DeveloperProviderName!;
        var merge = await identities.MergeIdentitiesAsync(
            pool.Value.IdentityPoolId,
            DeveloperLogins.Key(developer, command.DestinationUserIdentifier),
            DeveloperLogins.Key(developer, command.SourceUserIdentifier),
            LoginSets.PolicyOf(pool.Value),
            time.GetUtcNow(),
            cancellationToken).ConfigureAwait(false);
        return merge.Kind switch
        {
            IdentityMergeKind.Merged or IdentityMergeKind.AlreadyMerged => merge.Identity!,
            IdentityMergeKind.SourceNotFound => DeveloperUserNotFound(),
            IdentityMergeKind.DestinationNotFound => DeveloperUserNotFound(),
            _ => CognitoErrors.ResourceConflict(merge.ConflictReason ?? "The identities cannot be merged."),
        };
    }

    /// <summary>The developer user is unlinked; next time it is a new user. The last login gone, the identity is disabled.</summary>
    public async Task<Result<Unit>> UnlinkAsync(UnlinkDeveloperIdentity command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var pool = await DeveloperPools.FindAsync(pools, command.IdentityPoolId, command.DeveloperProviderName, cancellationToken).ConfigureAwait(false);
        if (!pool.IsSuccess)
        {
            return pool.Error!;
        }

        var identityId = command.IdentityId;
        var identity = await identities.GetIdentityAsync(identityId, cancellationToken).ConfigureAwait(false);
        if (identity is null || identity.IdentityPoolId != pool.Value.IdentityPoolId)
        {
            return CognitoErrors.IdentityNotFound(identityId);
        }

        var login = DeveloperLogins.Key(pool.Value.DeveloperProviderName!, command.DeveloperUserIdentifier);
        if (!identity.Logins.Contains(login))
        {
            return CognitoErrors.ResourceConflict($"The developer user identifier is not linked to identity '{identityId}'.");
        }

        await identities.UnlinkLoginsAsync(identityId, [login], time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }

    private async Task<Result<DeveloperUsers>> LookupUserAsync(
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

        return new DeveloperUsers(owner, [userId], null);
    }

    private async Task<Result<DeveloperUsers>> ListUsersAsync(
        IdentityPool pool, string developer, string identityId, LookupDeveloperIdentity command, CancellationToken cancellationToken)
    {
        var identity = await identities.GetIdentityAsync(identityId, cancellationToken).ConfigureAwait(false);
        if (identity is null || identity.IdentityPoolId != pool.IdentityPoolId)
        {
            return CognitoErrors.IdentityNotFound(identityId);
        }

        long skip;
        try
        {
            skip = PageCursor.Decode(PageCursorKind.DeveloperUsers, command.NextToken);
        }
        catch (InvalidNextTokenException)
        {
            return CognitoErrors.InvalidParameter("The NextToken is invalid.");
        }

        var users = identity.Logins.Where(l => l.Provider == developer).Select(l => l.Subject).ToList();
        var take = command.MaxResults ?? 60;
        var page = users.Skip((int)Math.Min(skip, users.Count)).Take(take).ToList();
        var next = skip + page.Count;
        return new DeveloperUsers(identityId, page, next < users.Count ? PageCursor.Encode(PageCursorKind.DeveloperUsers, next) : null);
    }

    private static AwsError DeveloperUserNotFound() =>
        CognitoErrors.ResourceNotFound("The developer user identifier was not found in this identity pool.");

    private static AwsError Mismatch(string identityId) =>
        CognitoErrors.ResourceConflict($"The developer user identifier does not belong to identity '{identityId}'.");
}
