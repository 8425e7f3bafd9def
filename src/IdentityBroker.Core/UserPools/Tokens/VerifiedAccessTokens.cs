using System.Collections.Concurrent;

namespace IdentityBroker.UserPools.Tokens;

/// <summary>
/// Access tokens this process has verified (signature under the pool's key, issuer, token_use, claims, scope), keyed by
/// the whole token and kept until the token's <c>exp</c> (issue 19's rule for verify caches: keyed by the whole token,
/// bounded, expiring with it). A hit skips parsing and the RS256 verify; it never skips the revocation check, which
/// <see cref="AccessTokenAuthenticator"/> makes on every call. The pool keys never change in a process
/// (<see cref="UserPoolSigningKeys"/> loads each once), so a hit is what a second verify would answer until <c>exp</c>;
/// after <c>exp</c> the full path decides again (and answers expired).
/// </summary>
public sealed class VerifiedAccessTokens(TimeProvider time)
{
    /// <summary>At most this many tokens are kept; a full cache first forgets the expired, then everything.</summary>
    public const int Capacity = 20_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>The access a token verified earlier speaks for, while it is unexpired; null otherwise.</summary>
    public AuthenticatedAccess? Find(string accessToken)
    {
        if (!_entries.TryGetValue(accessToken, out var entry))
        {
            return null;
        }

        if (time.GetUtcNow() < entry.ExpiresAt)
        {
            return entry.Access;
        }

        _entries.TryRemove(accessToken, out _);
        return null;
    }

    public void Add(string accessToken, AuthenticatedAccess access, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(access);
        if (_entries.Count >= Capacity)
        {
            Trim();
        }

        _entries[accessToken] = new Entry(access, expiresAt);
    }

    private void Trim()
    {
        var now = time.GetUtcNow();
        foreach (var (token, entry) in _entries)
        {
            if (now >= entry.ExpiresAt)
            {
                _entries.TryRemove(token, out _);
            }
        }

        if (_entries.Count >= Capacity)
        {
            // Every kept token is live: start again rather than grow (a miss only costs one verify).
            _entries.Clear();
        }
    }

    private sealed record Entry(AuthenticatedAccess Access, DateTimeOffset ExpiresAt);
}
