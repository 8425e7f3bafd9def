using System.Security.Cryptography;
using IdentityBroker.Errors;
using IdentityBroker.Federation;
using IdentityBroker.Federation.Oidc;
using IdentityBroker.Iam;
using IdentityBroker.Pools;
using IdentityBroker.Tests.Iam;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Logging;

namespace IdentityBroker.Tests.Federation;

/// <summary>One valid ID token per test, one mutation per case; the clock is a FakeTimeProvider.</summary>
[TestFixture]
public sealed class OidcLoginValidatorTests
{
    private const string Issuer = "https://idp.example.com";
    private const string ProviderKey = "idp.example.com";
    private const string ProviderArn = "arn:aws:iam::123456789012:oidc-provider/idp.example.com";

    // RSA key generation is slow on a small machine: the keys are made once per fixture.
    private readonly RsaTestKey _key = new("k1");
    private readonly RsaTestKey _impostor = new("k1");
    private readonly RsaTestKey _next = new("k2");
    private readonly RsaTestKey _stranger = new("k9");
    private readonly RsaTestKey _pss = new("ps1", "PS256");
    private FakeTimeProvider _time = null!;
    private StubOidcProvider _idp = null!;
    private InMemoryIamStore _store = null!;
    private OidcLoginValidator _validator = null!;
    private IdentityPool _pool = null!;

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    [SetUp]
    public async Task SetUp()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        _idp = new StubOidcProvider(Issuer);
        _idp.Keys.Add(_key.Jwk);
        _store = new InMemoryIamStore();
        await _store.TryCreateOidcProviderAsync(new OidcProvider { Arn = ProviderArn, Url = Issuer, ClientIds = ["app-1", "app-2"] }, CancellationToken.None);
        var options = Options.Create(new BrokerOptions());
        var directory = new OidcProviderDirectory(_store, _time);
        _validator = new OidcLoginValidator(directory, TestJwtReader.Create(_idp, options, _time), options);
        _pool = new IdentityPool { IdentityPoolId = "us-east-1:00000000-0000-0000-0000-000000000001", IdentityPoolName = "p", AllowUnauthenticatedIdentities = false, OpenIdConnectProviderARNs = [ProviderArn] };
    }

    [TearDown]
    public void TearDown() => _idp.Dispose();

    [OneTimeTearDown]
    public void DisposeKeys()
    {
        foreach (var key in new[] { _key, _impostor, _next, _stranger, _pss })
        {
            key.Dispose();
        }
    }

    [Test]
    public async Task Baseline_token_is_accepted_with_flattened_claims()
    {
        var login = Success(await ValidateAsync(Token()));
        Assert.That(login.ProviderKey, Is.EqualTo(ProviderKey));
        Assert.That(login.Subject, Is.EqualTo("user-1"));
        Assert.That(login.AuthenticationReference, Is.EqualTo($"{ProviderArn}:OIDC:user-1"));
        Assert.That(login.Claims["groups"], Is.EqualTo(new[] { "admins", "devs" }));
        Assert.That(login.Claims["age"], Is.EqualTo(new[] { "42" }));
        Assert.That(login.Claims["email_verified"], Is.EqualTo(new[] { "true" }));
        Assert.That(login.Claims["address"], Is.EqualTo(new[] { "{\"city\":\"Lyon\"}" }));
        Assert.That(login.Claims["aud"], Is.EqualTo(new[] { "app-1" }));
    }

    [Test]
    public async Task Handles_only_the_keys_of_the_pool_providers()
    {
        Assert.That(await _validator.HandlesAsync(_pool, ProviderKey, CancellationToken.None), Is.True);
        Assert.That(await _validator.HandlesAsync(_pool, "other.example.com", CancellationToken.None), Is.False);
        Assert.That(await _validator.HandlesAsync(_pool with { OpenIdConnectProviderARNs = null }, ProviderKey, CancellationToken.None), Is.False);
    }

    [Test]
    public async Task Provider_not_in_the_pool_is_not_supported() =>
        Failure(await _validator.ValidateAsync(_pool with { OpenIdConnectProviderARNs = [] }, ProviderKey, Token(), CancellationToken.None),
            "Token is not from a supported provider of this identity pool.");

    [Test]
    public async Task Expired_token_is_refused_in_Cognito_words()
    {
        var exp = Now - 300;
        Failure(await ValidateAsync(Token(c => c["exp"] = exp)), $"Invalid login token. Token expired: {Now} >= {exp}");
    }

    [Test]
    public async Task Expiry_within_the_clock_skew_is_tolerated() =>
        Success(await ValidateAsync(Token(c => c["exp"] = Now - 60)));

    [Test]
    public async Task Token_valid_only_in_the_future_is_refused() =>
        Failure(await ValidateAsync(Token(c => c["nbf"] = Now + 600)), "Invalid login token. Token is not valid yet:", prefix: true);

    // One rule set (JwtRules): iat beyond the clock skew is refused for OIDC providers as it was for the public providers.
    [Test]
    public async Task Token_issued_beyond_the_clock_skew_is_refused()
    {
        Success(await ValidateAsync(Token(c => c["iat"] = Now + 60)));
        Failure(await ValidateAsync(Token(c => c["iat"] = Now + 600)), $"Invalid login token. Token used before issued: {Now} < {Now + 600}");
    }

    [Test]
    public async Task Missing_exp_is_refused() =>
        Failure(await ValidateAsync(Token(c => c.Remove("exp"))), "Invalid login token. Missing a required claim: exp");

    [Test]
    public async Task Wrong_audience_is_not_a_supported_provider() =>
        Failure(await ValidateAsync(Token(c => c["aud"] = "someone-else")), "Token is not from a supported provider of this identity pool.");

    [Test]
    public async Task Missing_audience_is_refused() =>
        Failure(await ValidateAsync(Token(c => c.Remove("aud"))), "Invalid login token. Missing a required claim: aud");

    [Test]
    public async Task Azp_not_among_the_client_ids_is_refused_even_with_a_good_aud() =>
        Failure(await ValidateAsync(Token(c => c["azp"] = "unknown-app")), "Token is not from a supported provider of this identity pool.");

    [Test]
    public async Task Azp_among_the_client_ids_is_accepted_whatever_the_aud() =>
        Success(await ValidateAsync(Token(c =>
        {
            c["aud"] = "web-backend";
            c["azp"] = "app-2";
        })));

    [Test]
    public async Task Wrong_issuer_is_refused() =>
        Failure(await ValidateAsync(Token(c => c["iss"] = "https://evil.example.com")), "Invalid login token. Issuer doesn't match providerName");

    [Test]
    public async Task Issuer_with_a_trailing_slash_is_the_same_issuer() =>
        Success(await ValidateAsync(Token(c => c["iss"] = Issuer + "/")));

    [Test]
    public async Task Unsigned_alg_none_is_refused()
    {
        var token = Jws.Create(new Dictionary<string, object?> { ["alg"] = "none", ["typ"] = "JWT" }, Claims(), sign: null);
        Failure(await ValidateAsync(token), "Invalid login token. Couldn't verify signed token.");
    }

    [Test]
    public async Task Hs256_signed_with_the_public_key_as_secret_is_refused()
    {
        var header = new Dictionary<string, object?> { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = "k1" };
        var token = Jws.Create(header, Claims(), data => HMACSHA256.HashData(_key.PublicKeyBytes, data));
        Failure(await ValidateAsync(token), "Invalid login token. Couldn't verify signed token.");
    }

    [Test]
    public async Task Tampered_payload_is_refused()
    {
        var parts = Token().Split('.');
        var forged = Jws.Create(new Dictionary<string, object?> { ["alg"] = "RS256" }, Claims(c => c["sub"] = "admin"), sign: null).Split('.')[1];
        Failure(await ValidateAsync($"{parts[0]}.{forged}.{parts[2]}"), "Invalid login token. Couldn't verify signed token.");
    }

    [Test]
    public async Task Other_key_with_the_same_kid_is_refused()
    {
        Failure(await ValidateAsync(Jws.Create(_impostor, Claims())), "Invalid login token. Couldn't verify signed token.");
    }

    [Test]
    public async Task Missing_sub_is_refused() =>
        Failure(await ValidateAsync(Token(c => c.Remove("sub"))), "Invalid login token. Missing a required claim: sub");

    [Test]
    public async Task Malformed_and_oversized_tokens_are_refused()
    {
        Failure(await ValidateAsync("not-a-jwt"), "Invalid login token. Not a valid OpenId Connect identity token.");
        Failure(await ValidateAsync(Token(c => c["pad"] = new string('x', 20_000))), "Invalid login token. Not a valid OpenId Connect identity token.");
    }

    [Test]
    public async Task Es256_token_is_accepted()
    {
        using var ec = new EcTestKey("ec1");
        _idp.Keys.Add(ec.Jwk);
        Success(await ValidateAsync(Jws.Create(ec, Claims())));
    }

    [Test]
    public async Task Ps256_token_is_accepted()
    {
        _idp.Keys.Add(_pss.Jwk);
        Success(await ValidateAsync(Jws.Create(_pss, Claims())));
    }

    [Test]
    public async Task Rotated_key_is_accepted_after_one_refresh()
    {
        Success(await ValidateAsync(Token()));
        _idp.Keys.Add(_next.Jwk);
        Success(await ValidateAsync(Jws.Create(_next, Claims())));
        Assert.That(_idp.JwksRequests, Is.EqualTo(2));
    }

    [Test]
    public async Task Unknown_kid_refreshes_once_then_is_rate_limited()
    {
        Success(await ValidateAsync(Token()));
        var token = Jws.Create(_stranger, Claims());

        Failure(await ValidateAsync(token), "Invalid login token. Couldn't verify signed token.");
        Assert.That(_idp.JwksRequests, Is.EqualTo(2), "one refresh for the unknown kid");

        Failure(await ValidateAsync(token), "Invalid login token. Couldn't verify signed token.");
        Assert.That(_idp.JwksRequests, Is.EqualTo(2), "no second refresh within UnknownKeyRefreshInterval");

        _time.Advance(TimeSpan.FromSeconds(31));
        Failure(await ValidateAsync(token), "Invalid login token. Couldn't verify signed token.");
        Assert.That(_idp.JwksRequests, Is.EqualTo(3), "refresh allowed again after the interval");
    }

    [Test]
    public async Task Discovery_issuer_mismatch_is_refused()
    {
        _idp.DiscoveryIssuer = "https://evil.example.com";
        var result = await ValidateAsync(Token());
        Assert.That(result.Error!.Type, Is.EqualTo("NotAuthorizedException"));
        Assert.That(result.Error.Message, Does.Contain("names a different issuer"));
    }

    [Test]
    public async Task Unreachable_provider_is_a_clear_failure_without_the_token()
    {
        _idp.Unreachable = true;
        var token = Token();
        var result = await ValidateAsync(token);
        Assert.That(result.Error!.Type, Is.EqualTo("NotAuthorizedException"));
        Assert.That(result.Error.Message, Is.EqualTo($"Invalid login token. Couldn't retrieve verification keys from the OpenID Connect provider {Issuer}."));
        Assert.That(result.Error.Message, Does.Not.Contain(token.Split('.')[1]));
    }

    [Test]
    public async Task Validation_leaves_IdentityModel_PII_logging_off()
    {
        await ValidateAsync(Token(c => c["aud"] = "someone-else"));
        Assert.That(IdentityModelEventSource.ShowPII, Is.False);
        Assert.That(IdentityModelEventSource.LogCompleteSecurityArtifact, Is.False);
    }

    private Task<Result<ValidatedLogin>> ValidateAsync(string token) => _validator.ValidateAsync(_pool, ProviderKey, token, CancellationToken.None).AsTask();

    private string Token(Action<Dictionary<string, object?>>? mutate = null) => Jws.Create(_key, Claims(mutate));

    private Dictionary<string, object?> Claims(Action<Dictionary<string, object?>>? mutate = null)
    {
        var claims = new Dictionary<string, object?>
        {
            ["iss"] = Issuer,
            ["aud"] = "app-1",
            ["sub"] = "user-1",
            ["iat"] = Now,
            ["nbf"] = Now - 5,
            ["exp"] = Now + 600,
            ["email"] = "user@example.com",
            ["email_verified"] = true,
            ["age"] = 42,
            ["groups"] = new[] { "admins", "devs" },
            ["address"] = new Dictionary<string, string> { ["city"] = "Lyon" },
        };
        mutate?.Invoke(claims);
        return claims;
    }

    private static ValidatedLogin Success(Result<ValidatedLogin> result)
    {
        Assert.That(result.IsSuccess, Is.True, () => $"{result.Error?.Type}: {result.Error?.Message}");
        return result.Value;
    }

    private static void Failure(Result<ValidatedLogin> result, string message, bool prefix = false)
    {
        Assert.That(result.IsSuccess, Is.False, "the token was accepted");
        Assert.That(result.Error!.Type, Is.EqualTo("NotAuthorizedException"));
        Assert.That(result.Error.Message, prefix ? Does.StartWith(message) : Is.EqualTo(message));
    }
}
