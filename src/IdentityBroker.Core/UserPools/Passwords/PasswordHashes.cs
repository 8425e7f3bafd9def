using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityBroker.UserPools.Passwords;

/// <summary>What checking a password against a stored hash found.</summary>
public enum PasswordCheck
{
    Mismatch,
    Match,

    /// <summary>The password is right but the hash is of an older format or a lower cost: store <see cref="PasswordHashes.Hash"/> anew.</summary>
    MatchRehashNeeded,
}

/// <summary>
/// Hashes and checks user-pool passwords with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (a maintained
/// PBKDF2 implementation with a versioned format), at the cost of <see cref="PasswordHashingOptions"/>. The clear
/// password goes in and is never kept, returned or logged.
/// </summary>
public sealed class PasswordHashes
{
    private static readonly HashSubject Subject = new();
    private readonly PasswordHasher<HashSubject> _hasher;

    public PasswordHashes(IOptions<PasswordHashingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _hasher = new PasswordHasher<HashSubject>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = options.Value.IterationCount,
        }));
    }

    public string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return _hasher.HashPassword(Subject, password);
    }

    public PasswordCheck Verify(string storedHash, string password)
    {
        ArgumentNullException.ThrowIfNull(storedHash);
        ArgumentNullException.ThrowIfNull(password);
        PasswordVerificationResult result;
        try
        {
            result = _hasher.VerifyHashedPassword(Subject, storedHash, password);
        }
        catch (FormatException)
        {
            // PasswordHasher base64-decodes without checking; a stored value that is not base64 matches no password,
            // and a sign-in must not fail with an exception over it (the user resets the password).
            return PasswordCheck.Mismatch;
        }

        return result switch
        {
            PasswordVerificationResult.Success => PasswordCheck.Match,
            PasswordVerificationResult.SuccessRehashNeeded => PasswordCheck.MatchRehashNeeded,
            _ => PasswordCheck.Mismatch,
        };
    }

    /// <summary>
    /// PasswordHistorySize: true when <paramref name="password"/> matches one of the last <paramref name="size"/> hashes
    /// (newest first). Cognito then answers InvalidPasswordException; see <see cref="ReusedPasswordClause"/>.
    /// </summary>
    public bool IsInHistory(string password, IEnumerable<string> newestFirst, int size)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        return newestFirst.Take(size).Any(hash => Verify(hash, password) != PasswordCheck.Mismatch);
    }

    /// <summary>The clause the broker names for a reused password (AWS's exact wording is not published).</summary>
    public const string ReusedPasswordClause = "Password has previously been used";

    /// <summary>PasswordHasher needs a user type; the format does not use it.</summary>
    private sealed class HashSubject;
}
