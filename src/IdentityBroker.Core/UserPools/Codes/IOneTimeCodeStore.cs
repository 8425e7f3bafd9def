namespace IdentityBroker.UserPools.Codes;

/// <summary>
/// A code as stored: never the code itself, only a salted SHA-256 of it (<see cref="OneTimeCodes"/>).
/// </summary>
/// <param name="Key">The subject's key (<see cref="CodeSubject.Key"/>), unique in its pool.</param>
/// <param name="CodeId">Random per issued code: a check that took an attempt on one code can only consume that code, not its replacement.</param>
/// <param name="AttemptsLeft">Checks this code still allows; each check takes one, right or wrong.</param>
public sealed record StoredCode(string Key, string CodeId, byte[] Salt, byte[] Hash, DateTimeOffset ExpiresAt, int AttemptsLeft);

public enum CodeAttemptStatus
{
    /// <summary>An attempt was taken (counted): <see cref="CodeAttempt.Code"/> is the code to compare with.</summary>
    Taken,

    /// <summary>No code: never issued, used already, or its pool deleted.</summary>
    Missing,

    /// <summary>The code's ExpiresAt has passed.</summary>
    Expired,

    /// <summary>The code has no attempts left; it stays void until a new code replaces it.</summary>
    Exhausted,
}

public sealed record CodeAttempt(CodeAttemptStatus Status, StoredCode? Code);

/// <summary>
/// Where one-time codes live. Taking an attempt and consuming a code are atomic, so that concurrent guesses never get
/// more comparisons than the code's attempts, and a code is accepted at most once.
/// </summary>
public interface IOneTimeCodeStore
{
    /// <summary>Stores <paramref name="code"/>, replacing the pool's code with the same key. Codes expired before <paramref name="now"/> may be forgotten.</summary>
    Task PutCodeAsync(string userPoolId, StoredCode code, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Atomically: when the code exists, is not expired at <paramref name="now"/> and has attempts left, takes one and returns the code as it was.</summary>
    Task<CodeAttempt> TakeCodeAttemptAsync(string userPoolId, string key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Atomically deletes the code with this key if it is still the code <paramref name="codeId"/>.</summary>
    /// <returns>True for the one caller that deleted it.</returns>
    Task<bool> ConsumeCodeAsync(string userPoolId, string key, string codeId, CancellationToken cancellationToken);

    /// <summary>Deletes the code with this key, whichever it is (e.g. when the user is deleted or confirmed otherwise).</summary>
    Task DeleteCodeAsync(string userPoolId, string key, CancellationToken cancellationToken);
}
