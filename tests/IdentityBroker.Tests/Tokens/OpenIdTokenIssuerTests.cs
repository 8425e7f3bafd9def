using IdentityBroker.Federation;
using IdentityBroker.Identities;
using IdentityBroker.Pools;
using IdentityBroker.Storage;
using IdentityBroker.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Tests.Tokens;

[TestFixture]
public sealed class OpenIdTokenIssuerTests
{
    private const string PoolId = "us-east-1:11111111-2222-3333-4444-555555555555";
    private const string IdentityId = "us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    private const string Issuer = "https://broker.example.com";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
    private SigningKeyRing _keys = null!;
    private OpenIdTokenIssuer _issuer = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        var options = Options.Create(new BrokerOptions { Issuer = Issuer });
        _keys = new SigningKeyRing(new MemoryKeyStore(), options, _time);
        await _keys.LoadAsync(CancellationToken.None);
        _issuer = new OpenIdTokenIssuer(new BrokerIssuer(options), _keys, options, _time);
    }

    [Test]
    public async Task Guest_token_has_the_unauthenticated_audience_and_amr()
    {
        var token = _issuer.Issue(Pool(), Identity(authenticated: false), [], OpenIdTokenIssuer.DefaultLifetime);
        var jwt = await ValidAsync(token.Token, PoolId + ":unauthenticated");
        Assert.Multiple(() =>
        {
            Assert.That(jwt.Subject, Is.EqualTo(IdentityId));
            Assert.That(jwt.GetPayloadValue<List<string>>("amr"), Is.EqualTo(new[] { "unauthenticated" }));
            Assert.That(jwt.GetPayloadValue<string>(BrokerClaims.IdentityPoolArn), Is.EqualTo($"arn:aws:cognito-identity:us-east-1:000000000000:identitypool/{PoolId}"));
            Assert.That(jwt.Alg, Is.EqualTo("RS512"));
            Assert.That(jwt.Typ, Is.EqualTo("JWS"));
            Assert.That(jwt.Kid, Is.EqualTo(_keys.Current.Key.KeyId));
        });
    }

    [Test]
    public async Task Authenticated_token_has_the_pool_audience_and_names_each_login_as_cognito_does()
    {
        ValidatedLogin[] logins =
        [
            new("login.example.com", "user-1", "arn:aws:iam::000000000000:oidc-provider/login.example.com:OIDC:user-1", new Dictionary<string, IReadOnlyList<string>>()),
        ];
        var token = _issuer.Issue(Pool(), Identity(authenticated: true), logins, OpenIdTokenIssuer.DefaultLifetime);
        var jwt = await ValidAsync(token.Token, PoolId);
        Assert.That(jwt.GetPayloadValue<List<string>>("amr"), Is.EqualTo(new[]
        {
            "authenticated", "login.example.com", "arn:aws:iam::000000000000:oidc-provider/login.example.com:OIDC:user-1",
        }));
    }

    [Test]
    public async Task Lifetime_is_exactly_the_requested_one_from_the_clock()
    {
        var token = _issuer.Issue(Pool(), Identity(authenticated: false), [], OpenIdTokenIssuer.DefaultLifetime);
        var jwt = await ValidAsync(token.Token, PoolId + ":unauthenticated");
        Assert.Multiple(() =>
        {
            Assert.That(jwt.GetPayloadValue<long>("iat"), Is.EqualTo(_time.GetUtcNow().ToUnixTimeSeconds()));
            Assert.That(jwt.GetPayloadValue<long>("exp") - jwt.GetPayloadValue<long>("iat"), Is.EqualTo(600));
            Assert.That(token.Expires, Is.EqualTo(_time.GetUtcNow().AddMinutes(10)));
        });
    }

    [Test]
    public void Guest_audience_maps_back_to_the_pool_id_and_authenticated_audience_is_unchanged()
    {
        Assert.Multiple(() =>
        {
            Assert.That(BrokerClaims.PoolIdFromAudience(BrokerClaims.Audience(PoolId, authenticated: false)), Is.EqualTo(PoolId));
            Assert.That(BrokerClaims.PoolIdFromAudience(BrokerClaims.Audience(PoolId, authenticated: true)), Is.EqualTo(PoolId));
            Assert.That(BrokerClaims.Audience(PoolId, authenticated: false), Is.Not.EqualTo(PoolId));
        });
    }

    [Test]
    public async Task A_second_ring_over_the_same_store_signs_with_the_same_key()
    {
        var store = new MemoryKeyStore();
        var options = Options.Create(new BrokerOptions { Issuer = Issuer });
        var first = new SigningKeyRing(store, options, _time);
        var second = new SigningKeyRing(store, options, _time);
        await first.LoadAsync(CancellationToken.None);
        await second.LoadAsync(CancellationToken.None);
        Assert.That(second.Current.Key.KeyId, Is.EqualTo(first.Current.Key.KeyId));
    }

    [Test]
    public void Rs512_token_is_byte_for_byte_what_JsonWebTokenHandler_wrote_for_the_same_claims()
    {
        // RSASSA-PKCS1-v1_5 is deterministic: equal header and payload bytes give the same signature.
        ValidatedLogin[] logins =
        [
            new("login.example.com", "user-1", "arn:aws:iam::000000000000:oidc-provider/login.example.com:OIDC:user-1", new Dictionary<string, IReadOnlyList<string>>()),
        ];
        var tags = new Dictionary<string, string> { ["dept"] = "r&d +1 <é>/\"ü\"", ["team"] = "a=b@c" };
        var token = _issuer.Issue(Pool(), Identity(authenticated: true), logins, OpenIdTokenIssuer.DefaultLifetime, tags);
        Assert.That(token.Token, Is.EqualTo(HandlerToken(authenticated: true, logins, tags)));
    }

    [Test]
    public void Guest_token_without_tags_is_byte_for_byte_what_JsonWebTokenHandler_wrote()
    {
        var token = _issuer.Issue(Pool(), Identity(authenticated: false), [], OpenIdTokenIssuer.DefaultLifetime);
        Assert.That(token.Token, Is.EqualTo(HandlerToken(authenticated: false, [], null)));
    }

    [Test]
    public void The_claims_are_the_values_their_signed_token_carries()
    {
        ValidatedLogin[] logins =
        [
            new("login.example.com", "user-1", "arn:aws:iam::000000000000:oidc-provider/login.example.com:OIDC:user-1", new Dictionary<string, IReadOnlyList<string>>()),
        ];
        var claims = _issuer.Claims(Pool(), Identity(authenticated: true), logins, OpenIdTokenIssuer.DefaultLifetime, new Dictionary<string, string> { ["k"] = "v" });
        var token = claims.Sign();
        var jwt = new JsonWebToken(token);
        Assert.Multiple(() =>
        {
            Assert.That(claims.SignedLength, Is.EqualTo(token.Length));
            Assert.That(claims.Issuer, Is.EqualTo(jwt.Issuer));
            Assert.That(claims.KeyId, Is.EqualTo(jwt.Kid));
            Assert.That(claims.Subject, Is.EqualTo(jwt.Subject));
            Assert.That(claims.Audience, Is.EqualTo(jwt.Audiences.Single()));
            Assert.That(claims.Amr, Is.EqualTo(jwt.GetPayloadValue<List<string>>("amr")));
            Assert.That(claims.IssuedAt, Is.EqualTo(jwt.GetPayloadValue<long>("iat")));
            Assert.That(claims.Expires, Is.EqualTo(jwt.GetPayloadValue<long>("exp")));
            Assert.That(claims.Tags, Is.EqualTo(new Dictionary<string, string> { ["k"] = "v" }));
        });
    }

    [TestCase("RS512")]
    [TestCase("ES256")]
    public async Task The_signed_length_is_known_without_signing(string algorithm)
    {
        var options = Options.Create(new BrokerOptions { Issuer = Issuer, Tokens = new TokenOptions { Algorithm = algorithm } });
        var keys = new SigningKeyRing(new MemoryKeyStore(), options, _time);
        await keys.LoadAsync(CancellationToken.None);
        var issuer = new OpenIdTokenIssuer(new BrokerIssuer(options), keys, options, _time);

        var claims = issuer.Claims(Pool(), Identity(authenticated: false), [], OpenIdTokenIssuer.DefaultLifetime, new Dictionary<string, string> { ["k"] = "välue" });

        Assert.That(claims.SignedLength, Is.EqualTo(claims.Sign().Length));
    }

    [TestCase("RS512")]
    [TestCase("ES256")]
    public async Task The_length_bound_without_serializing_is_never_below_the_signed_length_even_for_values_json_escapes(string algorithm)
    {
        var options = Options.Create(new BrokerOptions { Issuer = Issuer, Tokens = new TokenOptions { Algorithm = algorithm } });
        var keys = new SigningKeyRing(new MemoryKeyStore(), options, _time);
        await keys.LoadAsync(CancellationToken.None);
        var issuer = new OpenIdTokenIssuer(new BrokerIssuer(options), keys, options, _time);
        var escaped = "\u0001\"\\<>&'+\u2028ü😀";
        var tags = Enumerable.Range(0, 20).ToDictionary(i => escaped + i, i => string.Concat(Enumerable.Repeat(escaped, 10)));

        foreach (var claims in new[]
        {
            issuer.Claims(Pool(), Identity(authenticated: false), [], OpenIdTokenIssuer.DefaultLifetime),
            issuer.Claims(Pool(), Identity(authenticated: false), [], OpenIdTokenIssuer.DefaultLifetime, tags),
        })
        {
            Assert.That(claims.MaxSignedLength, Is.GreaterThanOrEqualTo(claims.SignedLength));
        }
    }

    [Test]
    public void The_in_process_sts_refuses_claims_whose_token_would_pass_20000_characters_and_measures_exactly_near_the_limit()
    {
        static Dictionary<string, string> Tags(int count) => Enumerable.Range(0, count).ToDictionary(i => $"tag{i:D3}", _ => new string('v', 200));
        var request = new IdentityBroker.Sts.WebIdentityRequest("arn:aws:iam::000000000000:role/load", "CognitoIdentityCredentials", null, 3600, null, null);
        var under = _issuer.Claims(Pool(), Identity(authenticated: false), [], OpenIdTokenIssuer.DefaultLifetime, Tags(20));
        var over = _issuer.Claims(Pool(), Identity(authenticated: false), [], OpenIdTokenIssuer.DefaultLifetime, Tags(80));

        Assert.Multiple(() =>
        {
            Assert.That(under.MaxSignedLength, Is.GreaterThan(20000), "the bound alone would refuse it: the exact length decides");
            Assert.That(under.SignedLength, Is.LessThanOrEqualTo(20000));
            Assert.That(IdentityBroker.Sts.WebIdentityRequestRules.Validate(request, under), Is.Null);
            Assert.That(over.SignedLength, Is.GreaterThan(20000));
            Assert.That(IdentityBroker.Sts.WebIdentityRequestRules.Validate(request, over)?.Message, Does.Contain("less than or equal to 20000"));
        });
    }

    /// <summary>The token as the issuer wrote it with JsonWebTokenHandler.CreateToken before it wrote JWS itself.</summary>
    private string HandlerToken(bool authenticated, IReadOnlyList<ValidatedLogin> logins, Dictionary<string, string>? tags)
    {
        var now = _time.GetUtcNow();
        string[] amr = authenticated
            ? ["authenticated", .. logins.Select(l => l.ProviderKey).Distinct(), .. logins.Select(l => l.AuthenticationReference)]
            : ["unauthenticated"];
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["iss"] = Issuer,
            ["sub"] = IdentityId,
            ["aud"] = authenticated ? PoolId : PoolId + ":unauthenticated",
            ["amr"] = amr,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(10).ToUnixTimeSeconds(),
            [BrokerClaims.IdentityPoolArn] = $"arn:aws:cognito-identity:us-east-1:000000000000:identitypool/{PoolId}",
        };
        if (tags is not null)
        {
            claims[BrokerClaims.Tags] = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["principal_tags"] = tags.ToDictionary(t => t.Key, t => (object)new[] { t.Value }, StringComparer.Ordinal),
            };
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = _keys.Current,
            TokenType = "JWS",
        });
    }

    private async Task<JsonWebToken> ValidAsync(string token, string audience)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = audience,
            IssuerSigningKeys = _keys.VerificationKeys,
            ValidateLifetime = false,
        });
        Assert.That(result.IsValid, Is.True, result.Exception?.Message);
        return (JsonWebToken)result.SecurityToken;
    }

    private static IdentityPool Pool() => new() { IdentityPoolId = PoolId, IdentityPoolName = "p", AllowUnauthenticatedIdentities = true };

    private Identity Identity(bool authenticated) => new()
    {
        IdentityId = IdentityId,
        IdentityPoolId = PoolId,
        Logins = authenticated ? [new LoginKey("login.example.com", "user-1")] : [],
        CreationDate = _time.GetUtcNow(),
    };

    private sealed class MemoryKeyStore : IKeyStore
    {
        private readonly List<StoredKey> _keys = [];

        public Task<IReadOnlyList<StoredKey>> GetKeysAsync(string purpose, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<StoredKey>>([.. _keys.Where(k => k.Purpose == purpose)]);

        public Task<bool> TryAddKeyAsync(StoredKey key, CancellationToken cancellationToken)
        {
            if (_keys.Exists(k => k.KeyId == key.KeyId))
            {
                return Task.FromResult(false);
            }

            _keys.Add(key);
            return Task.FromResult(true);
        }
    }
}
