using IdentityBroker.Errors;
using IdentityBroker.Federation;
using IdentityBroker.Identities;
using IdentityBroker.Sts;
using IdentityBroker.Tokens;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Revocations;

/// <summary>
/// aws mode: AWS STS cannot be told to refuse a session, so the broker stops minting (GetCredentialsForIdentity, and the
/// OpenID token a client would trade at STS) for a revoked scope until the revocation is deleted. The embedded STS refuses
/// the revoked sessions themselves and mints again at once.
/// </summary>
public sealed class RevokedMints(RevocationList revocations, IOptions<BrokerOptions> options, TimeProvider time)
{
    public AwsError? Refusal(string poolId, Identity identity, IReadOnlyList<ValidatedLogin> logins)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(logins);
        if (options.Value.Sts.Mode != StsMode.Aws || revocations.Current.Count == 0)
        {
            return null;
        }

        List<string> amr = [identity.IsAuthenticated ? BrokerClaims.Authenticated : BrokerClaims.Unauthenticated, .. logins.Select(l => l.ProviderKey)];
        var scope = new SessionScope(poolId, identity.IdentityId, amr, time.GetUtcNow());
        return revocations.Covering(scope) is null
            ? null
            : CognitoErrors.NotAuthorized("Credentials for this identity have been revoked.");
    }
}
