using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Codes;

namespace IdentityBroker.UserPools.SignIn;

/// <summary>
/// The <c>Session</c> string between the calls of one sign-in: a <see cref="SignInSession"/> sealed with AES-256-GCM under
/// one broker key kept in the store (purpose <see cref="Purpose"/>, created on first use, first writer wins), so every
/// replica opens what another sealed, and nothing a client changes survives the tag. It is bound to the pool, client,
/// user and challenge it was issued for and expires after the app client's AuthSessionValidity (3–15 minutes, model
/// AuthSessionValidityType; 3 by default). Where a replay would matter (the password
/// proof) it is used once: <see cref="MarkAsync"/> stores a mark in the one-time code store and <see cref="UseOnceAsync"/>
/// removes it; only the one caller that removes it proceeds.
/// </summary>
public sealed class SignInSessions(IKeyStore keys, IOneTimeCodeStore marks, TimeProvider time)
{
    public const string Purpose = "userpool-signin-session";

    /// <summary>Cognito's default AuthSessionValidity.</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromMinutes(Pools.UserPoolClientSettings.DefaultAuthSessionValidity);

    private const byte Version = 1;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private static readonly byte[] AssociatedData = Encoding.ASCII.GetBytes(Purpose + "/v1");

    private byte[]? _key;

    /// <summary>A new session of <paramref name="client"/> for <paramref name="challenge"/>, expiring after the client's AuthSessionValidity.</summary>
    public SignInSession New(Pools.UserPoolClient client, string sub, string username, string challenge)
    {
        ArgumentNullException.ThrowIfNull(client);
        return New(client.UserPoolId, client.ClientId, client.Settings.SignInSessionValidity, sub, username, challenge);
    }

    /// <summary>A new session for <paramref name="challenge"/>, expiring <paramref name="validity"/> from now.</summary>
    public SignInSession New(string userPoolId, string clientId, TimeSpan validity, string sub, string username, string challenge) =>
        new(userPoolId, clientId, sub, username, challenge, time.GetUtcNow() + validity, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)))
        {
            Validity = validity,
        };

    public async Task<string> SealAsync(SignInSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        var plain = JsonSerializer.SerializeToUtf8Bytes(session, SignInSessionJsonContext.Default.SignInSession);
        var sealedBytes = new byte[1 + NonceBytes + TagBytes + plain.Length];
        sealedBytes[0] = Version;
        var nonce = sealedBytes.AsSpan(1, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(1 + NonceBytes + TagBytes), sealedBytes.AsSpan(1 + NonceBytes, TagBytes), AssociatedData);
        return Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>
    /// The session <paramref name="sealedSession"/> carries when it is intact, unexpired, and was issued to
    /// <paramref name="clientId"/> for <paramref name="challenge"/>; otherwise <see cref="SignInErrors.InvalidSession"/>.
    /// </summary>
    public async Task<Result<SignInSession>> OpenAsync(string? sealedSession, string clientId, string challenge, CancellationToken cancellationToken)
    {
        var session = await TryOpenAsync(sealedSession, cancellationToken).ConfigureAwait(false);
        return session is not null && session.ClientId == clientId && session.Challenge == challenge && time.GetUtcNow() < session.ExpiresAt
            ? session
            : SignInErrors.InvalidSession;
    }

    /// <summary>
    /// As <see cref="OpenAsync"/> for a call that names no client (AssociateSoftwareToken and VerifySoftwareToken with an
    /// MFA_SETUP Session): the Session itself says which client and pool it belongs to.
    /// </summary>
    public async Task<Result<SignInSession>> OpenAnyClientAsync(string? sealedSession, string challenge, CancellationToken cancellationToken)
    {
        var session = await TryOpenAsync(sealedSession, cancellationToken).ConfigureAwait(false);
        return session is not null && session.Challenge == challenge && time.GetUtcNow() < session.ExpiresAt ? session : SignInErrors.InvalidSession;
    }

    /// <summary>Records that <paramref name="session"/> may be used once (before it is handed out).</summary>
    public Task MarkAsync(SignInSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var mark = new StoredCode(MarkKey(session), session.Id, [], [], session.ExpiresAt, 1);
        return marks.PutCodeAsync(session.UserPoolId, mark, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>True for the one caller that uses the session; false when it was used (or never marked).</summary>
    public Task<bool> UseOnceAsync(SignInSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return marks.ConsumeCodeAsync(session.UserPoolId, MarkKey(session), session.Id, cancellationToken);
    }

    /// <summary>HMAC-SHA256 of <paramref name="label"/> under the broker's session key: stable across replicas and restarts, unknowable outside.</summary>
    internal async Task<byte[]> DeriveAsync(string label, CancellationToken cancellationToken)
    {
        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("derive/" + label));
    }

    private static string MarkKey(SignInSession session) =>
        new CodeSubject(session.UserPoolId, session.Sub, CodePurpose.SignInSession, session.Id).Key;

    private async Task<SignInSession?> TryOpenAsync(string? sealedSession, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sealedSession) || sealedSession.Length > 2048)
        {
            return null;
        }

        var bytes = new byte[Base64Url.GetMaxDecodedLength(sealedSession.Length)];
        if (!Base64Url.IsValid(sealedSession) || !Base64Url.TryDecodeFromChars(sealedSession, bytes, out var length) || length <= 1 + NonceBytes + TagBytes || bytes[0] != Version)
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
            return JsonSerializer.Deserialize(plain, SignInSessionJsonContext.Default.SignInSession);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private async Task<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        if (_key is { } cached)
        {
            return cached;
        }

        var stored = await keys.GetKeysAsync(Purpose, cancellationToken).ConfigureAwait(false);
        if (stored.Count == 0)
        {
            // A fixed id: replicas creating it at once keep the first (the store refuses a second key with the same id).
            await keys.TryAddKeyAsync(new StoredKey(Purpose, Purpose, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), time.GetUtcNow()),
                cancellationToken).ConfigureAwait(false);
            stored = await keys.GetKeysAsync(Purpose, cancellationToken).ConfigureAwait(false);
        }

        var key = Convert.FromBase64String(stored.OrderBy(k => k.CreatedAt).ThenBy(k => k.KeyId, StringComparer.Ordinal).First().Material);
        _key = key;
        return key;
    }
}
