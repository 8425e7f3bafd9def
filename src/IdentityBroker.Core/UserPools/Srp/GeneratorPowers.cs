using System.Numerics;

namespace IdentityBroker.UserPools.Srp;

/// <summary>
/// g^e mod N for exponents of up to 256 bits by a fixed-base table (HAC 14.109, window of 4 bits): entry [i][j] is
/// g^(j·16^i), so g^e is the product of one entry per hex digit of e — 63 modular multiplications instead of the ~380
/// of a square-and-multiply ModPow. The base never changes, so the 1,024 entries (about 400 KB) are computed once.
/// </summary>
internal static class GeneratorPowers
{
    public const int MaxExponentBits = 256;
    private const int WindowBits = 4;
    private const int Digits = MaxExponentBits / WindowBits;
    private const int DigitValues = 1 << WindowBits;

    private static readonly BigInteger[][] Table = Build();

    public static BigInteger Pow(BigInteger exponent)
    {
        if (exponent.Sign < 0 || exponent.GetBitLength() > MaxExponentBits)
        {
            throw new ArgumentOutOfRangeException(nameof(exponent), "The table covers exponents of 0 to 256 bits.");
        }

        Span<byte> bytes = stackalloc byte[MaxExponentBits / 8];
        exponent.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        var n = SrpGroup.N;
        var result = BigInteger.One;
        for (var i = 0; i < Digits; i++)
        {
            var digit = (bytes[i / 2] >> (i % 2 * WindowBits)) & (DigitValues - 1);
            if (digit != 0)
            {
                result = result * Table[i][digit] % n;
            }
        }

        return result;
    }

    private static BigInteger[][] Build()
    {
        var n = SrpGroup.N;
        var table = new BigInteger[Digits][];
        var digitBase = SrpGroup.G; // g^(16^i)
        for (var i = 0; i < Digits; i++)
        {
            var row = new BigInteger[DigitValues];
            row[0] = BigInteger.One;
            for (var j = 1; j < DigitValues; j++)
            {
                row[j] = row[j - 1] * digitBase % n;
            }

            table[i] = row;
            digitBase = row[DigitValues - 1] * digitBase % n;
        }

        return table;
    }
}
