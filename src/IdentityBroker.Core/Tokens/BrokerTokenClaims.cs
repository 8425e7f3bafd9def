namespace IdentityBroker.Tokens;

/// <summary>
/// The claims of one broker OpenID token, built in this process by <see cref="OpenIdTokenIssuer"/> (internal constructor):
/// the values and the key that signs them; the payload they serialize to is written only when needed. Holding one proves the broker chose these values,
/// so the in-process STS takes them as they are; <see cref="Sign"/> writes the compact JWS only where the token leaves the
/// process (GetOpenIdToken, an STS reached over HTTP). A signature nobody outside the process sees is not made
/// (docs/architecture.md, "Credentials without a signature in process").
/// </summary>
public sealed class BrokerTokenClaims
{
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// JSON's worst case per UTF-16 code unit of a value: <c>\uXXXX</c> (6 bytes); unescaped UTF-8 takes at most 3.
    /// </summary>
    private const int MaxBytesPerChar = 6;

    /// <summary>Everything of the payload but the values: claim names, quotes, separators, brackets (≈ 150 bytes), rounded up.</summary>
    private const int PayloadFrame = 256;

    private readonly JwsSigner _signer;
    private ReadOnlyMemory<byte>? _payload;

    internal BrokerTokenClaims(
        JwsSigner signer, string issuer, string subject, string audience, IReadOnlyList<string> amr,
        long issuedAt, long expires, string poolArn, IReadOnlyDictionary<string, string>? tags)
    {
        _signer = signer;
        PoolArn = poolArn;
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

    /// <summary>Claims whose payload is given as it is (tests that hand the claims path values the issuer would not write).</summary>
    internal BrokerTokenClaims(
        ReadOnlyMemory<byte> payload, JwsSigner signer, string issuer, string subject, string audience, IReadOnlyList<string> amr,
        long issuedAt, long expires, IReadOnlyDictionary<string, string>? tags)
        : this(signer, issuer, subject, audience, amr, issuedAt, expires, string.Empty, tags) => _payload = payload;

    /// <summary>
    /// The length in characters of the compact JWS <see cref="Sign"/> writes, known without signing: STS's length limit on
    /// WebIdentityToken applies to the in-process path as to a token sent over HTTP.
    /// </summary>
    public int SignedLength => _signer.SignedLength(Payload.Length);

    /// <summary>
    /// An upper bound of <see cref="SignedLength"/> from the values' lengths, without serializing them: in process the claims
    /// are never signed, and their JSON was built only to be measured (docs/performance.md, 2026-12-08).
    /// </summary>
    public int MaxSignedLength
    {
        get
        {
            if (_payload is { } written)
            {
                return _signer.SignedLength(written.Length);
            }

            var chars = Issuer.Length + Subject.Length + Audience.Length + PoolArn.Length;
            foreach (var method in Amr)
            {
                chars += method.Length + 3;
            }

            foreach (var (key, value) in Tags)
            {
                chars += key.Length + value.Length + 8;
            }

            return _signer.SignedLength(PayloadFrame + (2 * 20) + (MaxBytesPerChar * chars));
        }
    }

    /// <summary>The identity pool's ARN (<c>https://cognito-identity.amazonaws.com/identity-pool-arn</c>).</summary>
    internal string PoolArn { get; }

    /// <summary>The claims as JSON, written on first use (a signature, or an exact length); one request uses one instance.</summary>
    private ReadOnlyMemory<byte> Payload => _payload ??= OpenIdTokenIssuer.Payload(this);

    /// <summary>The compact JWS of these claims: one signature, for a token that leaves the process.</summary>
    public string Sign() => _signer.Sign(Payload.Span);
}
