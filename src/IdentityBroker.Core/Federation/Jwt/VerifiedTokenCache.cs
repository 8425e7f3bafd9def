using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using IdentityBroker.Observability;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Federation.Jwt;

/// <summary>
/// Remembers which tokens' signatures a key set has verified, so that the same token presented again (GetId then
/// GetCredentialsForIdentity of one sign-in; an SDK refreshing credentials with a token it still holds) skips the
/// signature check. <c>Broker:Tokens:VerifiedTokenCacheSize</c> entries at most; 0 turns it off (docs/performance.md,
/// "The verified-token cache").
/// </summary>
/// <remarks>
/// <para>What is cached is only "the signature of exactly these bytes verified with this key set": the key is the SHA-256 of
/// the whole token (header, payload and signature — never a prefix, kid or sub), so a token differing in one byte, its
/// signature included, is verified afresh. Every other check runs on each request before the cache is asked
/// (<see cref="JwtReader"/>): the issuer kind's rule, built from the pool's current provider configuration; alg, iss,
/// required claims and lifetime on the clock; the audience for this pool afterwards.</para>
/// <para>An entry is valid only with the very <see cref="JwsVerifier"/> instance that verified it, which is what the request
/// fetches anew from its key source: a JWKS refresh (scheduled, or forced by an unknown kid) or a rotation of the broker's
/// own ring builds a new instance, so a key removed from an issuer's JWKS stops validating cached tokens at the same moment it
/// stops validating new ones. An entry also ends at the token's <c>exp</c>.</para>
/// </remarks>
public sealed class VerifiedTokenCache
{
    /// <summary>Tokens longer than this are hashed from a pooled buffer rather than the stack.</summary>
    private const int StackLimit = 4096;

    private readonly ConcurrentDictionary<TokenDigest, Entry> _entries = new();
    private readonly ConcurrentQueue<TokenDigest> _order = new();
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private readonly BrokerMetrics? _metrics;

    public VerifiedTokenCache(IOptions<BrokerOptions> options, TimeProvider time, BrokerMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _capacity = options.Value.Tokens.VerifiedTokenCacheSize;
        _time = time;
        _metrics = metrics;
    }

    /// <summary>Tokens held now (at most the configured size).</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// The signature check of <paramref name="token"/> by <paramref name="verifier"/>, answered from the cache when the same
    /// bytes were verified by the same key set and the token has not expired; only a verified signature is remembered.
    /// </summary>
    internal JwsCheck Verify(JwsVerifier verifier, CompactJws jws, string token)
    {
        if (_capacity == 0)
        {
            return verifier.Verify(jws, token);
        }

        var digest = TokenDigest.Of(token);
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (_entries.TryGetValue(digest, out var entry))
        {
            if (ReferenceEquals(entry.Verifier, verifier) && now < entry.Expires)
            {
                _metrics?.VerifiedTokenCacheLookup(hit: true);
                return JwsCheck.Verified;
            }

            _entries.TryRemove(new KeyValuePair<TokenDigest, Entry>(digest, entry));
        }

        _metrics?.VerifiedTokenCacheLookup(hit: false);
        var check = verifier.Verify(jws, token);
        if (check == JwsCheck.Verified && jws.Claims.Expiry is { } expires && now < expires)
        {
            Add(digest, new Entry(verifier, expires));
        }

        return check;
    }

    private void Add(TokenDigest digest, Entry entry)
    {
        if (!_entries.TryAdd(digest, entry))
        {
            _entries[digest] = entry;
            return;
        }

        // Oldest first. The queue may still name entries already dropped (expired or replaced); counting those too keeps
        // both the queue and the dictionary within the bound.
        _order.Enqueue(digest);
        while (_order.Count > _capacity && _order.TryDequeue(out var oldest))
        {
            _entries.TryRemove(oldest, out _);
        }
    }

    private sealed record Entry(JwsVerifier Verifier, long Expires);

    /// <summary>The SHA-256 of a token's UTF-8 bytes.</summary>
    private readonly record struct TokenDigest(UInt128 High, UInt128 Low)
    {
        public static TokenDigest Of(string token)
        {
            var length = Encoding.UTF8.GetByteCount(token);
            byte[]? rented = null;
            var buffer = length <= StackLimit ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length));
            try
            {
                var written = Encoding.UTF8.GetBytes(token, buffer);
                Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
                SHA256.HashData(buffer[..written], hash);
                var halves = MemoryMarshal.Cast<byte, UInt128>(hash);
                return new TokenDigest(halves[0], halves[1]);
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }
    }
}
