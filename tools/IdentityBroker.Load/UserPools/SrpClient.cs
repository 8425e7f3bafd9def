using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using IdentityBroker.UserPools.Srp;

namespace IdentityBroker.Load.UserPools;

/// <summary>
/// The client half of USER_SRP_AUTH as amazon-cognito-identity-js computes it (AuthenticationHelper): A = g^a, then from
/// the challenge x = H(PAD(salt) | H(poolName | userId | ":" | password)), u = H(PAD(A) | PAD(B)),
/// S = (B − k·g^x)^(a + u·x) mod N, key = HKDF(PAD(S), salt PAD(u), "Caldera Derived Key", 16 bytes) and the HMAC claim.
/// The group constants, the padding and the HMAC layout come from the broker's <see cref="SrpGroup"/> and
/// <see cref="SrpServer.Signature"/>; the exponentiations are computed here, in the load generator, and are its cost.
/// </summary>
public sealed class SrpClient
{
    private static readonly byte[] DerivedKeyInfo = Encoding.UTF8.GetBytes("Caldera Derived Key");

    private readonly BigInteger _a;

    /// <summary>One a per client: each sign-in still gets a fresh B and S from the server; only the generator saves g^a.</summary>
    public SrpClient()
    {
        _a = SrpGroup.Random(32);
        A = BigInteger.ModPow(SrpGroup.G, _a, SrpGroup.N);
        SrpA = SrpGroup.PadHex(A);
    }

    public BigInteger A { get; }

    public string SrpA { get; }

    /// <summary>The PASSWORD_VERIFIER ChallengeResponses for a challenge (SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP).</summary>
    public Dictionary<string, string> Answer(string poolName, string userIdForSrp, string password, string saltHex, string srpBHex, string secretBlock, DateTimeOffset now)
    {
        var n = SrpGroup.N;
        var salt = Hex(saltHex);
        var b = Hex(srpBHex);
        var u = SrpGroup.HashToInteger(SrpGroup.Pad(A), SrpGroup.Pad(b));
        var x = SrpGroup.HashToInteger(SrpGroup.Pad(salt), SrpGroup.Hash(Encoding.UTF8.GetBytes(poolName + userIdForSrp + ":" + password)));
        var gx = BigInteger.ModPow(SrpGroup.G, x, n);
        var @base = ((b - (SrpGroup.K * gx)) % n + n) % n;
        var s = BigInteger.ModPow(@base, _a + (u * x), n);
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, SrpGroup.Pad(s), 16, SrpGroup.Pad(u), DerivedKeyInfo);
        var timestamp = CognitoTimestamp.ToText(now);
        var signature = SrpServer.Signature(key, poolName, userIdForSrp, Convert.FromBase64String(secretBlock), timestamp);
        return new Dictionary<string, string>
        {
            ["USERNAME"] = userIdForSrp,
            ["PASSWORD_CLAIM_SECRET_BLOCK"] = secretBlock,
            ["PASSWORD_CLAIM_SIGNATURE"] = Convert.ToBase64String(signature),
            ["TIMESTAMP"] = timestamp,
        };
    }

    private static BigInteger Hex(string hex) =>
        SrpGroup.ParseHex(hex, 1024) ?? throw new InvalidOperationException("The challenge carries a value that is not hex.");
}
