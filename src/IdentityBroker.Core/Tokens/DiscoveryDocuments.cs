using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Tokens;

internal sealed record JwksDocument([property: JsonPropertyName("keys")] IReadOnlyList<JwkEntry> Keys);

internal sealed record JwkEntry(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("n")] string N,
    [property: JsonPropertyName("e")] string E);

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

    public string OpenIdConfigurationJson() => JsonSerializer.Serialize(
        new DiscoveryDocument(
            issuer.Url,
            issuer.Url + JwksPath,
            ["id_token"],
            ["public"],
            [SigningKeyRing.Algorithm],
            ["iss", "sub", "aud", "amr", "iat", "exp", BrokerClaims.IdentityPoolArn, BrokerClaims.Tags]),
        TokenJsonContext.Default.DiscoveryDocument);

    public string JwksJson()
    {
        var entries = keys.VerificationKeys.Select(ToJwk).ToList();
        return JsonSerializer.Serialize(new JwksDocument(entries), TokenJsonContext.Default.JwksDocument);
    }

    private static JwkEntry ToJwk(RsaSecurityKey key)
    {
        var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
        return new JwkEntry("RSA", SigningKeyRing.Algorithm, "sig", key.KeyId, Base64UrlEncoder.Encode(parameters.Modulus), Base64UrlEncoder.Encode(parameters.Exponent));
    }
}
