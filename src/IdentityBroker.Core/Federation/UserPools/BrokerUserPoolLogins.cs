using IdentityBroker.UserPools.Sessions;
using IdentityBroker.UserPools.Tokens;

namespace IdentityBroker.Federation.UserPools;

/// <summary>
/// The broker's own user pools as identity-pool providers: a ProviderName <c>&lt;issuer host/path&gt;/&lt;userPoolId&gt;</c>
/// (the pool's issuer without scheme, as Amplify forms the Logins key from <c>iss</c>) names one; its keys are read in
/// process, and ServerSideTokenCheck asks the pool's sessions directly.
/// </summary>
public sealed class BrokerUserPoolLogins(UserPoolIssuer issuer, UserPoolSigningKeys keys, UserPoolSessions sessions)
{
    /// <summary>The broker user-pool id the ProviderName names; null for a Cognito (or unknown) ProviderName.</summary>
    public string? PoolIdOf(string? providerName) => issuer.PoolIdOfProviderName(providerName);

    /// <summary>The pool's issuer and key; null when the pool never had a key (no token of it can exist).</summary>
    public async Task<IssuerKeys?> KeysAsync(string userPoolId, CancellationToken cancellationToken) =>
        (await keys.FindAsync(userPoolId, cancellationToken).ConfigureAwait(false))?.Keys;

    public Task<bool> IsRevokedAsync(string userPoolId, string originJti, CancellationToken cancellationToken) =>
        sessions.IsRevokedAsync(userPoolId, originJti, cancellationToken);
}
