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
/// </summary>
public sealed class UnknownUsers(PasswordHashes hashes, SignInSessions sessions)
{
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

        var bytes = (await sessions.DeriveAsync($"userid/{pool.Id}/{name}", cancellationToken).ConfigureAwait(false))[..16];
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
}
