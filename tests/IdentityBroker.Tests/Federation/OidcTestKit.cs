using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IdentityBroker.Federation.Jwt;
using IdentityBroker.Tests.Sts;
using IdentityBroker.Tokens;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Tests.Federation;

/// <summary>A signing key of the stand-in provider; tokens are assembled and signed here with System.Security.Cryptography only.</summary>
internal abstract class TestKey
{
    protected TestKey(string kid, string alg)
    {
        Kid = kid;
        Alg = alg;
    }

    public string Kid { get; }

    public string Alg { get; }

    public abstract Dictionary<string, string> Jwk { get; }

    public abstract byte[] Sign(byte[] data);
}

internal sealed class RsaTestKey(string kid, string alg = "RS256") : TestKey(kid, alg), IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);

    public byte[] PublicKeyBytes => _rsa.ExportSubjectPublicKeyInfo();

    public override Dictionary<string, string> Jwk
    {
        get
        {
            var p = _rsa.ExportParameters(false);
            return new() { ["kty"] = "RSA", ["use"] = "sig", ["kid"] = Kid, ["alg"] = Alg, ["n"] = Jws.B64(p.Modulus!), ["e"] = Jws.B64(p.Exponent!) };
        }
    }

    public override byte[] Sign(byte[] data)
    {
        var padding = Alg.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        var hash = Alg[2..] switch { "384" => HashAlgorithmName.SHA384, "512" => HashAlgorithmName.SHA512, _ => HashAlgorithmName.SHA256 };
        return _rsa.SignData(data, hash, padding);
    }

    public void Dispose() => _rsa.Dispose();
}

internal sealed class EcTestKey(string kid) : TestKey(kid, "ES256"), IDisposable
{
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public override Dictionary<string, string> Jwk
    {
        get
        {
            var p = _ec.ExportParameters(false);
            return new() { ["kty"] = "EC", ["use"] = "sig", ["kid"] = Kid, ["alg"] = Alg, ["crv"] = "P-256", ["x"] = Jws.B64(p.Q.X!), ["y"] = Jws.B64(p.Q.Y!) };
        }
    }

    // JWS (RFC 7518 §3.4) uses the fixed-size r||s form, which is .NET's default for ECDsa.SignData.
    public override byte[] Sign(byte[] data) => _ec.SignData(data, HashAlgorithmName.SHA256);

    public void Dispose() => _ec.Dispose();
}

/// <summary>Manual JWS compact serialization (RFC 7515 §7.1).</summary>
internal static class Jws
{
    public static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Create(TestKey key, IDictionary<string, object?> payload, string? kid = null) =>
        Create(new Dictionary<string, object?> { ["alg"] = key.Alg, ["typ"] = "JWT", ["kid"] = kid ?? key.Kid }, payload, key.Sign);

    public static string Create(IDictionary<string, object?> header, IDictionary<string, object?> payload, Func<byte[], byte[]>? sign)
    {
        var signingInput = B64(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + B64(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signature = sign is null ? string.Empty : B64(sign(Encoding.ASCII.GetBytes(signingInput)));
        return signingInput + "." + signature;
    }
}

/// <summary>
/// An in-process OpenID Connect provider: serves its discovery document and JWKS to the HttpClient the broker uses,
/// counts requests, and can be made unreachable, slow (gated) or inconsistent.
/// </summary>
internal sealed class StubOidcProvider : HttpMessageHandler
{
    private int _discoveryRequests;
    private int _jwksRequests;
    private int _attempts;

    public StubOidcProvider(string issuer)
    {
        Issuer = issuer;
        DiscoveryIssuer = issuer;
        JwksUri = issuer + "/keys";
    }

    public string Issuer { get; }

    public string DiscoveryIssuer { get; set; }

    public string JwksUri { get; set; }

    public List<Dictionary<string, string>> Keys { get; } = [];

    public bool Unreachable { get; set; }

    /// <summary>The JWKS answers 404.</summary>
    public bool JwksMissing { get; set; }

    /// <summary>When set, served instead of the discovery document.</summary>
    public string? RawDiscovery { get; set; }

    public TaskCompletionSource? Gate { get; set; }

    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    /// <summary>Every request that reached the provider, answered or not.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (Unreachable)
        {
            throw new HttpRequestException("Connection refused");
        }

        var url = request.RequestUri!.ToString();
        if (url == Issuer + "/.well-known/openid-configuration")
        {
            Interlocked.Increment(ref _discoveryRequests);
            if (RawDiscovery is not null)
            {
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(RawDiscovery, Encoding.UTF8, "application/json") };
            }

            return Json(new Dictionary<string, object> { ["issuer"] = DiscoveryIssuer, ["jwks_uri"] = JwksUri, ["id_token_signing_alg_values_supported"] = new[] { "RS256", "ES256" } });
        }

        if (url == JwksUri && !JwksMissing)
        {
            Interlocked.Increment(ref _jwksRequests);
            return Json(new Dictionary<string, object> { ["keys"] = Keys.ToArray() });
        }

        return new HttpResponseMessage(HttpStatusCode.NotFound);
    }

    private static HttpResponseMessage Json(object body) =>
        new(HttpStatusCode.OK) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
}

/// <summary>The broker's one JWT reader over a stand-in for the network; the key ring is the broker's when a test needs one.</summary>
internal static class TestJwtReader
{
    public static JwtReader Create(HttpMessageHandler handler, IOptions<BrokerOptions> options, TimeProvider time, SigningKeyRing? ring = null) =>
        new(new IssuerKeyCache(new StubHttpClientFactory(handler), options, time), ring ?? new SigningKeyRing(new InMemoryKeyStore(), options, time), time);
}

internal sealed class StubHttpClientFactory(HttpMessageHandler handler) : IHttpClientFactory
{
    public List<string> Names { get; } = [];

    public HttpClient CreateClient(string name)
    {
        Names.Add(name);
        return new HttpClient(handler, disposeHandler: false);
    }
}
