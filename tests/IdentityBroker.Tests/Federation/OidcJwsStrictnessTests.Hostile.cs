using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace IdentityBroker.Tests.Federation;

/// <summary>
/// Issue 17's hostile-input catalogue for JWTs (docs/hostile-input.md): each case is refused by the one JWT reader, and
/// where the defect is a header the broker ignores, a control shows the same header on a properly signed token passes.
/// </summary>
public sealed partial class OidcJwsStrictnessTests
{
    private readonly RSA _attacker = RSA.Create(2048);
    private readonly RSA _weak = RSA.Create(1024);

    [OneTimeTearDown]
    public void DisposeHostileKeys()
    {
        _attacker.Dispose();
        _weak.Dispose();
    }

    [TestCase("jwk")]
    [TestCase("jku")]
    [TestCase("x5u")]
    [TestCase("x5c")]
    public async Task Key_named_in_the_header_is_ignored_so_a_token_it_signs_is_refused(string member)
    {
        _idp.Keys.Add(RsaJwk("r1", "RS256"));
        var header = Header("RS256", "r1") + "," + AttackerKeyHeader(member);

        // The header itself is harmless: the provider's own signature under it passes.
        Success(await ValidateAsync(Token(header, Payload(), RsaSign(HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))));

        var forged = Token(header, Payload(), data => _attacker.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Failure(await ValidateAsync(forged), NotVerified);

        // Without a kid, the attacker's key still is not among the candidates.
        var noKid = $"\"alg\":\"RS256\",\"typ\":\"JWT\"," + AttackerKeyHeader(member);
        Failure(await ValidateAsync(Token(noKid, Payload(), data => _attacker.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))), NotVerified);
        Assert.That(_idp.Attempts, Is.EqualTo(2), "only the provider's discovery document and JWKS were fetched, never a URL of the header");
    }

