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

    private readonly Sealing.SealedBox _box = new(new Sealing.StoredSecret(keys, time, Purpose), 2048);

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
        return await _box.SealAsync(JsonSerializer.SerializeToUtf8Bytes(session, SignInSessionJsonContext.Default.SignInSession), cancellationToken)
            .ConfigureAwait(false);
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
        var key = await _box.Secret.GetAsync(cancellationToken).ConfigureAwait(false);
        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("derive/" + label));
    }

    private static string MarkKey(SignInSession session) =>
        new CodeSubject(session.UserPoolId, session.Sub, CodePurpose.SignInSession, session.Id).Key;

    private async Task<SignInSession?> TryOpenAsync(string? sealedSession, CancellationToken cancellationToken) =>
        await _box.OpenAsync(sealedSession, cancellationToken).ConfigureAwait(false) is { } plain
            ? JsonSerializer.Deserialize(plain, SignInSessionJsonContext.Default.SignInSession)
            : null;

}
