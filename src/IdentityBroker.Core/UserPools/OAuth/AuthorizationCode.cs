using System.Text.Json.Serialization;

namespace IdentityBroker.UserPools.OAuth;

/// <summary>
/// An authorization code as stored: never the code itself, only its SHA-256 (<see cref="CodeHash"/>), and everything the
/// token endpoint must check it against (RFC 6749 §4.1.3, RFC 7636 §4.6) and write into the tokens.
/// </summary>
/// <param name="CodeHash">Lower-case hex SHA-256 of the code; the store's key within the pool.</param>
/// <param name="Scopes">The validated scopes of the authorize request.</param>
/// <param name="AuthTime">When the user authenticated (the tokens' <c>auth_time</c>).</param>
/// <param name="ExpiresAt">Issue time plus <see cref="AuthorizationCodes.Lifetime"/>.</param>
public sealed record AuthorizationCode(
    string UserPoolId,
    string CodeHash,
    string ClientId,
    string RedirectUri,
    IReadOnlyList<string> Scopes,
    string Sub,
    DateTimeOffset AuthTime,
    DateTimeOffset ExpiresAt,
    string? Nonce = null,
    string? CodeChallenge = null,
    string? CodeChallengeMethod = null);

/// <summary>Where authorization codes live until redeemed. Taking a code is atomic: of two concurrent redemptions one gets it.</summary>
public interface IAuthorizationCodeStore
{
    /// <summary>Stores a new code. Codes expired before <paramref name="now"/> may be forgotten.</summary>
    Task PutAuthorizationCodeAsync(AuthorizationCode code, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Atomically removes and returns the pool's code with this hash; null when there is none (never issued, or taken already).</summary>
    Task<AuthorizationCode?> TakeAuthorizationCodeAsync(string userPoolId, string codeHash, CancellationToken cancellationToken);
}

/// <summary>Source-generated JSON of the OAuth documents the stores keep.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuthorizationCode))]
[JsonSerializable(typeof(HostedSessionTicket))]
[JsonSerializable(typeof(Domains.UserPoolDomain))]
[JsonSerializable(typeof(ResourceServers.ResourceServer))]
public sealed partial class OAuthStoreJsonContext : JsonSerializerContext;
