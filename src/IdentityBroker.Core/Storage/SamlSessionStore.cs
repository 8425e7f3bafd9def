namespace IdentityBroker.Storage;

/// <summary>
/// The IdP session behind a hosted-UI sign-in through a user pool's SAML provider: what an IdP-initiated LogoutRequest
/// names (the NameID and the first AuthnStatement's SessionIndex, as Cognito's single sign-out matches them) and the pool
/// user it signed in.
/// </summary>
/// <param name="SessionIndex">The AuthnStatement's SessionIndex; empty when the IdP sent none.</param>
/// <param name="ExpiresAt">When the hosted session it started ends; the record is ignored and purged after it.</param>
public sealed record SamlSession(string UserPoolId, string ProviderName, string NameId, string SessionIndex, string Sub, DateTimeOffset ExpiresAt);

/// <summary>Where the SAML sign-in sessions of user pools and the hosted sign-outs that single logout orders live.</summary>
public interface ISamlSessionStore
{
    /// <summary>Records (or replaces) <paramref name="session"/>; records expired before <paramref name="now"/> are purged.</summary>
    Task RecordSamlSessionAsync(SamlSession session, DateTimeOffset now, CancellationToken cancellationToken);

    /// <returns>The unexpired sessions of the NameID at the provider, every SessionIndex, ordered by SessionIndex.</returns>
    Task<IReadOnlyList<SamlSession>> FindSamlSessionsAsync(
        string userPoolId, string providerName, string nameId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Ends the user's hosted sessions in the pool that started at or before <paramref name="signedOutAt"/> (a later
    /// sign-out only moves the time forward), and forgets the SAML sessions of <paramref name="ended"/>. The sign-out is
    /// kept until <paramref name="keepUntil"/> (when every hosted session it ends has expired anyway).
    /// </summary>
    Task EndHostedSessionsAsync(
        string userPoolId, string sub, DateTimeOffset signedOutAt, DateTimeOffset keepUntil, IReadOnlyList<SamlSession> ended, CancellationToken cancellationToken);

    /// <returns>The latest sign-out of the user's hosted sessions in the pool still kept at <paramref name="now"/>; null when none.</returns>
    Task<DateTimeOffset?> GetHostedSignOutAsync(string userPoolId, string sub, DateTimeOffset now, CancellationToken cancellationToken);
}
