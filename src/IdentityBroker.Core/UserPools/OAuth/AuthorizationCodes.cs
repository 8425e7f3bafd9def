using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.OAuth;

/// <summary>
/// Issues and redeems authorization codes: 32 random bytes (base64url), stored as a hash, single-use (the store's atomic
/// take), alive <see cref="Lifetime"/> (Cognito: 5 minutes), and redeemed only by the client it was issued to, with the same
/// redirect URI and, when a challenge was sent, the PKCE verifier (RFC 6749 §4.1.3, RFC 7636 §4.6).
/// </summary>
public sealed class AuthorizationCodes(IAuthorizationCodeStore store, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>Stores the code for <paramref name="validated"/> and <paramref name="sub"/> and returns it (the only place the code exists in clear).</summary>
    public async Task<string> IssueAsync(ValidatedAuthorize validated, string sub, DateTimeOffset authTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(validated);
        var code = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var request = validated.Request;
        var now = time.GetUtcNow();
        var stored = new AuthorizationCode(validated.Pool.Id, Hash(code), validated.Client.ClientId, request.RedirectUri, request.Scopes, sub,
            authTime, now + Lifetime, request.Nonce, request.CodeChallenge, request.CodeChallengeMethod);
        await store.PutAuthorizationCodeAsync(stored, now, cancellationToken).ConfigureAwait(false);
        return code;
    }

    /// <summary>
    /// The code's record when every binding holds. The code is taken first, so a failed redemption also spends it (RFC 6749
    /// §4.1.2: a code is used once; a second use is refused whatever the first one's outcome).
    /// </summary>
    public async Task<Result<AuthorizationCode>> RedeemAsync(
        string userPoolId, string clientId, string? code, string? redirectUri, string? codeVerifier, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(code) || code.Length > 256)
        {
            return TokenEndpointErrors.InvalidGrant;
        }

        var stored = await store.TakeAuthorizationCodeAsync(userPoolId, Hash(code), cancellationToken).ConfigureAwait(false);
        if (stored is null || time.GetUtcNow() >= stored.ExpiresAt || stored.ClientId != clientId)
        {
            return TokenEndpointErrors.InvalidGrant;
        }

        if (stored.RedirectUri != redirectUri)
        {
            return TokenEndpointErrors.InvalidGrant;
        }

        if (stored.CodeChallenge is { } challenge && !Pkce.Verifies(codeVerifier, challenge))
        {
            return TokenEndpointErrors.InvalidGrant;
        }

        return stored;
    }

    private static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
}
