using IdentityBroker.Errors;
using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Srp;

namespace IdentityBroker.UserPools.Users;

/// <summary>
/// Sets a user's password: checks the pool's policy and history, then derives the hash and the SRP verifier from the one
/// password together (docs/user-pools.md, "SRP"). The clear password is used here and nowhere else.
/// </summary>
public sealed class UserPasswords(PasswordHashes hashes, TimeProvider time)
{
    /// <summary>The user with <paramref name="password"/> set, temporary (expiring per the policy) or permanent.</summary>
    public Result<PoolUser> Set(UserPool pool, PoolUser user, string password, bool temporary)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        var policy = pool.Settings.PasswordPolicy;
        if (PasswordPolicyCheck.Check(policy, password) is { } weak)
        {
            return weak;
        }

        var history = HistoryWithCurrent(user, policy.PasswordHistorySize);
        if (hashes.IsInHistory(password, history, policy.PasswordHistorySize))
        {
            return new AwsError("PasswordHistoryPolicyViolationException",
                "Password did not conform with policy: " + PasswordHashes.ReusedPasswordClause);
        }

        var now = time.GetUtcNow();
        // USER_ID_FOR_SRP is the username Cognito keeps (the sub for a pool with UsernameAttributes).
        var credential = new PasswordCredential(
            hashes.Hash(password),
            SrpVerifier.Create(PoolName(pool.Id), user.Username, password),
            now,
            temporary ? policy.TemporaryPasswordExpiry(now) : null);
        return user with { Password = credential, PasswordHistory = history };
    }

    /// <summary>The part of the pool id after the underscore, as SRP hashes it.</summary>
    public static string PoolName(string userPoolId) => userPoolId[(userPoolId.IndexOf('_', StringComparison.Ordinal) + 1)..];

    /// <summary>The current password joins the history (newest first), which keeps as many as the policy asks.</summary>
    private static List<string> HistoryWithCurrent(PoolUser user, int size)
    {
        var history = user.Password is { } current ? user.PasswordHistory.Prepend(current.Hash) : user.PasswordHistory;
        return [.. history.Take(size)];
    }
}
