using IdentityBroker.Errors;
using IdentityBroker.Storage;

namespace IdentityBroker.Identities.Linking;

/// <summary>
/// UnlinkIdentity (unsigned): the caller proves the identity with a valid current login of it (Cognito Identity API reference, UnlinkIdentity), then the
/// logins of the providers named in LoginsToRemove are unlinked. Unlinked logins make new identities next time;
/// removing the last login leaves the identity disabled, never a guest (docs/identities.md).
/// </summary>
public sealed class UnlinkOperations(IdentityAccess access, IIdentityStore identities, TimeProvider time)
{
    public async Task<Result<Unit>> UnlinkIdentityAsync(UnlinkIdentity command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var identityId = command.IdentityId;
        var proven = await access.ProveAsync(identityId, command.Logins, cancellationToken).ConfigureAwait(false);
        if (!proven.IsSuccess)
        {
            return proven.Error!;
        }

        var (pool, identity, _) = proven.Value;
        if (!identity.IsAuthenticated)
        {
            return CognitoErrors.IdentityForbidden(identityId);
        }

        var providers = command.ProvidersToRemove;
        if (pool.DeveloperProviderName is { } developer && providers.Contains(developer))
        {
            // Developer users are linked and unlinked only by the backend (docs/identities.md).
            return CognitoErrors.InvalidParameter($"Developer provider '{developer}' logins are unlinked with UnlinkDeveloperIdentity.");
        }

        var removing = identity.Logins.Where(l => providers.Contains(l.Provider)).ToList();
        if (removing.Count > 0)
        {
            await identities.UnlinkLoginsAsync(identityId, removing, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        return Unit.Value;
    }
}
