namespace IdentityBroker.Tokens;

/// <summary>
/// An OpenID token this process has just signed, with the claim values exactly as they were serialized into it. Only
/// <see cref="OpenIdTokenIssuer"/> builds one (internal constructor), so holding one proves the broker signed these values:
/// the in-process STS takes them instead of re-reading and re-verifying the text it would get over HTTP.
/// </summary>
public sealed class SignedBrokerToken
{
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>(StringComparer.Ordinal);

    internal SignedBrokerToken(
        string token, string issuer, string keyId, string subject, string audience, IReadOnlyList<string> amr,
        long issuedAt, long expires, IReadOnlyDictionary<string, string>? tags)
    {
        Token = token;
        Issuer = issuer;
        KeyId = keyId;
        Subject = subject;
        Audience = audience;
        Amr = amr;
        IssuedAt = issuedAt;
        Expires = expires;
        Tags = tags ?? NoTags;
    }

    /// <summary>The compact JWS, as handed to clients and to an STS over HTTP.</summary>
    public string Token { get; }

    public string Issuer { get; }

    /// <summary>The <c>kid</c> of the header: the key that signed.</summary>
    public string KeyId { get; }

    public string Subject { get; }

    public string Audience { get; }

    public IReadOnlyList<string> Amr { get; }

    /// <summary><c>iat</c>, seconds since the epoch.</summary>
    public long IssuedAt { get; }

    /// <summary><c>exp</c>, seconds since the epoch.</summary>
    public long Expires { get; }

    /// <summary>The <c>principal_tags</c> of <c>https://aws.amazon.com/tags</c> (empty when the claim is absent).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }
}
