using System.Numerics;
using System.Text;

namespace IdentityBroker.UserPools.Srp;

/// <summary>
/// What the pool stores for a password so that USER_SRP_AUTH can run: the salt and v = g^x mod N, both as padHex
/// strings (the salt is sent to the client as SALT exactly so). x = H(PAD(salt) | H(poolName | userIdForSrp | ":" |
/// password)), as <c>AuthenticationHelper.getPasswordAuthenticationKey</c> computes it; poolName is the part of the
/// pool id after the underscore, userIdForSrp is the user name Cognito returns as USER_ID_FOR_SRP.
/// </summary>
public sealed record SrpVerifier(string Salt, string Verifier)
{
    /// <summary>16 random bytes of salt, as the library draws for device verifiers.</summary>
    private const int SaltBytes = 16;

    public static SrpVerifier Create(string poolName, string userIdForSrp, string password) =>
        Create(poolName, userIdForSrp, password, SrpGroup.Random(SaltBytes));

    /// <summary>With a chosen salt, for fixed test vectors.</summary>
    public static SrpVerifier Create(string poolName, string userIdForSrp, string password, BigInteger salt)
    {
        var x = PrivateKey(poolName, userIdForSrp, password, salt);
        var v = BigInteger.ModPow(SrpGroup.G, x, SrpGroup.N);
        return new SrpVerifier(SrpGroup.PadHex(salt), SrpGroup.PadHex(v));
    }

    internal BigInteger SaltValue => SrpGroup.ParseHex(Salt, 512) ?? throw new InvalidOperationException("Stored SRP salt is not hex.");

    internal BigInteger VerifierValue => SrpGroup.ParseHex(Verifier, 1024) ?? throw new InvalidOperationException("Stored SRP verifier is not hex.");

    internal static BigInteger PrivateKey(string poolName, string userIdForSrp, string password, BigInteger salt)
    {
        var inner = SrpGroup.Hash(Encoding.UTF8.GetBytes(poolName + userIdForSrp + ":" + password));
        return SrpGroup.HashToInteger(SrpGroup.Pad(salt), inner);
    }

    /// <summary>Never prints the values: a verifier allows an offline guess of the password.</summary>
    public override string ToString() => "SrpVerifier { Salt = …, Verifier = … }";
}
