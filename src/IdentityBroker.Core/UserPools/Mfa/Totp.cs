using System.Buffers.Binary;
using System.Security.Cryptography;

namespace IdentityBroker.UserPools.Mfa;

/// <summary>
/// RFC 6238 time-based one-time passwords as Cognito's software tokens use them: HMAC-SHA1, 30-second steps from the Unix
/// epoch, 6 digits (RFC 4226 §5.3 dynamic truncation).
/// </summary>
public static class Totp
{
    public const int StepSeconds = 30;

    public const int Digits = 6;

    /// <summary>RFC 6238 §4.2: T = floor((now − T0) / X) with T0 = 0 and X = 30 s.</summary>
    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>The code of <paramref name="step"/> with <paramref name="digits"/> digits (RFC 4226 §5.3).</summary>
    public static string Code(ReadOnlySpan<byte> key, long step, int digits = Digits)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
#pragma warning disable CA5350 // RFC 6238 with SHA-1 is what Cognito's software tokens and every authenticator app use.
        HMACSHA1.HashData(key, counter, hash);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7fffffff;
        var modulus = 1;
        for (var i = 0; i < digits; i++)
        {
            modulus *= 10;
        }

        return (binary % modulus).ToString(new string('0', digits), System.Globalization.CultureInfo.InvariantCulture);
    }
}
