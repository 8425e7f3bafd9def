using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using IdentityBroker.UserPools.Srp;

namespace IdentityBroker.Tests.UserPools.Srp;

/// <summary>
/// The client side of USER_SRP_AUTH written from amazon-cognito-identity-js's AuthenticationHelper and CognitoUser
/// (S = (B − k·g^x)^(a + u·x) mod N), so the .NET tests can play the client. The node compat test plays it with the real
/// library.
/// </summary>
internal sealed class SrpTestClient
{
    private readonly BigInteger _a;

    public SrpTestClient(BigInteger? a = null)
    {
        _a = a ?? SrpGroup.Random(128);
        LargeA = BigInteger.ModPow(SrpGroup.G, _a, SrpGroup.N);
    }

    public BigInteger LargeA { get; }

    public string SrpA => LargeA.ToString("x", System.Globalization.CultureInfo.InvariantCulture).TrimStart('0');

    public byte[] SessionKey(string poolName, string userIdForSrp, string password, string srpB, string saltHex)
    {
        var n = SrpGroup.N;
        var b = SrpGroup.ParseHex(srpB, 1024)!.Value;
        var salt = SrpGroup.ParseHex(saltHex, 1024)!.Value;
        var u = SrpGroup.HashToInteger(SrpGroup.Pad(LargeA), SrpGroup.Pad(b));
        var inner = SHA256.HashData(Encoding.UTF8.GetBytes(poolName + userIdForSrp + ":" + password));
        var x = SrpGroup.HashToInteger(SrpGroup.Pad(salt), inner);
        var baseValue = ((b - SrpGroup.K * BigInteger.ModPow(SrpGroup.G, x, n)) % n + n) % n;
        var s = BigInteger.ModPow(baseValue, _a + u * x, n);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, SrpGroup.Pad(s), 16, SrpGroup.Pad(u), Encoding.UTF8.GetBytes("Caldera Derived Key"));
    }

    public PasswordClaim Claim(string poolName, string userIdForSrp, string password, SrpChallenge challenge, string timestamp)
    {
        var key = SessionKey(poolName, userIdForSrp, password, challenge.SrpB, challenge.Salt);
        var signature = SrpServer.Signature(key, poolName, userIdForSrp, Convert.FromBase64String(challenge.SecretBlock), timestamp);
        return new PasswordClaim(challenge.SecretBlock, timestamp, Convert.ToBase64String(signature));
    }
}
