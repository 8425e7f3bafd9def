using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace IdentityBroker.Protocol.Signing;

/// <summary>
/// Derived SigV4 signing keys per (secret, date, region, service). Why: the key is four chained HMACs and changes only
/// once a day per caller, while verifying a request needs one more HMAC and one SHA-256; caching removes most of the
/// per-request crypto. Bounded: when full it is emptied (keys are cheap to recompute, and churn means many distinct
/// temporary credentials, for which a precise LRU buys nothing).
/// </summary>
internal sealed class SigningKeyCache(int capacity = 1024)
{
    private readonly ConcurrentDictionary<(string Secret, string Date, string Region, string Service), byte[]> _keys = new();

    public byte[] Get(string secret, string date, string region, string service)
    {
        var cacheKey = (secret, date, region, service);
        if (_keys.TryGetValue(cacheKey, out var key))
        {
            return key;
        }

        key = Derive(secret, date, region, service);
        if (_keys.Count >= capacity)
        {
            _keys.Clear();
        }

        _keys[cacheKey] = key;
        return key;
    }

    public int Count => _keys.Count;

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").</summary>
    internal static byte[] Derive(string secret, string date, string region, string service)
    {
        var secretBytes = Encoding.UTF8.GetBytes("AWS4" + secret);
        Span<byte> a = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Span<byte> b = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secretBytes, Encoding.UTF8.GetBytes(date), a);
        CryptographicOperations.ZeroMemory(secretBytes);
        HMACSHA256.HashData(a, Encoding.UTF8.GetBytes(region), b);
        HMACSHA256.HashData(b, Encoding.UTF8.GetBytes(service), a);
        var signingKey = new byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(a, "aws4_request"u8, signingKey);
        return signingKey;
    }
}
