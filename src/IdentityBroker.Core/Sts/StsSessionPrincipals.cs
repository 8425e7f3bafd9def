using IdentityBroker.Protocol.Signing;

namespace IdentityBroker.Sts;

/// <summary>
/// Resolves temporary credentials issued by the embedded STS to the signer: the session token must open with the
/// session key and name the same access key id. A session past its expiry, or issued before a revocation of its scope
/// (docs/revocation.md), resolves as expired: the signer is known, and the call is refused as AWS refuses expired tokens.
/// </summary>
public sealed class StsSessionPrincipals(SessionKeyRing keys, Revocations.RevocationList revocations, TimeProvider time) : ISigningPrincipalSource
{
    public async ValueTask<SigningPrincipal?> FindAsync(string accessKeyId, string? sessionToken, CancellationToken cancellationToken)
    {
        var opened = await OpenAsync(accessKeyId, sessionToken, cancellationToken).ConfigureAwait(false);
        if (opened is not var (session, key))
        {
            return null;
        }

        var secret = SessionTokenCodec.DeriveSecret(accessKeyId, key);
        return new SigningPrincipal(accessKeyId, secret, session.AssumedRoleArn, session.UserId, IsAdmin: false) { Expired = !IsLive(session) };
    }

    /// <summary>The live session behind temporary credentials (its effective-policy inputs), or null.</summary>
    public async ValueTask<StsSession?> FindSessionAsync(string accessKeyId, string? sessionToken, CancellationToken cancellationToken) =>
        await OpenAsync(accessKeyId, sessionToken, cancellationToken).ConfigureAwait(false) is var (session, _) && IsLive(session) ? session : null;

    private bool IsLive(StsSession session) =>
        session.Expiration > time.GetUtcNow() && (session.BrokerScope is not { } scope || revocations.Revoking(scope) is null);

    private async ValueTask<(StsSession Session, SessionKey Key)?> OpenAsync(string accessKeyId, string? sessionToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sessionToken) || !accessKeyId.StartsWith("ASIA", StringComparison.Ordinal))
        {
            return null;
        }

        var keyId = SessionTokenCodec.ReadKeyId(sessionToken);
        var key = keyId is null ? null : await keys.FindAsync(keyId, cancellationToken).ConfigureAwait(false);
        var session = key is null ? null : SessionTokenCodec.Open(sessionToken, key);
        if (session is null || session.AccessKeyId != accessKeyId)
        {
            return null;
        }

        return (session, key!);
    }
}
