using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.Srp;

/// <summary>
/// The server side of SRP-6a as Cognito runs USER_SRP_AUTH (RFC 5054 §2.5–2.6 with amazon-cognito-identity-js's
/// encodings): <see cref="Start"/> answers the client's SRP_A, <see cref="VerifyClaim"/> checks the PASSWORD_VERIFIER
/// answer. Costs per sign-in, all in <see cref="Start"/>: two modular exponentiations with 256-bit exponents (v^u and
/// (A·v^u)^b) and g^b from a fixed-base table (<see cref="GeneratorPowers"/>).
/// </summary>
public static class SrpServer
{
    /// <summary>RFC 5054 §2.5.3: the private values a and b SHOULD be at least 256-bit random numbers.</summary>
    private const int PrivateValueBytes = 32;

    /// <summary>An opaque block the client must echo and sign; 64 random bytes bind the signature to this attempt.</summary>
    private const int SecretBlockBytes = 64;

    /// <summary>A is below N (768 hex digits); a few digits of slack allow leading zeros, nothing more.</summary>
    private const int MaxSrpADigits = 776;

    private static readonly byte[] DerivedKeyInfo = Encoding.UTF8.GetBytes("Caldera Derived Key");

    /// <summary>Answers SRP_A with B, the salt and a secret block; computes the session key at once.</summary>
    public static Result<SrpChallenge> Start(SrpVerifier verifier, string? srpA)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        var a = SrpGroup.ParseHex(srpA, MaxSrpADigits);
        if (a is null)
        {
            return UserPoolErrors.InvalidParameter("SRP_A must be a hexadecimal number.");
        }

        BigInteger b;
        BigInteger bigB;
        do
        {
            b = SrpGroup.Random(PrivateValueBytes);
            bigB = PublicValue(verifier.VerifierValue, b);
        }
        while (bigB.IsZero); // B mod N = 0 would let the client skip the password (RFC 5054 §2.5.4 check, server side)

        return Start(verifier, a.Value, b, bigB);
    }

    /// <summary>With a chosen b, for fixed test vectors.</summary>
    internal static Result<SrpChallenge> Start(SrpVerifier verifier, BigInteger a, BigInteger b) =>
        Start(verifier, a, b, PublicValue(verifier.VerifierValue, b));

    /// <summary>
    /// Checks the client's answer against the challenge it was given: the echoed secret block is the one issued, the
    /// TIMESTAMP is well-formed and current, and the signature is base64(HMAC-SHA256(key, poolName | userIdForSrp |
    /// secretBlock | timestamp)), compared in constant time. Every failure is Cognito's one "Incorrect username or
    /// password." so that nothing tells which part was wrong.
    /// </summary>
    public static Result<Unit> VerifyClaim(SrpChallenge issued, string poolName, string userIdForSrp, PasswordClaim claim, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(issued);
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(clock);
        var secretBlock = Convert.FromBase64String(issued.SecretBlock);
        var echoed = TryBase64(claim.SecretBlock, 4096);
        var signature = TryBase64(claim.Signature, 64);
        var expected = Signature(issued.SessionKey, poolName, userIdForSrp, secretBlock, claim.Timestamp ?? "");

        // Evaluate every check before deciding, so the time taken does not say which one failed.
        var blockMatches = echoed is not null & CryptographicOperations.FixedTimeEquals(echoed ?? [], secretBlock);
        var signatureMatches = signature is not null & CryptographicOperations.FixedTimeEquals(signature ?? [], expected);
        var timestampCurrent = CognitoTimestamp.IsCurrent(claim.Timestamp, clock.GetUtcNow());
        return blockMatches & signatureMatches & timestampCurrent ? Unit.Value : UserPoolErrors.IncorrectUsernameOrPassword;
    }

    /// <summary>The PASSWORD_CLAIM_SIGNATURE bytes a client holding <paramref name="key"/> sends.</summary>
    public static byte[] Signature(byte[] key, string poolName, string userIdForSrp, byte[] secretBlock, string timestamp)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(poolName));
        hmac.AppendData(Encoding.UTF8.GetBytes(userIdForSrp));
        hmac.AppendData(secretBlock);
        hmac.AppendData(Encoding.UTF8.GetBytes(timestamp));
        return hmac.GetHashAndReset();
    }

    private static Result<SrpChallenge> Start(SrpVerifier verifier, BigInteger a, BigInteger b, BigInteger bigB)
    {
        var n = SrpGroup.N;

        // RFC 5054 §2.5.4: the host MUST abort if A % N is zero.
        if ((a % n).IsZero)
        {
            return UserPoolErrors.InvalidParameter("SRP_A must not be a multiple of N.");
        }

        var u = SrpGroup.HashToInteger(SrpGroup.Pad(a), SrpGroup.Pad(bigB));
        if (u.IsZero)
        {
            // The library throws "U cannot be zero." on its side; the server refuses the same attempt.
            return UserPoolErrors.InvalidParameter("SRP_A gives a zero scrambling parameter.");
        }

        // S = (A · v^u)^b mod N
        var v = verifier.VerifierValue;
        var s = BigInteger.ModPow(a * BigInteger.ModPow(v, u, n) % n, b, n);
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, SrpGroup.Pad(s), 16, SrpGroup.Pad(u), DerivedKeyInfo);
        var secretBlock = Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBlockBytes));
        return new SrpChallenge(SrpGroup.PadHex(bigB), verifier.Salt, secretBlock, key);
    }

    /// <summary>B = (k·v + g^b) mod N; g^b from the fixed-base table, b being at most 256 bits.</summary>
    private static BigInteger PublicValue(BigInteger v, BigInteger b) =>
        (SrpGroup.K * v + GeneratorPowers.Pow(b)) % SrpGroup.N;

    private static byte[]? TryBase64(string? text, int maxChars)
    {
        if (string.IsNullOrEmpty(text) || text.Length > maxChars)
        {
            return null;
        }

        var buffer = new byte[text.Length * 3 / 4 + 3];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }
}
