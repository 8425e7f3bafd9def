using System.Text.Json.Nodes;

namespace IdentityBroker.UserPools.Triggers;

/// <summary>Claims a pre token generation reply adds or overrides (raw JSON values by name) and suppresses, for one token.</summary>
public sealed record ClaimsChange(IReadOnlyDictionary<string, string> AddOrOverride, IReadOnlyList<string> Suppress)
{
    public static readonly ClaimsChange None = new(new Dictionary<string, string>(StringComparer.Ordinal), []);
}

/// <summary>
/// What a pre token generation reply changes in the ID and access tokens' claims (groups and scopes are applied to the
/// grant itself). Claims the token itself sets cannot be changed: an attempt is ignored, so a function can never rewrite
/// who the token is for, who issued it or when it expires.
/// </summary>
public sealed record TokenClaimsOverride(ClaimsChange Id, ClaimsChange Access)
{
    /// <summary>Claims no reply may add, override or suppress (the token's identity, issuer, audience, times and use).</summary>
    private static readonly HashSet<string> Protected = new(StringComparer.Ordinal)
    {
        "acr", "amr", "aud", "auth_time", "azp", "exp", "iat", "identities", "iss", "jti", "nbf", "nonce", "origin_jti", "sub",
        "token_use", "event_id", "client_id", "scope", "username", "cognito:username", "cognito:groups", "cognito:roles",
        "cognito:preferred_role", "at_hash", "c_hash",
    };

    /// <summary>The token payload with <paramref name="change"/> applied, claims kept in their order and added at the end.</summary>
    public static byte[] Apply(ReadOnlySpan<byte> payload, ClaimsChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var claims = JsonNode.Parse(payload)!.AsObject();
        foreach (var name in change.Suppress.Where(n => !Protected.Contains(n)))
        {
            claims.Remove(name);
        }

        foreach (var (name, json) in change.AddOrOverride.Where(c => !Protected.Contains(c.Key)))
        {
            claims[name] = JsonNode.Parse(json);
        }

        return System.Text.Encoding.UTF8.GetBytes(claims.ToJsonString(new System.Text.Json.JsonSerializerOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }));
    }
}
