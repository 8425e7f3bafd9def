using IdentityBroker.Federation.Social;
using IdentityBroker.Tests.Federation;
using static IdentityBroker.Tests.Federation.Social.SocialAssert;

namespace IdentityBroker.Tests.Federation.Social;

/// <summary>A valid Google ID token per test, one mutation per case; discovery and JWKS served by the stand-in.</summary>
[TestFixture]
public sealed class GoogleLoginValidatorTests
{
    private const string Discovery = "https://accounts.google.com/.well-known/openid-configuration";
    private const string Jwks = "https://www.googleapis.com/oauth2/v3/certs";
    private const string Key = "accounts.google.com";

    private readonly RsaTestKey _key = new("g1");
    private readonly RsaTestKey _impostor = new("g1");
    private readonly RsaTestKey _next = new("g2");
    private SocialTestHost _host = null!;
    private IdTokenProviderValidator _validator = null!;
    private List<TestKey> _published = null!;

    [SetUp]
    public void SetUp()
    {
        _host = new SocialTestHost();
        _published = [_key];
        _host.StandIn.Route(Discovery, _ => SocialStandIn.Json(new Dictionary<string, object> { ["issuer"] = "https://accounts.google.com", ["jwks_uri"] = Jwks }));
        _host.StandIn.Jwks(Jwks, () => _published);
        _validator = IdTokenProviderValidator.Google(_host.Reader, _host.Options);
    }

    [TearDown]
    public void TearDown() => _host.StandIn.Dispose();

    [OneTimeTearDown]
    public void DisposeKeys()
    {
        _key.Dispose();
        _impostor.Dispose();
        _next.Dispose();
    }

    private Dictionary<string, object?> Claims() => new()
    {
        ["iss"] = "https://accounts.google.com",
        ["aud"] = "web-client.apps.googleusercontent.com",
        ["azp"] = "android-client.apps.googleusercontent.com",
        ["sub"] = "110169484474386276334",
        ["email"] = "a@example.com",
        ["iat"] = _host.Now - 10,
        ["exp"] = _host.Now + 3600,
    };

    private Task<IdentityBroker.Errors.Result<IdentityBroker.Federation.ValidatedLogin>> Validate(string token, string ids = "web-client.apps.googleusercontent.com") =>
        _validator.ValidateAsync(SocialTestHost.Pool(Key, ids), Key, token, CancellationToken.None).AsTask();

    private string Token(Action<Dictionary<string, object?>>? change = null, TestKey? key = null)
    {
        var claims = Claims();
        change?.Invoke(claims);
        return Jws.Create(key ?? _key, claims);
    }

    [Test]
    public async Task Baseline_is_accepted_with_subject_amr_and_claims()
    {
        var login = Success(await Validate(Token()));
        Assert.That(login.ProviderKey, Is.EqualTo(Key));
        Assert.That(login.Subject, Is.EqualTo("110169484474386276334"));
        Assert.That(login.AuthenticationReference, Is.EqualTo("accounts.google.com:110169484474386276334"));
        Assert.That(login.Claims["email"], Is.EqualTo(new[] { "a@example.com" }));
    }

    [Test]
    public async Task Issuer_without_scheme_is_accepted_as_Google_issues_it() =>
        Success(await Validate(Token(c => c["iss"] = "accounts.google.com")));

    [Test]
    public async Task Handles_only_its_key_when_the_pool_lists_it()
    {
        var pool = SocialTestHost.Pool(Key, "x");
        Assert.That(await _validator.HandlesAsync(pool, Key, CancellationToken.None), Is.True);
        Assert.That(await _validator.HandlesAsync(pool, "appleid.apple.com", CancellationToken.None), Is.False);
        Assert.That(await _validator.HandlesAsync(SocialTestHost.Pool("appleid.apple.com", "x"), Key, CancellationToken.None), Is.False);
    }

    [Test]
    public async Task Expired_token_is_refused() =>
        Refused(await Validate(Token(c => c["exp"] = _host.Now - 600)), NotAuthorized, $"Invalid login token. Token expired: {_host.Now} >= {_host.Now - 600}");

