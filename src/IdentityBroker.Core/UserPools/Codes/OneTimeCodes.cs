using System.Security.Cryptography;
using System.Text;

namespace IdentityBroker.UserPools.Codes;

/// <summary>
/// Issues and checks the one-time codes of user pools (docs/user-pools.md, "Messages and codes"): six random digits from
/// the CSPRNG; stored as a salted SHA-256, never in clear; one live code per <see cref="CodeSubject"/> (a new code replaces
/// the previous); valid for <see cref="CodeLifetimes"/>; used once; <see cref="MaxAttempts"/> checks, each taken atomically
/// before comparing, so no concurrency gets more; compared in constant time.
/// </summary>
/// <remarks>
/// A six-digit code has a million values, so its hash would not withstand a search by someone who reads the store: the
/// hash keeps codes out of dumps and logs, and what protects a code is its short life and its attempt limit.
/// </remarks>
public sealed class OneTimeCodes(IOneTimeCodeStore store, TimeProvider time)
{
    /// <summary>Cognito answers LimitExceededException after five wrong codes (aws-amplify/amplify-ui-android#180).</summary>
    public const int MaxAttempts = 5;

    public const int Digits = 6;

    private const int SaltBytes = 16;

    /// <summary>Makes a new code for <paramref name="subject"/>, replacing any earlier one.</summary>
    /// <returns>The code in clear, to be put in the message and nowhere else.</returns>
    public async Task<string> IssueAsync(CodeSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var now = time.GetUtcNow();
        var stored = new StoredCode(
            subject.Key, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), salt, Hash(salt, code),
            now + CodeLifetimes.Of(subject.Purpose), MaxAttempts);
        await store.PutCodeAsync(subject.UserPoolId, stored, now, cancellationToken).ConfigureAwait(false);
        return code;
    }

    /// <summary>Checks <paramref name="code"/> against the subject's live code; an accepted code is used up.</summary>
    public async Task<CodeCheck> CheckAsync(CodeSubject subject, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(code);
        var attempt = await store.TakeCodeAttemptAsync(subject.UserPoolId, subject.Key, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        switch (attempt.Status)
        {
            case CodeAttemptStatus.Missing or CodeAttemptStatus.Expired:
                return CodeCheck.Expired;
            case CodeAttemptStatus.Exhausted:
                return CodeCheck.AttemptsExhausted;
        }

        var stored = attempt.Code!;
        if (!CryptographicOperations.FixedTimeEquals(Hash(stored.Salt, code), stored.Hash))
        {
            return CodeCheck.Mismatch;
        }

        // Right code: only the caller that removes it is accepted (a concurrent use, or a replacement in between, loses).
        return await store.ConsumeCodeAsync(subject.UserPoolId, subject.Key, stored.CodeId, cancellationToken).ConfigureAwait(false)
            ? CodeCheck.Accepted
            : CodeCheck.Expired;
    }

    private static byte[] Hash(byte[] salt, string code)
    {
        // Bounded input: a wire field longer than any code is hashed as its first 64 characters (it cannot match anyway).
        var text = code.Length > 64 ? code[..64] : code;
        var bytes = new byte[salt.Length + Encoding.UTF8.GetMaxByteCount(text.Length)];
        salt.CopyTo(bytes, 0);
        var length = salt.Length + Encoding.UTF8.GetBytes(text, bytes.AsSpan(salt.Length));
        return SHA256.HashData(bytes.AsSpan(0, length));
    }
}
