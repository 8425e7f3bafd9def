using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using IdentityBroker.Federation;
using IdentityBroker.Identities;
using IdentityBroker.Pools;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Tokens;

/// <summary>A signed broker OpenID token, as it leaves the process.</summary>
public sealed record IssuedToken(string Token, DateTimeOffset Expires);

/// <summary>
/// The broker's OpenID tokens: iss, aud = pool id, sub = identity id, amr, iat, exp (Cognito Identity API reference,
/// GetOpenIdToken). <see cref="Claims"/> builds them without a signature, for the in-process STS; <see cref="Issue"/> signs them
/// for whoever receives the token.
/// </summary>
public sealed class OpenIdTokenIssuer(BrokerIssuer issuer, SigningKeyRing keys, IOptions<BrokerOptions> options, TimeProvider time)
{
    /// <summary>GetOpenIdToken's documented lifetime.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    // What JsonWebTokenHandler used: non-ASCII characters and '+' in tag values are written as they are, not \u-escaped.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A signed token: what GetOpenIdToken and the developer flow return.</summary>
    public IssuedToken Issue(
        IdentityPool pool, Identity identity, IReadOnlyList<ValidatedLogin> logins, TimeSpan lifetime,
        IReadOnlyDictionary<string, string>? principalTags = null)
    {
        var claims = Claims(pool, identity, logins, lifetime, principalTags);
        return new IssuedToken(claims.Sign(), DateTimeOffset.FromUnixTimeSeconds(claims.Expires));
    }

    /// <param name="principalTags">
    /// Session tags for STS, written as Cognito does under <c>https://aws.amazon.com/tags</c>; merged over the tags the logins
    /// carry themselves (developer PrincipalTags).
    /// </param>
    public BrokerTokenClaims Claims(
        IdentityPool pool, Identity identity, IReadOnlyList<ValidatedLogin> logins, TimeSpan lifetime,
        IReadOnlyDictionary<string, string>? principalTags = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(logins);
        var authenticated = identity.IsAuthenticated;
        var now = time.GetUtcNow();
        var audience = BrokerClaims.Audience(pool.IdentityPoolId, authenticated);
        var amr = AuthenticationMethods(authenticated, logins);
        var tags = Merge(CarriedTags(logins), principalTags);
        var (issuedAt, expiresAt) = (now.ToUnixTimeSeconds(), (now + lifetime).ToUnixTimeSeconds());
        var poolArn = $"arn:aws:cognito-identity:{options.Value.Region}:{options.Value.AccountId}:identitypool/{pool.IdentityPoolId}";
        return new BrokerTokenClaims(keys.Signer, issuer.Url, identity.IdentityId, audience, amr, issuedAt, expiresAt, poolArn, tags);
    }

    /// <summary>
    /// The claims in the order and form JsonWebTokenHandler wrote them for the broker before (iss, sub, aud, amr, iat, exp,
    /// pool ARN, tags), so the tokens' bytes did not change with the writer.
    /// </summary>
    internal static ReadOnlyMemory<byte> Payload(BrokerTokenClaims claims)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString(JwtRegisteredClaimNames.Iss, claims.Issuer);
        writer.WriteString(JwtRegisteredClaimNames.Sub, claims.Subject);
        writer.WriteString(JwtRegisteredClaimNames.Aud, claims.Audience);
        writer.WriteStartArray(JwtRegisteredClaimNames.Amr);
        foreach (var method in claims.Amr)
        {
            writer.WriteStringValue(method);
        }

        writer.WriteEndArray();
        writer.WriteNumber(JwtRegisteredClaimNames.Iat, claims.IssuedAt);
        writer.WriteNumber(JwtRegisteredClaimNames.Exp, claims.Expires);
        writer.WriteString(BrokerClaims.IdentityPoolArn, claims.PoolArn);
        if (claims.Tags.Count > 0)
        {
            WriteTags(writer, claims.Tags);
        }

        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenMemory;
    }

    /// <summary><c>{"principal_tags": {"k": ["v"]}}</c>: each value a one-element array (Amazon Cognito Developer Guide, "Using attributes for access control").</summary>
    private static void WriteTags(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> tags)
    {
        writer.WriteStartObject(BrokerClaims.Tags);
        writer.WriteStartObject("principal_tags");
        foreach (var (key, value) in tags)
        {
            writer.WriteStartArray(key);
            writer.WriteStringValue(value);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static Dictionary<string, string>? CarriedTags(IReadOnlyList<ValidatedLogin> logins)
    {
        Dictionary<string, string>? tags = null;
        foreach (var (key, value) in logins.Where(l => l.PrincipalTags is not null).SelectMany(l => l.PrincipalTags!))
        {
            (tags ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = value;
        }

        return tags;
    }

    private static Dictionary<string, string>? Merge(Dictionary<string, string>? carried, IReadOnlyDictionary<string, string>? mapped)
    {
        if (mapped is null || mapped.Count == 0)
        {
            return carried;
        }

        var merged = carried ?? new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in mapped)
        {
            merged[key] = value;
        }

        return merged;
    }

    /// <summary>["unauthenticated"] or ["authenticated", every provider used, every provider-qualified subject].</summary>
    private static string[] AuthenticationMethods(bool authenticated, IReadOnlyList<ValidatedLogin> logins)
    {
        if (!authenticated)
        {
            return [BrokerClaims.Unauthenticated];
        }

        var amr = new List<string>(1 + (2 * logins.Count)) { BrokerClaims.Authenticated };
        amr.AddRange(logins.Select(l => l.ProviderKey).Distinct(StringComparer.Ordinal));
        amr.AddRange(logins.Select(l => l.AuthenticationReference));
        return [.. amr];
    }
}
