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

    /// <param name="principalTags">
    /// Session tags for STS, written as Cognito does under <c>https://aws.amazon.com/tags</c>; merged over the tags the logins
    /// carry themselves (developer PrincipalTags).
    /// </param>
    public IssuedToken Issue(
        IdentityPool pool, Identity identity, IReadOnlyList<ValidatedLogin> logins, TimeSpan lifetime,
        IReadOnlyDictionary<string, string>? principalTags = null)
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
        var tags = Merge(CarriedTags(logins), principalTags);
        if (tags is { Count: > 0 })
        {
            claims[BrokerClaims.Tags] = TagsClaim(tags);
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

    /// <summary><c>{"principal_tags": {"k": ["v"]}}</c>: each value a one-element array (notes §7).</summary>
    private static Dictionary<string, object> TagsClaim(IReadOnlyDictionary<string, string> tags) => new(StringComparer.Ordinal)
    {
        ["principal_tags"] = tags.ToDictionary(t => t.Key, t => (object)new[] { t.Value }, StringComparer.Ordinal),
    };

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
