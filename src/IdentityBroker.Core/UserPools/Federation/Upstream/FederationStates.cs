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

    private const byte Version = 1;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int MaxSealedLength = 8192;
    private static readonly byte[] AssociatedData = Encoding.ASCII.GetBytes(Purpose + "/v1");

    private byte[]? _key;

    /// <summary>A new state with fresh random state, nonce and PKCE verifier (RFC 7636 §4.1: 43 characters of base64url).</summary>
    public FederationState New(string userPoolId, string providerName, string authorizeQuery) => new(
        userPoolId, providerName, authorizeQuery, Random(), Random(), Random(), time.GetUtcNow() + Lifetime);

    /// <summary>RFC 7636 §4.2: the S256 challenge of a verifier.</summary>
    public static string Challenge(string codeVerifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier)));

    public async Task<string> SealAsync(FederationState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        var plain = JsonSerializer.SerializeToUtf8Bytes(state, FederationJsonContext.Default.FederationState);
        var sealedBytes = new byte[1 + NonceBytes + TagBytes + plain.Length];
        sealedBytes[0] = Version;
        var nonce = sealedBytes.AsSpan(1, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(1 + NonceBytes + TagBytes), sealedBytes.AsSpan(1 + NonceBytes, TagBytes), AssociatedData);
        return Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>The state when <paramref name="sealedState"/> is intact, unexpired and of <paramref name="userPoolId"/>; otherwise null.</summary>
    public async Task<FederationState?> OpenAsync(string? sealedState, string userPoolId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sealedState) || sealedState.Length > MaxSealedLength || !Base64Url.IsValid(sealedState))
        {
            return null;
        }

        var bytes = new byte[Base64Url.GetMaxDecodedLength(sealedState.Length)];
        if (!Base64Url.TryDecodeFromChars(sealedState, bytes, out var length) || length <= 1 + NonceBytes + TagBytes || bytes[0] != Version)
        {
            return null;
        }

        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        var plain = new byte[length - 1 - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(bytes.AsSpan(1, NonceBytes), bytes.AsSpan(1 + NonceBytes + TagBytes, plain.Length),
                bytes.AsSpan(1 + NonceBytes, TagBytes), plain, AssociatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        var state = JsonSerializer.Deserialize(plain, FederationJsonContext.Default.FederationState);
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

    private async Task<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        if (_key is { } cached)
        {
            return cached;
        }

        var stored = await keys.GetKeysAsync(Purpose, cancellationToken).ConfigureAwait(false);
        if (stored.Count == 0)
        {
            await keys.TryAddKeyAsync(new StoredKey(Purpose, Purpose, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), time.GetUtcNow()),
                cancellationToken).ConfigureAwait(false);
            stored = await keys.GetKeysAsync(Purpose, cancellationToken).ConfigureAwait(false);
        }

        var key = Convert.FromBase64String(stored.OrderBy(k => k.CreatedAt).ThenBy(k => k.KeyId, StringComparer.Ordinal).First().Material);
        _key = key;
        return key;
    }
}
