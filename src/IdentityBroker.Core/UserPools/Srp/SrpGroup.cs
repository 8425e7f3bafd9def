using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;

namespace IdentityBroker.UserPools.Srp;

/// <summary>
/// The SRP-6a group and hash Cognito's USER_SRP_AUTH uses: the 3072-bit prime of RFC 5054 Appendix A (also RFC 3526
/// group 15), generator 2, SHA-256, and every number turned into bytes the way amazon-cognito-identity-js's
/// <c>AuthenticationHelper.padHex</c> does it.
/// </summary>
public static class SrpGroup
{
    private const string PrimeHex =
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1" +
        "29024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
        "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245" +
        "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
        "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D" +
        "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
        "83655D23DCA3AD961C62F356208552BB9ED529077096966D" +
        "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
        "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9" +
        "DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
        "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64" +
        "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
        "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B" +
        "F12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
        "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31" +
        "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

    /// <summary>The 3072-bit safe prime N.</summary>
    public static BigInteger N { get; } = BigInteger.Parse("0" + PrimeHex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    /// <summary>The generator g = 2.</summary>
    public static BigInteger G { get; } = 2;

    /// <summary>
    /// k = H(N | g) with both numbers in padHex form (N gets a leading 00 byte, g is the single byte 02): the library's
    /// value, not RFC 5054's H(N | PAD(g)) where g is left-padded to the length of N.
    /// </summary>
    public static BigInteger K { get; } = HashToInteger(Pad(N), Pad(G));

    /// <summary>
    /// The bytes of padHex(n) for n ≥ 0: the minimal big-endian two's-complement encoding, so a number whose top bit is
    /// set gets a leading 00 byte (Java's BigInteger.toByteArray(), which the library imitates).
    /// </summary>
    public static byte[] Pad(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "SRP values on the server side are never negative.");
        }

        return value.ToByteArray(isUnsigned: false, isBigEndian: true);
    }

    /// <summary>padHex(n) as the lower-case hex string the library writes.</summary>
    public static string PadHex(BigInteger value) => Convert.ToHexStringLower(Pad(value));

    /// <summary>
    /// Reads a hex string the way the library's <c>new BigInteger(hex, 16)</c> does, as a non-negative number. Null for
    /// anything but 1 to <paramref name="maxDigits"/> hex digits.
    /// </summary>
    public static BigInteger? ParseHex(string? hex, int maxDigits)
    {
        if (string.IsNullOrEmpty(hex) || hex.Length > maxDigits || !hex.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        return BigInteger.Parse("0" + hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    /// <summary>SHA-256 over the concatenated parts, read as an unsigned big-endian number.</summary>
    public static BigInteger HashToInteger(params ReadOnlySpan<byte[]> parts) =>
        new(Hash(parts), isUnsigned: true, isBigEndian: true);

    public static byte[] Hash(params ReadOnlySpan<byte[]> parts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts)
        {
            sha.AppendData(part);
        }

        return sha.GetHashAndReset();
    }

    /// <summary>A uniformly random number of <paramref name="bytes"/> bytes, read as unsigned.</summary>
    public static BigInteger Random(int bytes) =>
        new(RandomNumberGenerator.GetBytes(bytes), isUnsigned: true, isBigEndian: true);
}
