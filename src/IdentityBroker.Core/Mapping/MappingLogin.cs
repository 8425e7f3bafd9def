using IdentityBroker.Federation;

namespace IdentityBroker.Mapping;

/// <summary>
/// What role mapping and principal tags read of one login: its Logins key and its claims (multi-valued claims as several
/// values). Built from a <see cref="ValidatedLogin"/> on the request path, or from an operator's claims document in the
/// simulator (which never mints).
/// </summary>
public sealed record MappingLogin(string ProviderKey, IReadOnlyDictionary<string, IReadOnlyList<string>> Claims)
{
    public static MappingLogin From(ValidatedLogin login)
    {
        ArgumentNullException.ThrowIfNull(login);
        return new MappingLogin(login.ProviderKey, login.Claims) { Payload = login.ClaimsPayload };
    }

    /// <summary>
    /// A login from a claims document (the simulator's pasted claims): read as a validated JWT payload is, so that expression
    /// rules see its arrays and objects as they would in a token (<c>"admins" in claims.groups</c>).
    /// </summary>
    public static MappingLogin FromClaimsJson(string providerKey, byte[] claimsJson)
    {
        ArgumentNullException.ThrowIfNull(claimsJson);
        return new MappingLogin(providerKey, Federation.Jwt.TokenClaims.Flatten(claimsJson)) { Payload = claimsJson };
    }

    /// <summary>The validated JWT payload (or a simulated claims document), for expression rules; null for other logins.</summary>
    public byte[]? Payload { get; init; }

    /// <returns>The claim's values, or null when the token does not carry it.</returns>
    public IReadOnlyList<string>? Claim(string name) =>
        Claims.TryGetValue(name, out var values) && values.Count > 0 ? values : null;

    /// <summary>The token's audiences (a user-pool ID token's <c>aud</c> is its app client id).</summary>
    public IReadOnlyList<string> Audiences => Claim("aud") ?? [];
}
