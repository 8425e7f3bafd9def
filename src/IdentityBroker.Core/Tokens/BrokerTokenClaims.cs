namespace IdentityBroker.Tokens;

/// <summary>
/// The claims of one broker OpenID token, built in this process by <see cref="OpenIdTokenIssuer"/> (internal constructor):
/// the values, the payload they serialize to and the key that signs them. Holding one proves the broker chose these values,
/// so the in-process STS takes them as they are; <see cref="Sign"/> writes the compact JWS only where the token leaves the
/// process (GetOpenIdToken, an STS reached over HTTP). A signature nobody outside the process sees is not made
/// (docs/architecture.md, "Credentials without a signature in process").
/// </summary>
public sealed class BrokerTokenClaims
{
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>(StringComparer.Ordinal);

    private readonly ReadOnlyMemory<byte> _payload;
    private readonly JwsSigner _signer;

    internal BrokerTokenClaims(
        ReadOnlyMemory<byte> payload, JwsSigner signer, string issuer, string subject, string audience, IReadOnlyList<string> amr,
        long issuedAt, long expires, IReadOnlyDictionary<string, string>? tags)
    {
        _payload = payload;
        _signer = signer;
        Issuer = issuer;
        Subject = subject;
        Audience = audience;
        Amr = amr;
        IssuedAt = issuedAt;
        Expires = expires;
        Tags = tags ?? NoTags;
    }

    public string Issuer { get; }

    /// <summary>The <c>kid</c> of the key that signs these claims (the header's, once signed).</summary>
    public string KeyId => _signer.KeyId;

    public string Subject { get; }

    public string Audience { get; }

    public IReadOnlyList<string> Amr { get; }

    /// <summary><c>iat</c>, seconds since the epoch.</summary>
    public long IssuedAt { get; }

    /// <summary><c>exp</c>, seconds since the epoch.</summary>
    public long Expires { get; }

    /// <summary>The <c>principal_tags</c> of <c>https://aws.amazon.com/tags</c> (empty when the claim is absent).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>
    /// The length in characters of the compact JWS <see cref="Sign"/> writes, known without signing: STS's length limit on
    /// WebIdentityToken applies to the in-process path as to a token sent over HTTP.
    /// </summary>
    public int SignedLength => _signer.SignedLength(_payload.Length);

    /// <summary>The compact JWS of these claims: one signature, for a token that leaves the process.</summary>
    public string Sign() => _signer.Sign(_payload.Span);
}
