using System.Security.Cryptography;
using System.Text;
using IdentityBroker.Errors;
using IdentityBroker.Federation;
using IdentityBroker.Federation.Oidc;
using IdentityBroker.Iam;
using IdentityBroker.Pools;
using IdentityBroker.Tests.Iam;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Federation;

/// <summary>
/// What the broker's own JWS check (CompactJws, JwsVerifier) must refuse beyond OidcLoginValidatorTests: each refusal
/// has a control that the same token without the defect is accepted, so a test cannot pass for an unrelated reason.
/// </summary>
[TestFixture]
public sealed partial class OidcJwsStrictnessTests
{
    private const string Issuer = "https://idp.example.com";
    private const string ProviderKey = "idp.example.com";
    private const string ProviderArn = "arn:aws:iam::123456789012:oidc-provider/idp.example.com";
    private const string NotAToken = "Invalid login token. Not a valid OpenId Connect identity token.";
    private const string NotVerified = "Invalid login token. Couldn't verify signed token.";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    private FakeTimeProvider _time = null!;
    private StubOidcProvider _idp = null!;
    private OidcLoginValidator _validator = null!;
    private IdentityPool _pool = null!;

    [SetUp]
    public async Task SetUp()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        _idp = new StubOidcProvider(Issuer);
        var store = new InMemoryIamStore();
        await store.TryCreateOidcProviderAsync(new OidcProvider { Arn = ProviderArn, Url = Issuer, ClientIds = ["app-1"] }, CancellationToken.None);
        var options = Options.Create(new BrokerOptions());
        var directory = new OidcProviderDirectory(store, _time);
        _validator = new OidcLoginValidator(directory, TestJwtReader.Create(_idp, options, _time), options);
        _pool = new IdentityPool { IdentityPoolId = "us-east-1:00000000-0000-0000-0000-000000000002", IdentityPoolName = "p", AllowUnauthenticatedIdentities = false, OpenIdConnectProviderARNs = [ProviderArn] };
    }

    [TearDown]
    public void TearDown() => _idp.Dispose();

    [OneTimeTearDown]
    public void DisposeKeys()
    {
        _rsa.Dispose();
        _p256.Dispose();
        _p384.Dispose();
    }

    [Test]
    public async Task Crit_header_is_refused()
    {
        _idp.Keys.Add(RsaJwk("r1", "RS256"));
        Success(await ValidateAsync(Token(Header("RS256", "r1"), Payload(), RsaSign(HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))));
        var header = Header("RS256", "r1") + ",\"crit\":[\"exp\"]";
        Failure(await ValidateAsync(Token(header, Payload(), RsaSign(HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))), NotVerified);
    }

    [Test]
    public async Task Tokens_of_two_or_four_parts_are_refused()
    {
        _idp.Keys.Add(RsaJwk("r1", "RS256"));
        var token = Token(Header("RS256", "r1"), Payload(), RsaSign(HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Success(await ValidateAsync(token));
        Failure(await ValidateAsync(token[..token.LastIndexOf('.')]), NotAToken);
        Failure(await ValidateAsync(token + "." + token.Split('.')[2]), NotAToken);
        Failure(await ValidateAsync(token + "."), NotAToken);
    }

    [Test]
    public async Task Padding_and_characters_outside_base64url_are_refused()
    {
        _idp.Keys.Add(RsaJwk("r1", "RS256"));
        var parts = Token(Header("RS256", "r1"), Payload(), RsaSign(HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)).Split('.');
        Success(await ValidateAsync(string.Join('.', parts)));

        // A 256-byte signature is 342 base64url characters: standard base64 would pad it with "==".
        Failure(await ValidateAsync($"{parts[0]}.{parts[1]}.{parts[2]}=="), NotAToken);
        Failure(await ValidateAsync($"{parts[0]}.{parts[1]}.+{parts[2][1..]}"), NotAToken);
        Failure(await ValidateAsync($"{parts[0]}.{parts[1]}.{parts[2][..^1]}/"), NotAToken);
        Failure(await ValidateAsync($"{parts[0]}.{parts[1]} .{parts[2]}"), NotAToken);
        Failure(await ValidateAsync($"{parts[0]}.{parts[1]}.{parts[2][..^1]}\n{parts[2][^1]}"), NotAToken);
        Failure(await ValidateAsync($"{parts[0]}.{parts[1]}.{parts[2]}abc"), NotAToken); // 345 = 1 mod 4: no such base64url length.
        Failure(await ValidateAsync($"{parts[0]}.{parts[1]}.{parts[2]}x"), NotAToken); // The last 2 chars become a 3-char group with non-zero unused bits.
    }

    [Test]
    public async Task Es256_signature_of_the_wrong_length_is_refused()
    {
        _idp.Keys.Add(EcJwk(_p256, "e1", "P-256", "ES256"));
        Success(await ValidateAsync(Token(Header("ES256", "e1"), Payload(), data => _p256.SignData(data, HashAlgorithmName.SHA256))));

        // The DER form (what X.509 uses) is valid ECDSA but not the fixed 64-byte r||s of RFC 7518 §3.4.
        var der = Token(Header("ES256", "e1"), Payload(), data => _p256.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Failure(await ValidateAsync(der), NotVerified);

        var shortened = Token(Header("ES256", "e1"), Payload(), data => _p256.SignData(data, HashAlgorithmName.SHA256)[..63]);
        Failure(await ValidateAsync(shortened), NotVerified);
    }

    [Test]
    public async Task Rs256_token_is_not_verified_with_an_ec_key_of_its_kid()
    {
        // Neither JWK names an alg, so only the key family can refuse.
        _idp.Keys.Add(EcJwk(_p256, "shared", "P-256", alg: null));
        var token = Token(Header("RS256", "shared"), Payload(), RsaSign(HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Failure(await ValidateAsync(token), NotVerified);

        _idp.Keys.Add(RsaJwk("shared", alg: null));
        _time.Advance(TimeSpan.FromHours(25)); // Past the JWKS cache lifetime: the next look-up refetches.
        Success(await ValidateAsync(Token(Header("RS256", "shared"), Payload(), RsaSign(HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))));
    }

    [Test]
    public async Task Es256_token_is_not_verified_with_a_p384_key()
    {
        _idp.Keys.Add(EcJwk(_p384, "e3", "P-384", alg: null));
        Success(await ValidateAsync(Token(Header("ES384", "e3"), Payload(), data => _p384.SignData(data, HashAlgorithmName.SHA384))));
        Failure(await ValidateAsync(Token(Header("ES256", "e3"), Payload(), data => _p384.SignData(data, HashAlgorithmName.SHA256))), NotVerified);
    }

    [Test]
    public async Task Alg_other_than_the_jwk_alg_is_refused()
    {
        var ps256 = RsaSign(HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        _idp.Keys.Add(RsaJwk("r1", "RS256"));
        Failure(await ValidateAsync(Token(Header("PS256", "r1"), Payload(), ps256)), NotVerified);

        // The same key and signature verify once the JWK no longer restricts the key to RS256.
        _idp.Keys.Clear();
        _idp.Keys.Add(RsaJwk("r1", alg: null));
        _time.Advance(TimeSpan.FromHours(25));
        Success(await ValidateAsync(Token(Header("PS256", "r1"), Payload(), ps256)));
    }

    [Test]
    public async Task Key_for_encryption_does_not_verify()
    {
        var jwk = RsaJwk("r1", "RS256");
        jwk["use"] = "enc";
        _idp.Keys.Add(jwk);
        Failure(await ValidateAsync(Token(Header("RS256", "r1"), Payload(), RsaSign(HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))), NotVerified);
    }

    [Test]
    public async Task Repeated_claim_or_header_is_refused()
    {
        _idp.Keys.Add(RsaJwk("r1", "RS256"));
        var sign = RsaSign(HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Failure(await ValidateAsync(Token(Header("RS256", "r1"), Payload() + ",\"sub\":\"admin\"", sign)), NotAToken);
        Failure(await ValidateAsync(Token(Header("RS256", "r1") + ",\"alg\":\"none\"", Payload(), sign)), NotAToken);
    }

    [Test]
    public async Task Claims_are_the_flattened_payload()
    {
        _idp.Keys.Add(RsaJwk("r1", "RS256"));
        var login = Success(await ValidateAsync(Token(Header("RS256", "r1"), Payload() + ",\"groups\":[\"a\",\"b\"],\"n\":null", RsaSign(HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))));
        Assert.That(login.Claims["groups"], Is.EqualTo(new[] { "a", "b" }));
        Assert.That(login.Claims["sub"], Is.EqualTo(new[] { "user-1" }));
        Assert.That(login.Claims["n"], Is.Empty);
        Assert.That(login.Claims.ContainsKey("missing"), Is.False);
    }

    private Task<Result<ValidatedLogin>> ValidateAsync(string token) => _validator.ValidateAsync(_pool, ProviderKey, token, CancellationToken.None).AsTask();

    private static string Header(string alg, string kid) => $"\"alg\":\"{alg}\",\"typ\":\"JWT\",\"kid\":\"{kid}\"";

    private string Payload()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        return $"\"iss\":\"{Issuer}\",\"aud\":\"app-1\",\"sub\":\"user-1\",\"iat\":{now},\"exp\":{now + 600}";
    }

    /// <summary>A compact JWS of the given header and payload members (raw JSON, so repeated names can be written).</summary>
    private static string Token(string headerMembers, string payloadMembers, Func<byte[], byte[]> sign)
    {
        var input = Jws.B64(Encoding.UTF8.GetBytes("{" + headerMembers + "}")) + "." + Jws.B64(Encoding.UTF8.GetBytes("{" + payloadMembers + "}"));
        return input + "." + Jws.B64(sign(Encoding.ASCII.GetBytes(input)));
    }

    private Func<byte[], byte[]> RsaSign(HashAlgorithmName hash, RSASignaturePadding padding) => data => _rsa.SignData(data, hash, padding);

    private Dictionary<string, string> RsaJwk(string kid, string? alg)
    {
        var p = _rsa.ExportParameters(false);
        var jwk = new Dictionary<string, string> { ["kty"] = "RSA", ["use"] = "sig", ["kid"] = kid, ["n"] = Jws.B64(p.Modulus!), ["e"] = Jws.B64(p.Exponent!) };
        return WithAlg(jwk, alg);
    }

    private static Dictionary<string, string> EcJwk(ECDsa key, string kid, string crv, string? alg)
    {
        var p = key.ExportParameters(false);
        var jwk = new Dictionary<string, string> { ["kty"] = "EC", ["use"] = "sig", ["kid"] = kid, ["crv"] = crv, ["x"] = Jws.B64(p.Q.X!), ["y"] = Jws.B64(p.Q.Y!) };
        return WithAlg(jwk, alg);
    }

    private static Dictionary<string, string> WithAlg(Dictionary<string, string> jwk, string? alg)
    {
        if (alg is not null)
        {
            jwk["alg"] = alg;
        }

        return jwk;
    }

    private static ValidatedLogin Success(Result<ValidatedLogin> result)
    {
        Assert.That(result.IsSuccess, Is.True, () => $"{result.Error?.Type}: {result.Error?.Message}");
        return result.Value;
    }

    private static void Failure(Result<ValidatedLogin> result, string message)
    {
        Assert.That(result.IsSuccess, Is.False, "the token was accepted");
        Assert.That(result.Error!.Type, Is.EqualTo("NotAuthorizedException"));
        Assert.That(result.Error.Message, Is.EqualTo(message));
    }
}
