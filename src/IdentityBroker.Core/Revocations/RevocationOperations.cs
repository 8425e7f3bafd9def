using IdentityBroker.Errors;
using IdentityBroker.Identities;
using IdentityBroker.Pools;
using IdentityBroker.Storage;

namespace IdentityBroker.Revocations;

/// <summary>What an operator asks to revoke (<c>POST /admin/api/revocations</c>); <see cref="IssuedBefore"/> null means now.</summary>
public sealed record RevokeSessions(string IdentityPoolId, string? IdentityId, string? Provider, string? Subject, DateTimeOffset? IssuedBefore);

/// <summary>
/// Makes, lists and deletes revocations (docs/revocation.md). Stages of a revocation: scope → pool → identity or login →
/// store → this replica's list refreshed (the others read it within <see cref="RevocationList.RefreshInterval"/>).
/// </summary>
public sealed class RevocationOperations(
    IRevocationStore store, RevocationList list, PoolDirectory pools, IIdentityStore identities, TimeProvider time)
{
    /// <summary>Every signed call reads the whole list; a bound keeps that cheap.</summary>
    public const int MaxRevocations = 1000;

    private const int MaxText = 1024;

    public async Task<Result<Revocation>> RevokeAsync(RevokeSessions command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (CheckScope(command) is { } invalid)
        {
            return invalid;
        }

        if (await pools.FindAsync(command.IdentityPoolId, cancellationToken).ConfigureAwait(false) is null)
        {
            return CognitoErrors.PoolNotFound(command.IdentityPoolId);
        }

        var identityId = await ResolveIdentityAsync(command, cancellationToken).ConfigureAwait(false);
        if (!identityId.IsSuccess)
        {
            return identityId.Error!;
        }

        if ((await store.ListRevocationsAsync(cancellationToken).ConfigureAwait(false)).Count >= MaxRevocations)
        {
            return CognitoErrors.LimitExceeded($"There are {MaxRevocations} revocations already; delete those that are no longer needed.");
        }

        var now = time.GetUtcNow();
        var revocation = new Revocation
        {
            RevocationId = Guid.NewGuid().ToString("D"),
            IdentityPoolId = command.IdentityPoolId,
            IdentityId = identityId.Value,
            Provider = command.Provider,
            Subject = command.Subject,
            IssuedBefore = command.IssuedBefore ?? now,
            CreatedAt = now,
        };
        if (!await store.AddRevocationAsync(revocation, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"Revocation '{revocation.RevocationId}' already exists.");
        }

        await list.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return revocation;
    }

    /// <summary>The revocations, oldest first; of one pool when <paramref name="identityPoolId"/> is given.</summary>
    public async Task<IReadOnlyList<Revocation>> ListAsync(string? identityPoolId, CancellationToken cancellationToken)
    {
        var all = await store.ListRevocationsAsync(cancellationToken).ConfigureAwait(false);
        return identityPoolId is null ? all : [.. all.Where(r => r.IdentityPoolId == identityPoolId)];
    }

    public async Task<Result<Unit>> DeleteAsync(string revocationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocationId);
        if (revocationId.Length > MaxText || !await store.DeleteRevocationAsync(revocationId, cancellationToken).ConfigureAwait(false))
        {
            return CognitoErrors.ResourceNotFound($"Revocation '{Shorten(revocationId)}' not found.");
        }

        await list.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }

    private static AwsError? CheckScope(RevokeSessions command)
    {
        if (string.IsNullOrEmpty(command.IdentityPoolId))
        {
            return CognitoErrors.InvalidParameter("IdentityPoolId is required.");
        }

        if (new[] { command.IdentityPoolId, command.IdentityId, command.Provider, command.Subject }.Any(v => v?.Length > MaxText))
        {
            return CognitoErrors.InvalidParameter($"IdentityPoolId, IdentityId, Provider and Subject are at most {MaxText} characters.");
        }

        return command.Subject is not null && command.Provider is null
            ? CognitoErrors.InvalidParameter("Subject needs the Provider it belongs to.")
            : null;
    }

    /// <summary>The identity the revocation names: given, or the owner of the login; null for every identity of the pool.</summary>
    private async Task<Result<string?>> ResolveIdentityAsync(RevokeSessions command, CancellationToken cancellationToken)
    {
        string? owner = null;
        if (command.Subject is { } subject)
        {
            owner = await identities.FindLoginOwnerAsync(command.IdentityPoolId, new LoginKey(command.Provider!, subject), cancellationToken)
                .ConfigureAwait(false);
            if (owner is null)
            {
                return CognitoErrors.ResourceNotFound("No identity of this pool has that login.");
            }
        }

        if (command.IdentityId is { } identityId)
        {
            var identity = await identities.GetIdentityAsync(identityId, cancellationToken).ConfigureAwait(false);
            if (identity is null || identity.IdentityPoolId != command.IdentityPoolId)
            {
                return CognitoErrors.IdentityNotFound(identityId);
            }

            if (owner is not null && owner != identityId)
            {
                return CognitoErrors.InvalidParameter("The login belongs to another identity than IdentityId.");
            }

            owner = identityId;
        }

        return owner;
    }

    private static string Shorten(string text) => text.Length > 64 ? text[..64] : text;
}
