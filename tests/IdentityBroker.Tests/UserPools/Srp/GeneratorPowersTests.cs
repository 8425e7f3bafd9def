using System.Numerics;
using System.Security.Cryptography;
using IdentityBroker.UserPools.Srp;

namespace IdentityBroker.Tests.UserPools.Srp;

public sealed class GeneratorPowersTests
{
    private static IEnumerable<TestCaseData> Exponents()
    {
        yield return new TestCaseData(BigInteger.Zero).SetName("Zero");
        yield return new TestCaseData(BigInteger.One).SetName("One");
        yield return new TestCaseData(new BigInteger(16)).SetName("Sixteen");
        yield return new TestCaseData(BigInteger.Pow(2, 256) - 1).SetName("All 256 bits set");
        yield return new TestCaseData(BigInteger.Pow(2, 255)).SetName("Top bit only");
        for (var i = 0; i < 20; i++)
        {
            yield return new TestCaseData(new BigInteger(RandomNumberGenerator.GetBytes(32), isUnsigned: true)).SetName($"Random {i}");
        }
    }

    [TestCaseSource(nameof(Exponents))]
    public void Table_power_equals_ModPow(BigInteger exponent) =>
        Assert.That(GeneratorPowers.Pow(exponent), Is.EqualTo(BigInteger.ModPow(SrpGroup.G, exponent, SrpGroup.N)));

    [Test]
    public void Exponent_over_256_bits_is_refused() =>
        Assert.That(() => GeneratorPowers.Pow(BigInteger.Pow(2, 256)), Throws.TypeOf<ArgumentOutOfRangeException>());
}
