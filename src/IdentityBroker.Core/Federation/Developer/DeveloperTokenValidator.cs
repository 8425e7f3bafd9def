using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Federation.Jwt;
using IdentityBroker.Pools;
using IdentityBroker.Tokens;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Federation.Developer;

/// <summary>
/// The broker's own OpenID token presented under <c>cognito-identity.amazonaws.com</c> (or the broker's issuer host),
/// as apps do after GetOpenIdTokenForDeveloperIdentity (Amazon Cognito Developer Guide, "Developer-authenticated identities"). Read by <see cref="JwtReader"/> with
/// <see cref="JwtRules.BrokerLogin"/>: the broker's algorithms and key ring, <c>iss</c> = the broker, <c>aud</c> = this
/// pool (guest tokens, whose audience differs, are refused), not expired, <c>sub</c> present. The result proves exactly
/// the identity in <c>sub</c> and is never linked as a login. Anything else under the key is "Invalid login token. Not a
/// Cognito token." (Cognito's wording, as quoted in public AWS SDK issue reports), an expired token "Invalid login token. Token expired.".
/// </summary>
public sealed class DeveloperTokenValidator(BrokerIssuer issuer, JwtReader reader, IOptions<BrokerOptions> options) : ILoginValidator
{
    public const string CognitoProviderKey = "cognito-identity.amazonaws.com";

    public ValueTask<bool> HandlesAsync(IdentityPool pool, string providerKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(IsCognitoKey(providerKey));

    public async ValueTask<Result<ValidatedLogin>> ValidateAsync(IdentityPool pool, string providerKey, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(options);
        if (!issuer.IsResolved)
        {
            return NotACognitoToken();
        }

        var read = await reader.ReadAsync(token, JwtRules.BrokerLogin(issuer.Url, pool.IdentityPoolId, options.Value.Oidc), cancellationToken);
        if (read.Token is { } jwt)
        {
            return Proof(pool, providerKey, jwt);
        }

        return read.Failure!.Kind == JwtFailureKind.Expired ? CognitoErrors.InvalidLoginToken("Token expired.") : NotACognitoToken();
    }

    /// <summary>True for the keys under which the broker accepts its own tokens.</summary>
    public bool IsCognitoKey(string providerKey) =>
        string.Equals(providerKey, CognitoProviderKey, StringComparison.Ordinal)
        || (issuer.IsResolved && string.Equals(providerKey, issuer.HostPath, StringComparison.Ordinal));

    /// <summary>
    /// The login the token stands for: its developer provider and <c>&lt;provider&gt;:&lt;pool id&gt;:&lt;user&gt;</c>
    /// entry when its <c>amr</c> has them (so the token minted for STS carries the same <c>amr</c>), and its principal tags.
    /// </summary>
    private static ValidatedLogin Proof(IdentityPool pool, string providerKey, VerifiedJwt jwt)
    {
        using var payload = JsonDocument.Parse(jwt.Claims.Payload);
        var amr = Strings(payload.RootElement, "amr");
        var developer = pool.DeveloperProviderName;
        var provider = developer is not null && amr.Contains(developer, StringComparer.Ordinal) ? developer : providerKey;
        var reference = amr.FirstOrDefault(a => a.StartsWith(provider + ":", StringComparison.Ordinal)) ?? provider;
        return new ValidatedLogin(provider, jwt.Subject, reference, jwt.ClaimMap())
        {
            ProvenIdentityId = jwt.Subject,
            ExpiresAt = jwt.ExpiresAt,
            PrincipalTags = ReadTags(payload.RootElement),
        };
    }

    private static List<string> Strings(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];

    private static Dictionary<string, string>? ReadTags(JsonElement payload)
    {
        if (!payload.TryGetProperty(BrokerClaims.Tags, out var claim) || claim.ValueKind != JsonValueKind.Object
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

    private static AwsError NotACognitoToken() => CognitoErrors.InvalidLoginToken("Not a Cognito token.");
}
