using IdentityBroker.Audit;
using IdentityBroker.Errors;
using IdentityBroker.Federation;
using IdentityBroker.Federation.Developer;
using IdentityBroker.Identities.Linking;
using IdentityBroker.Mapping;
using IdentityBroker.Pools;
using IdentityBroker.Credentials;
using IdentityBroker.Storage;
using IdentityBroker.Tokens;

namespace IdentityBroker.Identities.Developer;

/// <summary>
/// GetOpenIdTokenForDeveloperIdentity (signed, app backend; Cognito Identity API reference): Logins holds exactly one entry
/// <c>"&lt;DeveloperProviderName&gt;": "&lt;developer user id&gt;"</c> plus optional public-provider tokens to link; with
/// IdentityId the logins are linked to that identity, else the developer user's identity is found or created. The
/// token lives TokenDuration seconds (default 900) and carries PrincipalTags as session tags.
/// </summary>
public sealed class DeveloperTokenOperation(
    PoolDirectory pools,
    IIdentityStore identities,
    LoginVerifier verifier,
    OpenIdTokenIssuer tokens,
    IdentityIds ids,
    TimeProvider time)
{
    /// <summary>The documented default lifetime of a developer token (15 minutes).</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(900);

    private const int MaxDeveloperUserIdLength = 1024;

    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    /// <summary>
    /// Records its decision for the audit trail (docs/audit.md, "The decision"): the developer user and the linked logins it
    /// vouched for, the principal tags the token carries, or why it refused.
    /// </summary>
    public async Task<Result<IdentityToken>> RunAsync(GetDeveloperToken command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var pool = await DeveloperPools.FindAsync(pools, command.IdentityPoolId, null, cancellationToken).ConfigureAwait(false);
        if (!pool.IsSuccess)
        {
            return CallAuditScope.Refused([], null, pool.Error!, "the identity pool was not found or has no developer provider", command.IdentityPoolId);
        }

        var logins = await ValidateLoginsAsync(pool.Value, command, cancellationToken).ConfigureAwait(false);
        if (!logins.IsSuccess)
        {
            return CallAuditScope.Refused(DeveloperOnly(pool.Value, command), null, logins.Error!,
                "the developer login or a login to link did not validate", command.IdentityPoolId, command.IdentityId);
        }

        var decided = logins.Value.Select(DecidedLogin.From).ToList();
        var resolved = await LinkAsync(pool.Value, command.IdentityId, logins.Value, cancellationToken).ConfigureAwait(false);
        if (!resolved.IsSuccess)
        {
            return CallAuditScope.Refused(decided, null, resolved.Error!,
                command.IdentityId is null ? "the logins could not be given an identity" : "the logins could not be linked to the identity",
                command.IdentityPoolId, command.IdentityId);
        }

        var token = tokens.Issue(pool.Value, resolved.Value, logins.Value, command.Lifetime, command.PrincipalTags);
        CallAuditScope.Decided(new CredentialDecision(decided, null, command.PrincipalTags ?? NoTags, null, null),
            pool.Value.IdentityPoolId, resolved.Value.IdentityId);
        return new IdentityToken(resolved.Value.IdentityId, token.Token);
    }

    /// <summary>The developer user named in Logins, for a refusal's record (the signature vouches for it, not a token).</summary>
    private static List<DecidedLogin> DeveloperOnly(IdentityPool pool, GetDeveloperToken command) =>
        pool.DeveloperProviderName is { } developer && command.Logins.TryGetValue(developer, out var userId) && userId.Length <= MaxDeveloperUserIdLength
            ? [new DecidedLogin(developer, userId)]
            : [];

    /// <summary>The developer login (vouched for by the signature) first, then the validated public logins.</summary>
    private async Task<Result<IReadOnlyList<ValidatedLogin>>> ValidateLoginsAsync(
        IdentityPool pool, GetDeveloperToken command, CancellationToken cancellationToken)
    {
        var developer = pool.DeveloperProviderName!;
        if (!command.Logins.TryGetValue(developer, out var userId))
        {
            return CognitoErrors.InvalidParameter($"Logins must contain exactly one entry for the developer provider '{developer}'.");
        }

        if (userId.Length > MaxDeveloperUserIdLength)
        {
            return CognitoErrors.InvalidParameter($"The developer user identifier must be at most {MaxDeveloperUserIdLength} characters.");
        }

        var others = command.Logins.Where(l => l.Key != developer).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        var verified = await verifier.VerifyAsync(pool, others, cancellationToken).ConfigureAwait(false);
        if (!verified.IsSuccess)
        {
            return verified.Error!;
        }

        if (verified.Value.Any(l => !l.IsLinkable))
        {
            // A broker token is what this call issues, not a login it links.
            return CognitoErrors.UnsupportedProvider();
        }

        return Result<IReadOnlyList<ValidatedLogin>>.Ok([DeveloperLogins.Vouched(pool, userId, command.PrincipalTags), .. verified.Value]);
    }

    private async Task<Result<Identity>> LinkAsync(
        IdentityPool pool, string? identityId, IReadOnlyList<ValidatedLogin> logins, CancellationToken cancellationToken)
    {
        var keys = LoginSets.Linkable(logins);
        var candidate = identityId is null ? NewIdentity(pool) : null;
        if (identityId is not null)
        {
            var existing = await CheckTargetAsync(pool, identityId, keys, cancellationToken).ConfigureAwait(false);
            if (!existing.IsSuccess)
            {
                return existing.Error!;
            }

            candidate = existing.Value;
        }

        var resolution = await identities.ResolveLoginsAsync(candidate!, keys, LoginSets.PolicyOf(pool), time.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false);
        if (resolution.Kind == LoginResolutionKind.Conflict)
        {
            return CognitoErrors.ResourceConflict(resolution.ConflictReason ?? "A login is already linked to another identity.");
        }

        var identity = resolution.Identity!;
        return identity.Disabled ? CognitoErrors.IdentityForbidden(identity.IdentityId) : identity;
    }

    /// <summary>Linking to a given identity: it exists in this pool, is enabled, the developer user is not another's, and an authenticated identity is proven by one of its logins.</summary>
    private async Task<Result<Identity>> CheckTargetAsync(IdentityPool pool, string identityId, List<LoginKey> keys, CancellationToken cancellationToken)
    {
        var identity = await identities.GetIdentityAsync(identityId, cancellationToken).ConfigureAwait(false);
        if (identity is null || identity.IdentityPoolId != pool.IdentityPoolId)
        {
            return CognitoErrors.IdentityNotFound(identityId);
        }

        if (identity.Disabled)
        {
            return CognitoErrors.IdentityForbidden(identityId);
        }

        var owner = await identities.FindLoginOwnerAsync(pool.IdentityPoolId, keys[0], cancellationToken).ConfigureAwait(false);
        if (owner is not null && owner != identityId)
        {
            return CognitoErrors.DeveloperUserAlreadyRegistered("This developer user identifier is already registered with Cognito.");
        }

        return identity.IsAuthenticated && !keys.Exists(identity.Logins.Contains) ? CognitoErrors.LoginsDoNotMatch() : identity;
    }

    private Identity NewIdentity(IdentityPool pool)
    {
        var now = time.GetUtcNow();
        return new Identity { IdentityId = ids.NewId(), IdentityPoolId = pool.IdentityPoolId, CreationDate = now, LastModifiedDate = now };
    }
}
