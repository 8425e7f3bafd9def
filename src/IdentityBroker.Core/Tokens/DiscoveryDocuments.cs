using System.Text.Json;
using System.Text.Json.Serialization;
using IdentityBroker.Protocol.Json;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Tokens;

internal sealed record JwksDocument([property: JsonPropertyName("keys")] IReadOnlyList<JwkEntry> Keys);

/// <summary>An RSA (n, e) or EC (crv, x, y) public key, RFC 7518 §6.</summary>
internal sealed record JwkEntry(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("n"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? N = null,
    [property: JsonPropertyName("e"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? E = null,
    [property: JsonPropertyName("crv"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Crv = null,
    [property: JsonPropertyName("x"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? X = null,
    [property: JsonPropertyName("y"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Y = null);

internal sealed record DiscoveryDocument(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("response_types_supported")] IReadOnlyList<string> ResponseTypesSupported,
    [property: JsonPropertyName("subject_types_supported")] IReadOnlyList<string> SubjectTypesSupported,
    [property: JsonPropertyName("id_token_signing_alg_values_supported")] IReadOnlyList<string> SigningAlgorithms,
    [property: JsonPropertyName("claims_supported")] IReadOnlyList<string> ClaimsSupported);

/// <summary>The broker's OIDC discovery document and JWKS (what AWS IAM fetches when the broker is registered as a provider).</summary>
public sealed class DiscoveryDocuments(BrokerIssuer issuer, SigningKeyRing keys)
{
    public const string JwksPath = "/.well-known/jwks.json";

    public string OpenIdConfigurationJson() => Text(ReplyJson.Serialize(
        new DiscoveryDocument(
            issuer.Url,
            issuer.Url + JwksPath,
            ["id_token"],
            ["public"],
            [keys.Algorithm, .. keys.PublishedKeys.Select(k => k.Algorithm).Where(a => a != keys.Algorithm).Distinct()],
            ["iss", "sub", "aud", "amr", "iat", "exp", BrokerClaims.IdentityPoolArn, BrokerClaims.Tags]),
        TokenJsonContext.Default.DiscoveryDocument));

    public string JwksJson()
    {
        var entries = keys.PublishedKeys.Select(ToJwk).ToList();
        return Text(ReplyJson.Serialize(new JwksDocument(entries), TokenJsonContext.Default.JwksDocument));
    }

    private static string Text(byte[] utf8) => System.Text.Encoding.UTF8.GetString(utf8);

    private static JwkEntry ToJwk(BrokerKey key) => key.Key switch
    {
        RsaSecurityKey rsa => RsaJwk(rsa, key.Algorithm),
        ECDsaSecurityKey ec => EcJwk(ec, key.Algorithm),
        _ => throw new InvalidOperationException($"Key {key.Key.KeyId} is neither RSA nor EC."),
    };

    private static JwkEntry RsaJwk(RsaSecurityKey key, string alg)
    {
        var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
        return new JwkEntry("RSA", alg, "sig", key.KeyId, N: Base64UrlEncoder.Encode(parameters.Modulus), E: Base64UrlEncoder.Encode(parameters.Exponent));
    }

    private static JwkEntry EcJwk(ECDsaSecurityKey key, string alg)
    {
        var parameters = key.ECDsa.ExportParameters(includePrivateParameters: false);
        return new JwkEntry("EC", alg, "sig", key.KeyId, Crv: "P-256", X: Base64UrlEncoder.Encode(parameters.Q.X), Y: Base64UrlEncoder.Encode(parameters.Q.Y));
    }
}
