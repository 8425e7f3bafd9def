namespace IdentityBroker.UserPools.Srp;

/// <summary>
/// The server's half of one USER_SRP_AUTH attempt, made by <see cref="SrpServer.Start"/>: the challenge parameters
/// Cognito sends back from InitiateAuth (SRP_B, SALT, SECRET_BLOCK, all strings on the wire) and the 16-byte session key
/// the client must prove it knows. The key stays on the server until the PASSWORD_VERIFIER answer arrives.
/// </summary>
public sealed class SrpChallenge
{
    internal SrpChallenge(string srpB, string salt, string secretBlock, byte[] sessionKey)
    {
        SrpB = srpB;
        Salt = salt;
        SecretBlock = secretBlock;
        SessionKey = sessionKey;
    }

    /// <summary>B in padHex form (lower-case hex).</summary>
    public string SrpB { get; }

    /// <summary>The user's salt, exactly as stored in the <see cref="SrpVerifier"/>.</summary>
    public string Salt { get; }

    /// <summary>Base64 of random bytes; the client signs its decoded bytes and echoes it as PASSWORD_CLAIM_SECRET_BLOCK.</summary>
    public string SecretBlock { get; }

    /// <summary>HKDF-SHA256(ikm = PAD(S), salt = PAD(u), info = "Caldera Derived Key"), 16 bytes.</summary>
    public byte[] SessionKey { get; }

    /// <summary>Never prints the key.</summary>
    public override string ToString() => "SrpChallenge { SrpB = " + SrpB[..Math.Min(8, SrpB.Length)] + "…, SessionKey = … }";
}

/// <summary>The client's PASSWORD_VERIFIER answer: PASSWORD_CLAIM_SECRET_BLOCK, TIMESTAMP, PASSWORD_CLAIM_SIGNATURE.</summary>
public sealed record PasswordClaim(string? SecretBlock, string? Timestamp, string? Signature)
{
    public override string ToString() => "PasswordClaim { Timestamp = " + Timestamp + ", … }";
}
