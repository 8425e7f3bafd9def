using IdentityBroker.Federation;

namespace IdentityBroker.Tokens;

/// <summary>The broker's own verification keys, served in-process to its embedded STS (the same keys as its JWKS).</summary>
public sealed class BrokerIssuerKeys(BrokerIssuer broker, SigningKeyRing keys) : IIssuerKeySource
{
    public async ValueTask<IssuerKeys?> GetKeysAsync(string issuer, string? keyId, CancellationToken cancellationToken)
    {
        if (!broker.Matches(issuer))
        {
            return null;
        }

        // A key another replica made since this one loaded: read the store before the token is refused.
        await keys.KnowsAsync(keyId, cancellationToken).ConfigureAwait(false);
        return new IssuerKeys(broker.Url, keys.VerificationKeys, IsBroker: true, broker.ProviderArn) { Verifier = keys.Verifier };
    }
}

/// <summary>Asks each source in turn: the broker first, then registered OpenID Connect providers.</summary>
public sealed class CompositeIssuerKeySource(IReadOnlyList<IIssuerKeySource> sources) : IIssuerKeySource
{
    public async ValueTask<IssuerKeys?> GetKeysAsync(string issuer, string? keyId, CancellationToken cancellationToken)
    {
        foreach (var source in sources)
        {
            var keys = await source.GetKeysAsync(issuer, keyId, cancellationToken).ConfigureAwait(false);
            if (keys is not null)
            {
                return keys;
            }
        }

        return null;
    }
}
