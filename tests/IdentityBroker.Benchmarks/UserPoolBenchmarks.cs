using System.Numerics;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Srp;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Benchmarks;

/// <summary>
/// The server's cryptography for one user-pool sign-in: SRP's InitiateAuth half (B, u, S and the HKDF key:
/// three 3072-bit modular exponentiations with 256-bit exponents), the PASSWORD_VERIFIER check (one HMAC), one
/// modular exponentiation alone as the bound, and one password verification at the default PasswordHasher cost.
/// </summary>
[MemoryDiagnoser]
public class UserPoolBenchmarks
{
    private const string Pool = "BenchPool1";
    private const string User = "bench-user";
    private const string Password = "Correct-Horse-Battery-9!";

    private SrpVerifier _verifier = null!;
    private string _srpA = null!;
    private SrpChallenge _challenge = null!;
    private PasswordClaim _claim = null!;
    private PasswordHashes _hashes = null!;
    private string _hash = null!;
    private BigInteger _exponent;

    [GlobalSetup]
    public void Setup()
    {
        _verifier = SrpVerifier.Create(Pool, User, Password);
        var a = SrpGroup.Random(128);
        var bigA = BigInteger.ModPow(SrpGroup.G, a, SrpGroup.N);
        _srpA = SrpGroup.PadHex(bigA);
        _challenge = SrpServer.Start(_verifier, _srpA).Value;
        var timestamp = CognitoTimestamp.ToText(DateTimeOffset.UtcNow);
        var signature = SrpServer.Signature(_challenge.SessionKey, Pool, User, Convert.FromBase64String(_challenge.SecretBlock), timestamp);
        _claim = new PasswordClaim(_challenge.SecretBlock, timestamp, Convert.ToBase64String(signature));
        _hashes = new PasswordHashes(Options.Create(new PasswordHashingOptions()));
        _hash = _hashes.Hash(Password);
        _exponent = new BigInteger(RandomNumberGenerator.GetBytes(32), isUnsigned: true);
    }

    [Benchmark(Description = "SRP InitiateAuth: B, u, S, HKDF")]
    public SrpChallenge SrpStart() => SrpServer.Start(_verifier, _srpA).Value;

    [Benchmark(Description = "SRP PASSWORD_VERIFIER check")]
    public bool SrpVerify() => SrpServer.VerifyClaim(_challenge, Pool, User, _claim, TimeProvider.System).IsSuccess;

    [Benchmark(Description = "one 3072-bit ModPow, 256-bit exponent (bound)")]
    public BigInteger ModPow() => BigInteger.ModPow(SrpGroup.G, _exponent, SrpGroup.N);

    [Benchmark(Description = "password verify (PBKDF2-SHA512, 100,000)")]
    public PasswordCheck PasswordVerify() => _hashes.Verify(_hash, Password);
}
