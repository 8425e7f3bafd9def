using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IdentityBroker.Federation;
using IdentityBroker.Federation.Jwt;
using IdentityBroker.Federation.Oidc;
using IdentityBroker.Iam;
using IdentityBroker.Pools;
using IdentityBroker.Storage.Sqlite;
using IdentityBroker.Tokens;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Benchmarks;

/// <summary>
/// A registered OIDC provider (SQLite store in a temporary directory) whose discovery document and JWKS are served
/// in-process, one RS256 ID token of it, and the broker's validator with a warm JWKS cache.
/// </summary>
internal sealed class OidcFixture : IDisposable
{
    public const string Issuer = "https://idp.bench.example";
    public const string ProviderArn = "arn:aws:iam::000000000000:oidc-provider/idp.bench.example";
    private const string KeyId = "bench-1";

    private readonly RSA _key = RSA.Create(2048);
    private readonly string _directory = Directory.CreateTempSubdirectory("ib-bench-").FullName;
    private readonly SqliteBrokerStore _store;

    public OidcFixture()
    {
        _store = new SqliteBrokerStore(Path.Combine(_directory, "broker.db"));
        _store.TryCreateOidcProviderAsync(new OidcProvider { Arn = ProviderArn, Url = Issuer, ClientIds = ["bench-client"] }, CancellationToken.None)
            .GetAwaiter().GetResult();
        var options = Options.Create(new BrokerOptions());
        var directory = new OidcProviderDirectory(_store, TimeProvider.System);
        var cache = new IssuerKeyCache(new JwksFactory(new JwksHandler(Issuer, Jwk())), options, TimeProvider.System);
        var reader = new JwtReader(cache, new SigningKeyRing(_store, options, TimeProvider.System), TimeProvider.System);
        Validator = new OidcLoginValidator(directory, reader, options);
        Pool = new IdentityPool
        {
            IdentityPoolId = "us-east-1:00000000-0000-0000-0000-000000000001",
            IdentityPoolName = "bench",
            AllowUnauthenticatedIdentities = true,
            OpenIdConnectProviderARNs = [ProviderArn],
        };
        Token = Mint();
    }

    public OidcLoginValidator Validator { get; }

    public IdentityPool Pool { get; }

    public string Token { get; }

    public static string ProviderKey => "idp.bench.example";

    /// <summary>Validates once (fills the JWKS cache) and returns the login.</summary>
    public ValidatedLogin Warm()
    {
        var result = Validator.ValidateAsync(Pool, ProviderKey, Token, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return result.IsSuccess ? result.Value : throw new InvalidOperationException(result.Error!.Message);
    }

    public void Dispose()
    {
        _store.Dispose();
        _key.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private Dictionary<string, string> Jwk()
    {
        var p = _key.ExportParameters(false);
        return new() { ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = KeyId, ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };
    }

    private string Mint()
    {
        var now = DateTimeOffset.UtcNow;
        var header = B64(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = KeyId }));
        var payload = B64(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["sub"] = "user-1",
            ["aud"] = "bench-client",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddDays(1).ToUnixTimeSeconds(),
            ["email"] = "user-1@example.com",
            ["groups"] = new[] { "admins", "devs" },
        }));
        var input = header + "." + payload;
        return input + "." + B64(_key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed class JwksHandler(string issuer, Dictionary<string, string> jwk) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!.ToString();
            object? body = url == issuer + "/.well-known/openid-configuration"
                ? new Dictionary<string, object> { ["issuer"] = issuer, ["jwks_uri"] = issuer + "/keys" }
                : url == issuer + "/keys" ? new Dictionary<string, object> { ["keys"] = new[] { jwk } } : null;
            return Task.FromResult(body is null
                ? new HttpResponseMessage(HttpStatusCode.NotFound)
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") });
        }
    }

    private sealed class JwksFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }
}
