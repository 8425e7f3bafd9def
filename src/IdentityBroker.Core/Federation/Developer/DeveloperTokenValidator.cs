using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Federation.Oidc;
using IdentityBroker.Pools;
using IdentityBroker.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Federation.Developer;

/// <summary>
/// The broker's own OpenID token presented under <c>cognito-identity.amazonaws.com</c> (or the broker's issuer host),
/// as apps do after GetOpenIdTokenForDeveloperIdentity (notes §2.3, §5). Checks: RS512, <c>iss</c> = the broker,
/// signature by one of the broker's keys, <c>aud</c> = this pool (guest tokens, whose audience differs, are refused),
/// not expired, <c>sub</c> present. The result proves exactly the identity in <c>sub</c> and is never linked as a login.
/// Anything else under the key is "Invalid login token. Not a Cognito token." (notes §1.2).
/// </summary>
public sealed class DeveloperTokenValidator(BrokerIssuer issuer, SigningKeyRing keys, TimeProvider time) : ILoginValidator
{
    public const string CognitoProviderKey = "cognito-identity.amazonaws.com";

    private const int MaxTokenLength = 50_000;

    private static readonly JsonWebTokenHandler Handler = new() { MaximumTokenSizeInBytes = MaxTokenLength };

    public ValueTask<bool> HandlesAsync(IdentityPool pool, string providerKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(IsCognitoKey(providerKey));

    public async ValueTask<Result<ValidatedLogin>> ValidateAsync(IdentityPool pool, string providerKey, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var jwt = Read(token);
        if (jwt is null || !SigningKeyRing.SupportedAlgorithms.Contains(jwt.Alg) || !issuer.Matches(jwt.Issuer ?? string.Empty))
        {
            return NotACognitoToken();
        }

        var result = await Handler.ValidateTokenAsync(token, Parameters(pool)).ConfigureAwait(false);
        if (!result.IsValid || string.IsNullOrEmpty(jwt.Subject))
        {
            return NotACognitoToken();
        }

        // Checked on the injected clock (IdentityModel reads the system clock).
        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var exp) || time.GetUtcNow().ToUnixTimeSeconds() >= exp)
        {
            return CognitoErrors.InvalidLoginToken("Token expired.");
        }

        return Proof(pool, providerKey, jwt);
    }

    /// <summary>True for the keys under which the broker accepts its own tokens.</summary>
    public bool IsCognitoKey(string providerKey) =>
        string.Equals(providerKey, CognitoProviderKey, StringComparison.Ordinal)
        || (issuer.IsResolved && string.Equals(providerKey, issuer.HostPath, StringComparison.Ordinal));

    private TokenValidationParameters Parameters(IdentityPool pool) => new()
    {
        ValidIssuer = issuer.Url,
        ValidAudience = pool.IdentityPoolId,
        ValidAlgorithms = [.. SigningKeyRing.SupportedAlgorithms],
        IssuerSigningKeys = keys.VerificationKeys,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = false,
    };

    /// <summary>
    /// The login the token stands for: its developer provider and <c>&lt;provider&gt;:&lt;pool id&gt;:&lt;user&gt;</c>
    /// entry when its <c>amr</c> has them (so the token minted for STS carries the same <c>amr</c>), and its principal tags.
    /// </summary>
    private static ValidatedLogin Proof(IdentityPool pool, string providerKey, JsonWebToken jwt)
    {
        var amr = jwt.TryGetPayloadValue<string[]>(JwtRegisteredClaimNames.Amr, out var methods) ? methods : [];
        var developer = pool.DeveloperProviderName;
        var provider = developer is not null && amr.Contains(developer, StringComparer.Ordinal) ? developer : providerKey;
        var reference = amr.FirstOrDefault(a => a.StartsWith(provider + ":", StringComparison.Ordinal)) ?? provider;
        var claims = TokenClaims.Flatten(jwt.EncodedPayload);
        return new ValidatedLogin(provider, jwt.Subject, reference, claims)
        {
            ProvenIdentityId = jwt.Subject,
            PrincipalTags = ReadTags(jwt.EncodedPayload),
        };
    }

    private static Dictionary<string, string>? ReadTags(string encodedPayload)
    {
        using var document = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(encodedPayload));
        if (!document.RootElement.TryGetProperty(BrokerClaims.Tags, out var claim) || claim.ValueKind != JsonValueKind.Object
            || !claim.TryGetProperty("principal_tags", out var tags) || tags.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags.EnumerateObject())
        {
            if (tag.Value.ValueKind == JsonValueKind.Array && tag.Value.GetArrayLength() > 0 && tag.Value[0].ValueKind == JsonValueKind.String)
            {
                result[tag.Name] = tag.Value[0].GetString()!;
            }
        }

        return result;
    }

    private static JsonWebToken? Read(string token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return null;
        }

        try
        {
            var jwt = new JsonWebToken(token);
            return jwt.IsEncrypted ? null : jwt;
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            return null;
        }
    }

    private static AwsError NotACognitoToken() => CognitoErrors.InvalidLoginToken("Not a Cognito token.");
}
