using IdentityBroker.Errors;
using IdentityBroker.Federation;
using IdentityBroker.Federation.Social;
using IdentityBroker.Federation.UserPools;
using IdentityBroker.Pools;
using IdentityBroker.Tests.Federation;
using static IdentityBroker.Tests.Federation.Social.SocialAssert;

namespace IdentityBroker.Tests.Federation.Social;

[TestFixture]
public sealed class AppleLoginValidatorTests
{
    private const string Jwks = "https://appleid.apple.com/auth/keys";
    private const string Key = "appleid.apple.com";
    private readonly RsaTestKey _key = new("a1");
    private readonly RsaTestKey _impostor = new("a1");
    private SocialTestHost _host = null!;
    private IdTokenProviderValidator _validator = null!;

    [SetUp]
    public void SetUp()
    {
        _host = new SocialTestHost();
        _host.StandIn.Jwks(Jwks, () => [_key]);
        _validator = IdTokenProviderValidator.Apple(_host.Reader, _host.Options);
    }

    [TearDown]
    public void TearDown() => _host.StandIn.Dispose();

    [OneTimeTearDown]
    public void DisposeKeys()
    {
        _key.Dispose();
        _impostor.Dispose();
    }

    private string Token(Action<Dictionary<string, object?>>? change = null, TestKey? key = null)
    {
        var claims = new Dictionary<string, object?>
        {
            ["iss"] = "https://appleid.apple.com", ["aud"] = "com.example.app", ["sub"] = "001234.abcdef.1234",
            ["iat"] = _host.Now, ["exp"] = _host.Now + 600,
        };
        change?.Invoke(claims);
        return Jws.Create(key ?? _key, claims);
    }

    private async Task<Result<ValidatedLogin>> Validate(string token, string ids = "com.example.app") =>
        await _validator.ValidateAsync(SocialTestHost.Pool(Key, ids), Key, token, CancellationToken.None);

    [Test]
    public async Task Baseline_is_accepted()
    {
        var login = Success(await Validate(Token()));
        Assert.That(login.Subject, Is.EqualTo("001234.abcdef.1234"));
        Assert.That(login.AuthenticationReference, Is.EqualTo("appleid.apple.com:001234.abcdef.1234"));
    }

    [Test]
    public async Task Schemeless_issuer_is_refused_for_Apple() =>
        Refused(await Validate(Token(c => c["iss"] = "appleid.apple.com")), NotAuthorized, WrongIssuer);

    [Test]
    public async Task Wrong_audience_is_refused() =>
        Refused(await Validate(Token(c => c["aud"] = "com.other.app")), NotAuthorized, Unsupported);

    [Test]
    public async Task Services_id_among_comma_separated_ids_is_accepted() =>
        Success(await Validate(Token(c => c["aud"] = "com.example.web"), "com.example.app,com.example.web"));

    [Test]
    public async Task Expired_token_is_refused() =>
        Refused(await Validate(Token(c => c["exp"] = _host.Now - 3600)), NotAuthorized, $"Invalid login token. Token expired: {_host.Now} >= {_host.Now - 3600}");

    [Test]
    public async Task Bad_signature_is_refused() =>
        Refused(await Validate(Token(key: _impostor)), NotAuthorized, BadSignature);

    [Test]
    public async Task Alg_none_is_refused()
    {
        var unsigned = Jws.Create(new Dictionary<string, object?> { ["alg"] = "none", ["kid"] = "a1" }, new Dictionary<string, object?>
        {
            ["iss"] = "https://appleid.apple.com", ["aud"] = "com.example.app", ["sub"] = "x", ["exp"] = _host.Now + 600,
        }, null);
        Refused(await Validate(unsigned), NotAuthorized, BadSignature);
    }
}

[TestFixture]
public sealed class UserPoolLoginValidatorTests
{
    private const string ProviderName = "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123";
    private const string Issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123";
    private readonly RsaTestKey _key = new("up1");
    private readonly RsaTestKey _impostor = new("up1");
    private SocialTestHost _host = null!;
    private UserPoolLoginValidator _validator = null!;
    private IdentityPool _pool = null!;

    [SetUp]
    public void SetUp()
    {
        _host = new SocialTestHost();
        _host.StandIn.Jwks(Issuer + "/.well-known/jwks.json", () => [_key]);
        _validator = new UserPoolLoginValidator(_host.Reader, _host.Options);
        _pool = new IdentityPool
        {
            IdentityPoolId = "eu-west-1:00000000-0000-0000-0000-000000000001", IdentityPoolName = "p", AllowUnauthenticatedIdentities = false,
            CognitoIdentityProviders =
            [
                new CognitoIdentityProvider { ProviderName = ProviderName, ClientId = "webclient1", ServerSideTokenCheck = true },
                new CognitoIdentityProvider { ProviderName = ProviderName, ClientId = "mobileclient2" },
            ],
        };
    }

    [TearDown]
    public void TearDown() => _host.StandIn.Dispose();

    [OneTimeTearDown]
    public void DisposeKeys()
    {
        _key.Dispose();
        _impostor.Dispose();
    }

