using IdentityBroker.Federation;
using IdentityBroker.Identities;
using IdentityBroker.Pools;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Tokens;

public sealed record IssuedToken(string Token, DateTimeOffset Expires);

/// <summary>Signs the broker's OpenID tokens: iss, aud = pool id, sub = identity id, amr, iat, exp (notes §4).</summary>
public sealed class OpenIdTokenIssuer(BrokerIssuer issuer, SigningKeyRing keys, BrokerOptions options, TimeProvider time)
{
    /// <summary>GetOpenIdToken's documented lifetime.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public IssuedToken Issue(IdentityPool pool, Identity identity, IReadOnlyList<ValidatedLogin> logins, TimeSpan lifetime) =>
        Issue(pool, identity, logins, lifetime, null);

    /// <param name="principalTags">
    /// Session tags for <c>https://aws.amazon.com/tags</c>; when null, the tags the logins carry (developer PrincipalTags).
    /// </param>
    public IssuedToken Issue(
        IdentityPool pool, Identity identity, IReadOnlyList<ValidatedLogin> logins, TimeSpan lifetime, IReadOnlyDictionary<string, string>? principalTags)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(logins);
        var authenticated = identity.IsAuthenticated;
        var now = time.GetUtcNow();
        var expires = now + lifetime;
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Iss] = issuer.Url,
            [JwtRegisteredClaimNames.Sub] = identity.IdentityId,
            [JwtRegisteredClaimNames.Aud] = BrokerClaims.Audience(pool.IdentityPoolId, authenticated),
            [JwtRegisteredClaimNames.Amr] = AuthenticationMethods(authenticated, logins),
            [JwtRegisteredClaimNames.Iat] = now.ToUnixTimeSeconds(),
            [JwtRegisteredClaimNames.Exp] = expires.ToUnixTimeSeconds(),
            [BrokerClaims.IdentityPoolArn] = $"arn:aws:cognito-identity:{options.Region}:{options.AccountId}:identitypool/{pool.IdentityPoolId}",
        };
        var tags = principalTags ?? CarriedTags(logins);
        if (tags is { Count: > 0 })
        {
            // {"principal_tags": {"k": ["v"]}} (notes §4, §10.1): what STS turns into session tags.
            claims[BrokerClaims.Tags] = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["principal_tags"] = tags.ToDictionary(t => t.Key, t => (object)new[] { t.Value }, StringComparer.Ordinal),
            };
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = keys.Current,
            TokenType = "JWS",
        };
        return new IssuedToken(Handler.CreateToken(descriptor), expires);
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
