namespace IdentityBroker.UserPools.CompromisedPasswords;

/// <summary>What one source of breached passwords says about one password.</summary>
public enum CompromisedVerdict
{
    NotFound,
    Compromised,

    /// <summary>The source could not answer (timeout, HTTP error, missing range file).</summary>
    Unavailable,
}

/// <summary>A source of breached-password hashes, asked by the SHA-1 of the password (40 upper-case hex digits).</summary>
public interface IPwnedPasswordsSource
{
    ValueTask<CompromisedVerdict> LookupAsync(string sha1Hex, CancellationToken cancellationToken);
}