    [Test]
    public async Task Token_issued_in_the_future_is_refused() =>
        Refused(await Validate(Token(c => c["iat"] = _host.Now + 3600)), NotAuthorized, $"Invalid login token. Token used before issued: {_host.Now} < {_host.Now + 3600}");

    [Test]
    public async Task Wrong_audience_is_refused_even_when_azp_is_a_configured_id() =>
        Refused(await Validate(Token(), "android-client.apps.googleusercontent.com"), NotAuthorized, Unsupported);

    [Test]
    public async Task Comma_separated_client_ids_accept_each_id()
    {
        const string ids = "ios-client.apps.googleusercontent.com, web-client.apps.googleusercontent.com";
        Success(await Validate(Token(), ids));
        Success(await Validate(Token(c => c["aud"] = "ios-client.apps.googleusercontent.com"), ids));
        Refused(await Validate(Token(c => c["aud"] = "other"), ids), NotAuthorized, Unsupported);
    }

    [Test]
    public async Task Wrong_issuer_is_refused() =>
        Refused(await Validate(Token(c => c["iss"] = "https://evil.example.com")), NotAuthorized, WrongIssuer);

    [Test]
    public async Task Signature_by_another_key_with_the_same_kid_is_refused() =>
        Refused(await Validate(Token(key: _impostor)), NotAuthorized, BadSignature);

    // One reader (JwtReader): Google tokens are read as strictly as OIDC ones (CompactJws), not by JsonWebTokenHandler.
    [Test]
    public async Task Crit_header_is_refused()
    {
        var header = new Dictionary<string, object?> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = "g1", ["crit"] = new[] { "exp" } };
        Refused(await Validate(Jws.Create(header, Claims(), _key.Sign)), NotAuthorized, BadSignature);
    }

    [Test]
    public async Task Padded_signature_is_refused()
    {
        var token = Token();
        Success(await Validate(token));
        Refused(await Validate(token + "=="), NotAuthorized, "Invalid login token. Not a valid OpenId Connect identity token.");
    }

    [Test]
    public async Task Repeated_claim_is_refused()
    {
        var parts = Token().Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Pad(parts[1].Replace('-', '+').Replace('_', '/'))));
        var repeated = Jws.B64(System.Text.Encoding.UTF8.GetBytes(payload[..^1] + ",\"sub\":\"admin\"}"));
        var input = parts[0] + "." + repeated;
        Refused(await Validate(input + "." + Jws.B64(_key.Sign(System.Text.Encoding.ASCII.GetBytes(input)))), NotAuthorized,
            "Invalid login token. Not a valid OpenId Connect identity token.");
    }

    private static string Pad(string base64) => base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');

    [Test]
    public async Task Missing_sub_is_refused() =>
        Refused(await Validate(Token(c => c.Remove("sub"))), NotAuthorized, "Invalid login token. Missing a required claim: sub");

    [Test]
    public async Task Unknown_kid_refetches_the_keys_once()
    {
        Success(await Validate(Token()));
        _published = [_key, _next];
        Success(await Validate(Token(key: _next)));
        Assert.That(_host.StandIn.CountOf(Jwks), Is.EqualTo(2));

        // A second unknown kid within the refresh interval does not hit Google again.
        using var stranger = new RsaTestKey("g9");
        Refused(await Validate(Token(key: stranger)), NotAuthorized, BadSignature);
        Assert.That(_host.StandIn.CountOf(Jwks), Is.EqualTo(2));
    }

    [Test]
    public async Task Discovery_naming_another_issuer_is_refused()
    {
        _host.StandIn.Route(Discovery, _ => SocialStandIn.Json(new Dictionary<string, object> { ["issuer"] = "https://evil.example.com", ["jwks_uri"] = Jwks }));
        Refused(await Validate(Token()), ExternalService, "Couldn't retrieve verification keys from accounts.google.com.");
    }

    [Test]
    public async Task Google_unreachable_is_an_external_service_error()
    {
        _host.StandIn.Unreachable = true;
        Refused(await Validate(Token()), ExternalService, "Couldn't retrieve verification keys from accounts.google.com.");
    }
}
