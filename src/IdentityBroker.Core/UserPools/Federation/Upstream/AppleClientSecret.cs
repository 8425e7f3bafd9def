using System.Security.Cryptography;
using System.Text.Json;
using IdentityBroker.Tokens;

namespace IdentityBroker.UserPools.Federation.Upstream;

/// <summary>
/// Sign in with Apple has no static client secret: the code is redeemed with a JWT the client makes (Apple's "Creating a
/// client secret"): header <c>alg</c> ES256 and <c>kid</c> (the provider's key_id); claims <c>iss</c> (team_id),
/// <c>iat</c>, <c>exp</c>, <c>aud</c> https://appleid.apple.com and <c>sub</c> (client_id); signed with the provider's
/// P-256 private_key (PEM, PKCS #8 as Apple hands it out). It is made for each redemption and lives five minutes.
/// </summary>
internal static class AppleClientSecret
{
    public const string Audience = "https://appleid.apple.com";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>The secret; null when the provider's details hold no usable P-256 key.</summary>
    public static string? Create(PoolIdentityProvider provider, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(provider);
        if (provider.Detail("private_key") is not { } pem || provider.Detail("key_id") is not { } keyId
            || provider.Detail("team_id") is not { } teamId || provider.Detail("client_id") is not { } clientId)
        {
            return null;
        }

        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return null;
        }

        if (key.KeySize != 256)
        {
            return null;
        }

        var payload = JsonSerializer.SerializeToUtf8Bytes(new AppleSecretClaims(teamId, now.ToUnixTimeSeconds(), (now + Lifetime).ToUnixTimeSeconds(),
            Audience, clientId), FederationJsonContext.Default.AppleSecretClaims);
        return JwsSigner.Es256(keyId, key).Sign(payload);
    }
}

internal sealed record AppleSecretClaims(
    [property: System.Text.Json.Serialization.JsonPropertyName("iss")] string Issuer,
    [property: System.Text.Json.Serialization.JsonPropertyName("iat")] long IssuedAt,
    [property: System.Text.Json.Serialization.JsonPropertyName("exp")] long Expires,
    [property: System.Text.Json.Serialization.JsonPropertyName("aud")] string Audience,
    [property: System.Text.Json.Serialization.JsonPropertyName("sub")] string Subject);
