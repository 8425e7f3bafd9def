using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IdentityBroker.Storage;

namespace IdentityBroker.UserPools.Federation.Upstream;

/// <summary>
/// Makes and seals <see cref="FederationState"/>s with AES-256-GCM under one broker key kept in the store (purpose
/// <see cref="Purpose"/>, first writer wins), as <see cref="OAuth.HostedSessionTickets"/> seals the hosted session: every
/// replica opens what another sealed, and a changed byte fails the tag. A sign-in at the provider may take
/// <see cref="Lifetime"/>.
/// </summary>
public sealed class FederationStates(IKeyStore keys, TimeProvider time)
{
    public const string Purpose = "userpool-federation-state";

    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly Sealing.SealedBox _box = new(new Sealing.StoredSecret(keys, time, Purpose), 8192);

    /// <summary>A new state with fresh random state, nonce and PKCE verifier (RFC 7636 §4.1: 43 characters of base64url).</summary>
    public FederationState New(string userPoolId, string providerName, string authorizeQuery) => new(
        userPoolId, providerName, authorizeQuery, Random(), Random(), Random(), time.GetUtcNow() + Lifetime);

    /// <summary>RFC 7636 §4.2: the S256 challenge of a verifier.</summary>
    public static string Challenge(string codeVerifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier)));

    public async Task<string> SealAsync(FederationState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        return await _box.SealAsync(JsonSerializer.SerializeToUtf8Bytes(state, FederationJsonContext.Default.FederationState), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The state when <paramref name="sealedState"/> is intact, unexpired and of <paramref name="userPoolId"/>; otherwise null.</summary>
    public async Task<FederationState?> OpenAsync(string? sealedState, string userPoolId, CancellationToken cancellationToken)
    {
        var state = await _box.OpenAsync(sealedState, cancellationToken).ConfigureAwait(false) is { } plain
            ? JsonSerializer.Deserialize(plain, FederationJsonContext.Default.FederationState)
            : null;
        return state is not null && state.UserPoolId == userPoolId && time.GetUtcNow() < state.ExpiresAt ? state : null;
    }

    /// <summary>Constant-time: the <c>state</c> the provider sent back is the one this browser's cookie holds.</summary>
    public static bool SameState(FederationState state, string? returned)
    {
        ArgumentNullException.ThrowIfNull(state);
        return returned is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state.State), Encoding.UTF8.GetBytes(returned));
    }

    private static string Random() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

}