    private Dictionary<string, object?> IdClaims() => new()
    {
        ["iss"] = Issuer, ["aud"] = "webclient1", ["sub"] = "5f1b-user", ["token_use"] = "id",
        ["cognito:groups"] = new[] { "admins", "editors" },
        ["cognito:roles"] = new[] { "arn:aws:iam::123456789012:role/Admin", "arn:aws:iam::123456789012:role/Editor" },
        ["cognito:preferred_role"] = "arn:aws:iam::123456789012:role/Admin",
        ["cognito:username"] = "alice", ["auth_time"] = _host.Now, ["iat"] = _host.Now, ["exp"] = _host.Now + 3600,
    };

    private string Token(Action<Dictionary<string, object?>>? change = null, TestKey? key = null)
    {
        var claims = IdClaims();
        change?.Invoke(claims);
        return Jws.Create(key ?? _key, claims);
    }

    private async Task<Result<ValidatedLogin>> Validate(string token, string providerKey = ProviderName) =>
        await _validator.ValidateAsync(_pool, providerKey, token, CancellationToken.None);

    [Test]
    public async Task Baseline_id_token_is_accepted_with_group_claims_and_CognitoSignIn_amr()
    {
        var login = Success(await Validate(Token()));
        Assert.That(login.ProviderKey, Is.EqualTo(ProviderName));
        Assert.That(login.Subject, Is.EqualTo("5f1b-user"));
        Assert.That(login.AuthenticationReference, Is.EqualTo($"{ProviderName}:CognitoSignIn:5f1b-user"));
        Assert.That(login.Claims["cognito:groups"], Is.EqualTo(new[] { "admins", "editors" }));
        Assert.That(login.Claims["cognito:roles"], Has.Count.EqualTo(2));
        Assert.That(login.Claims["cognito:preferred_role"], Is.EqualTo(new[] { "arn:aws:iam::123456789012:role/Admin" }));
    }

    [Test]
    public async Task Second_client_id_of_the_same_user_pool_is_accepted() =>
        Success(await Validate(Token(c => c["aud"] = "mobileclient2")));

    [Test]
    public async Task Handles_only_configured_user_pools()
    {
        Assert.That(await _validator.HandlesAsync(_pool, ProviderName, CancellationToken.None), Is.True);
        Assert.That(await _validator.HandlesAsync(_pool, "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other", CancellationToken.None), Is.False);
    }

    [Test]
    public async Task Access_token_is_refused_as_Cognito_refuses_it()
    {
        var access = Token(c =>
        {
            c.Remove("aud");
            c["token_use"] = "access";
            c["client_id"] = "webclient1";
            c["scope"] = "aws.cognito.signin.user.admin";
        });
        Refused(await Validate(access), NotAuthorized, "Invalid login token. Missing a required claim: aud");
    }

    [Test]
    public async Task Token_use_access_with_an_aud_is_refused() =>
        Refused(await Validate(Token(c => c["token_use"] = "access")), NotAuthorized, "Invalid login token. Token is not an ID token (token_use must be id).");

    [Test]
    public async Task Wrong_client_id_is_refused() =>
        Refused(await Validate(Token(c => c["aud"] = "otherclient")), NotAuthorized, Unsupported);

    [Test]
    public async Task Token_of_another_user_pool_is_refused() =>
        Refused(await Validate(Token(c => c["iss"] = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other")), NotAuthorized, WrongIssuer);

    [Test]
    public async Task Expired_token_is_refused() =>
        Refused(await Validate(Token(c => c["exp"] = _host.Now - 1000)), NotAuthorized, $"Invalid login token. Token expired: {_host.Now} >= {_host.Now - 1000}");

    [Test]
    public async Task Bad_signature_is_refused() =>
        Refused(await Validate(Token(key: _impostor)), NotAuthorized, BadSignature);

    [Test]
    public async Task Issuer_base_override_moves_issuer_and_jwks()
    {
        var host = new SocialTestHost(o => o.Providers.UserPools.IssuerBase = "http://127.0.0.1:9229/{region}/");
        host.StandIn.Jwks("http://127.0.0.1:9229/eu-west-1/eu-west-1_AbC123/.well-known/jwks.json", () => [_key]);
        var validator = new UserPoolLoginValidator(host.Reader, host.Options);
        var token = Token(c => c["iss"] = "http://127.0.0.1:9229/eu-west-1/eu-west-1_AbC123");
        Success(await validator.ValidateAsync(_pool, ProviderName, token, CancellationToken.None));
        Refused(await validator.ValidateAsync(_pool, ProviderName, Token(), CancellationToken.None), NotAuthorized, WrongIssuer);
    }

    [Test]
    public void Provider_names_parse_as_region_and_user_pool_id()
    {
        var name = UserPoolProviderName.TryParse(ProviderName)!;
        Assert.That((name.Region, name.UserPoolId), Is.EqualTo(("eu-west-1", "eu-west-1_AbC123")));
        Assert.That(name.Issuer("https://cognito-idp.{region}.amazonaws.com"), Is.EqualTo(Issuer));
        Assert.That(UserPoolProviderName.TryParse("cognito-idp.eu-west-1.amazonaws.com/"), Is.Null);
        Assert.That(UserPoolProviderName.TryParse("evil.example.com/eu-west-1_AbC123"), Is.Null);
    }
}
