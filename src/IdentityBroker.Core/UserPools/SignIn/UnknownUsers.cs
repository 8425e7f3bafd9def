using System.Numerics;
using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Srp;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SignIn;

/// <summary>
/// PreventUserExistenceErrors ENABLED: a name that matches no user must answer like a wrong password, in content and in
/// time. The password flows spend one password verification on a fixed hash at the configured cost; USER_SRP_AUTH
/// answers a PASSWORD_VERIFIER challenge from a salt and verifier derived from the pool and name under the broker's
/// secret (the same name always gets the same salt, as a real user does), whose answer then fails as a wrong password.
/// Each such failure is counted for the name (<see cref="ISignInFailureStore"/>) under <see cref="SignInLockout"/>'s rule,
/// with one store write as a user's failure costs, so an unknown name locks out as a user does and costs the same store work.
/// </summary>
public sealed class UnknownUsers(PasswordHashes hashes, SignInSessions sessions, ISignInFailureStore failures, TimeProvider time)
{
    /// <summary>How often a failure is counted again after losing a compare-and-set to a concurrent one.</summary>
    private const int Attempts = 5;

    private readonly Lazy<string> _decoyHash = new(() => hashes.Hash(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));

    /// <summary>The work of one password check, with no answer: the caller refuses anyway.</summary>
    public void SpendPasswordCheck(string password) => _ = hashes.Verify(_decoyHash.Value, password);

    /// <summary>
    /// The USER_ID_FOR_SRP to show for an unknown <paramref name="name"/>: the name itself, or for a pool that signs in by
    /// email or phone (whose users' ids are UUIDs) a UUID derived from it, so that the form does not tell either.
    /// </summary>
    public async Task<string> UserIdAsync(UserPool pool, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.UsernameAttributes is not { Count: > 0 })
        {
            return name;
        }

        // Derived from the name as the pool folds it, so that the spellings of one name get one id, as a user's do.
        var folded = UserKeys.Key(pool, UserKeys.UsernameKind, name);
        var bytes = (await sessions.DeriveAsync($"userid/{pool.Id}/{folded}", cancellationToken).ConfigureAwait(false))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40); // RFC 9562 version 4 and variant bits, as the pool's subs carry
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }

    /// <summary>A salt and verifier for <paramref name="userId"/> in the pool that no password opens, the same on every call.</summary>
    public async Task<SrpVerifier> VerifierAsync(string userPoolId, string userId, CancellationToken cancellationToken)
    {
        var seed = await sessions.DeriveAsync($"srp/{userPoolId}/{userId}", cancellationToken).ConfigureAwait(false);
        var salt = new BigInteger(seed.AsSpan(0, 16), isUnsigned: true, isBigEndian: true);
        var x = new BigInteger(seed.AsSpan(), isUnsigned: true, isBigEndian: true);
        // v = g^x from the fixed-base table, as cheap as a real user's stored verifier is to read.
        return new SrpVerifier(SrpGroup.PadHex(salt), SrpGroup.PadHex(GeneratorPowers.Pow(x)));
    }

    /// <summary>The verifier of a known user; a user without a password gets one no password opens.</summary>
    public Task<SrpVerifier> VerifierOfAsync(PoolUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Password is { } password ? Task.FromResult(password.Srp) : VerifierAsync(user.UserPoolId, user.Username, cancellationToken);
    }

    /// <summary>The failures counted for the unknown <paramref name="userId"/> (<see cref="UserIdAsync"/>) in the pool.</summary>
    public async Task<UnknownName> FindAsync(UserPool pool, string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var key = UserKeys.Key(pool, UserKeys.UsernameKind, userId);
        return new UnknownName(pool.Id, key, await failures.GetSignInFailuresAsync(pool.Id, key, time.GetUtcNow(), cancellationToken).ConfigureAwait(false));
    }

    public bool IsLockedOut(UnknownName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return SignInLockout.IsLockedOut(name.Failures, time.GetUtcNow());
    }

    /// <summary>Counts one more failure for <paramref name="name"/> by compare-and-set: one write, as a user's failure.</summary>
    public async Task FailedAsync(UnknownName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var current = name.Failures;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var now = time.GetUtcNow();
            var next = SignInLockout.AfterFailure(current, now);
            if (await failures.ReplaceSignInFailuresAsync(name.UserPoolId, name.Key, current, next, SignInLockout.ForgottenAt(next)!.Value, now,
                cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            current = await failures.GetSignInFailuresAsync(name.UserPoolId, name.Key, now, cancellationToken).ConfigureAwait(false);
        }

        // Lost to concurrent failures of the same name five times: those counted; the caller refuses this attempt either way.
    }
}

/// <summary>A name that matches no user, as its failures are kept: the pool, the normalized key and the failures read.</summary>
public sealed record UnknownName(string UserPoolId, string Key, SignInFailures Failures);
