using IdentityBroker.Protocol.Signing;

namespace IdentityBroker.Sts;

/// <summary>
/// Resolves temporary credentials issued by the embedded STS to the signer: the session token must open with the
/// session key, name the same access key id, and not be expired.
/// </summary>
public sealed class StsSessionPrincipals(SessionKeyRing keys, TimeProvider time) : ISigningPrincipalSource
{
    public async ValueTask<SigningPrincipal?> FindAsync(string accessKeyId, string? sessionToken, CancellationToken cancellationToken)
    {
        var opened = await OpenAsync(accessKeyId, sessionToken, cancellationToken).ConfigureAwait(false);
        if (opened is not var (session, key))
        {
            return null;
        }

        var secret = SessionTokenCodec.DeriveSecret(accessKeyId, key);
        return new SigningPrincipal(accessKeyId, secret, session.AssumedRoleArn, session.UserId, IsAdmin: false);
    }

    /// <summary>The live session behind temporary credentials (its effective-policy inputs), or null.</summary>
    public async ValueTask<StsSession?> FindSessionAsync(string accessKeyId, string? sessionToken, CancellationToken cancellationToken) =>
        (await OpenAsync(accessKeyId, sessionToken, cancellationToken).ConfigureAwait(false))?.Session;

    private async ValueTask<(StsSession Session, SessionKey Key)?> OpenAsync(string accessKeyId, string? sessionToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sessionToken) || !accessKeyId.StartsWith("ASIA", StringComparison.Ordinal))
        {
            return null;
        }

        var keyId = SessionTokenCodec.ReadKeyId(sessionToken);
        var key = keyId is null ? null : await keys.FindAsync(keyId, cancellationToken).ConfigureAwait(false);
        var session = key is null ? null : SessionTokenCodec.Open(sessionToken, key);
        if (session is null || session.AccessKeyId != accessKeyId || session.Expiration <= time.GetUtcNow())
        {
            return null;
        }

        return (session, key!);
    }
}