    [TestCase("../../../../etc/passwd", TestName = "Kid like a path is refused")]
    [TestCase("r1' OR '1'='1", TestName = "Kid like SQL is refused")]
    [TestCase("r1\\u0000", TestName = "Kid with a NUL is refused")]
    [TestCase("LONG", TestName = "Kid of 10 KB is refused")]
    public async Task Hostile_kid_finds_no_key(string kid)
    {
        kid = kid == "LONG" ? new string('k', 10 * 1024) : kid;
        _idp.Keys.Add(RsaJwk("r1", "RS256"));
        var token = Token(Header("RS256", kid), Payload(), RsaSign(HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Failure(await ValidateAsync(token), NotVerified);
    }

    [TestCase("42")]
    [TestCase("null")]
    [TestCase("[\"r1\"]")]
    [TestCase("{\"kid\":\"r1\"}")]
    [TestCase("true")]
    public async Task Kid_that_is_not_a_string_is_not_a_token(string kidJson)
    {
        _idp.Keys.Add(RsaJwk("r1", "RS256"));
        var token = Token($"\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":{kidJson}", Payload(), RsaSign(HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Failure(await ValidateAsync(token), NotAToken);
    }

    [TestCase("rs256")]
    [TestCase("Rs256")]
    [TestCase("RS256 ")]
    [TestCase("None")]
    [TestCase("NONE")]
    [TestCase("nOnE")]
    [TestCase("")]
    public async Task Alg_spelled_otherwise_is_refused(string alg)
    {
        _idp.Keys.Add(RsaJwk("r1", alg: null));
        var token = Token($"\"alg\":\"{alg}\",\"typ\":\"JWT\",\"kid\":\"r1\"", Payload(), RsaSign(HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Failure(await ValidateAsync(token), NotVerified);
    }

    [TestCase("\"typ\":\"JWT\",\"kid\":\"r1\"", TestName = "Absent alg is not a token")]
    [TestCase("\"alg\":256,\"typ\":\"JWT\",\"kid\":\"r1\"", TestName = "Numeric alg is not a token")]
    [TestCase("\"alg\":null,\"typ\":\"JWT\",\"kid\":\"r1\"", TestName = "Null alg is not a token")]
    public async Task Alg_absent_or_not_a_string_is_not_a_token(string header)
    {
        _idp.Keys.Add(RsaJwk("r1", "RS256"));
        Failure(await ValidateAsync(Token(header, Payload(), RsaSign(HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))), NotAToken);
    }

    [Test]
    public async Task Symmetric_oct_key_in_the_jwks_verifies_nothing()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        _idp.Keys.Add(new Dictionary<string, string> { ["kty"] = "oct", ["use"] = "sig", ["kid"] = "h1", ["alg"] = "HS256", ["k"] = Jws.B64(secret) });

        // Signed with the very secret the provider publishes: HS256 is not an algorithm the broker accepts.
        Failure(await ValidateAsync(Token(Header("HS256", "h1"), Payload(), data => HMACSHA256.HashData(secret, data))), NotVerified);

        // And the oct key is no candidate for an asymmetric alg under its kid either.
        Failure(await ValidateAsync(Token(Header("RS256", "h1"), Payload(), RsaSign(HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))), NotVerified);
    }

    [Test]
    public async Task Rsa_key_under_2048_bits_verifies_nothing()
    {
        var p = _weak.ExportParameters(false);
        _idp.Keys.Add(new Dictionary<string, string> { ["kty"] = "RSA", ["use"] = "sig", ["kid"] = "weak", ["alg"] = "RS256", ["n"] = Jws.B64(p.Modulus!), ["e"] = Jws.B64(p.Exponent!) });
        _idp.Keys.Add(RsaJwk("r1", "RS256"));
        var weak = Token(Header("RS256", "weak"), Payload(), data => _weak.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Failure(await ValidateAsync(weak), NotVerified);
        Success(await ValidateAsync(Token(Header("RS256", "r1"), Payload(), RsaSign(HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))));
    }

    [Test]
    public async Task Several_audiences_without_azp_are_refused()
    {
        _idp.Keys.Add(RsaJwk("r1", "RS256"));
        var sign = RsaSign(HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var payload = Payload().Replace("\"aud\":\"app-1\"", "\"aud\":[\"app-1\",\"another-app\"]", StringComparison.Ordinal);
        var refused = await ValidateAsync(Token(Header("RS256", "r1"), payload, sign));
        Assert.That(refused.IsSuccess, Is.False, "a token for several audiences without azp was accepted");
        Assert.That(refused.Error!.Message, Is.EqualTo("Token is not from a supported provider of this identity pool."));

        // The same audiences with azp naming the pool's client: the party the token was issued to is known.
        Success(await ValidateAsync(Token(Header("RS256", "r1"), payload + ",\"azp\":\"app-1\"", sign)));
    }

    [Test]
    public async Task Five_part_jwe_is_not_a_token()
    {
        _idp.Keys.Add(RsaJwk("r1", "RS256"));
        var header = Jws.B64(Encoding.UTF8.GetBytes("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\",\"kid\":\"r1\"}"));
        var parts = new[] { header, Jws.B64(RandomNumberGenerator.GetBytes(256)), Jws.B64(RandomNumberGenerator.GetBytes(12)), Jws.B64(RandomNumberGenerator.GetBytes(64)), Jws.B64(RandomNumberGenerator.GetBytes(16)) };
        Failure(await ValidateAsync(string.Join('.', parts)), NotAToken);

        // A three-part token whose header says enc (a JWE header on a JWS shape) is no token either.
        var signed = Token("\"alg\":\"RS256\",\"enc\":\"A256GCM\",\"kid\":\"r1\"", Payload(), RsaSign(HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Failure(await ValidateAsync(signed), NotAToken);
    }

    [Test]
    public async Task Ecdsa_signature_of_r_and_s_zero_is_refused()
    {
        // CVE-2022-21449 ("psychic signatures"): r = s = 0 verified anything in Java 15-18's ECDSA.
        _idp.Keys.Add(EcJwk(_p256, "e1", "P-256", "ES256"));
        Success(await ValidateAsync(Token(Header("ES256", "e1"), Payload(), data => _p256.SignData(data, HashAlgorithmName.SHA256))));
        Failure(await ValidateAsync(Token(Header("ES256", "e1"), Payload(), _ => new byte[64])), NotVerified);

        // r = s = n, the order of P-256: zero modulo n, the same forgery written another way.
        var n = Convert.FromHexString("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
        Failure(await ValidateAsync(Token(Header("ES256", "e1"), Payload(), _ => [.. n, .. n])), NotVerified);
    }

    /// <summary>A header member naming the attacker's key: embedded (jwk, x5c) or by URL (jku, x5u).</summary>
    private string AttackerKeyHeader(string member)
    {
        var p = _attacker.ExportParameters(false);
        return member switch
        {
            "jwk" => $"\"jwk\":{{\"kty\":\"RSA\",\"kid\":\"r1\",\"n\":\"{Jws.B64(p.Modulus!)}\",\"e\":\"{Jws.B64(p.Exponent!)}\"}}",
            "jku" => "\"jku\":\"https://attacker.example.net/jwks.json\"",
            "x5u" => "\"x5u\":\"https://attacker.example.net/cert.pem\"",
            _ => $"\"x5c\":[\"{AttackerCertificate()}\"]",
        };
    }

    private string AttackerCertificate()
    {
        var request = new CertificateRequest("CN=idp.example.com", _attacker, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(_time.GetUtcNow().AddDays(-1), _time.GetUtcNow().AddYears(1));
        return Convert.ToBase64String(certificate.RawData);
    }
}
