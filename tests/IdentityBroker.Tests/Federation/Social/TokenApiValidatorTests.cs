using System.Net;
using IdentityBroker.Errors;
using IdentityBroker.Federation;
using IdentityBroker.Federation.Social;
using IdentityBroker.Tests.Federation;
using static IdentityBroker.Tests.Federation.Social.SocialAssert;

namespace IdentityBroker.Tests.Federation.Social;

/// <summary>Facebook access tokens (Graph debug_token) and Limited Login JWTs against a stand-in Graph API.</summary>
[TestFixture]
public sealed class FacebookLoginValidatorTests
{
    private const string Key = "graph.facebook.com";
    private const string DebugToken = "https://graph.facebook.com/debug_token";
    private const string LimitedJwks = "https://limited.facebook.com/.well-known/oauth/openid/jwks/";
    private const string AccessToken = "EAAGm0PX4ZCpsBAKZCZB";
    private const string Secret = "s3cr3t-app-secret";
    private readonly RsaTestKey _key = new("fb1");
    private SocialTestHost _host = null!;
    private FacebookLoginValidator _validator = null!;
    private Dictionary<string, object> _data = null!;
    private HttpStatusCode _status;

    [SetUp]
    public void SetUp()
    {
        _host = new SocialTestHost(o =>
        {
            o.Providers.Facebook.AppSecrets["111"] = Secret;
            o.Providers.Facebook.AppSecrets["222"] = "other-secret";
        });
        _status = HttpStatusCode.OK;
        _data = new() { ["app_id"] = "111", ["type"] = "USER", ["is_valid"] = true, ["expires_at"] = _host.Now + 3600, ["user_id"] = "10158000000000001" };
        _host.StandIn.Route(DebugToken, request =>
        {
            var appToken = SocialStandIn.Query(request, "access_token")!;
            var known = SocialStandIn.Query(request, "input_token") == AccessToken && appToken is "111|" + Secret or "222|other-secret";
            return SocialStandIn.Json(known ? new Dictionary<string, object> { ["data"] = _data } : new() { ["error"] = new { code = 190 } }, known ? _status : HttpStatusCode.BadRequest);
        });
        _host.StandIn.Jwks(LimitedJwks, () => [_key]);
        _validator = new FacebookLoginValidator(_host.Reader, _host.Api, _host.Options, _host.Time);
    }

    [TearDown]
    public void TearDown() => _host.StandIn.Dispose();

    [OneTimeTearDown]
    public void DisposeKey() => _key.Dispose();

    private async Task<Result<ValidatedLogin>> Validate(string token = AccessToken, string ids = "111") =>
        await _validator.ValidateAsync(SocialTestHost.Pool(Key, ids), Key, token, CancellationToken.None);

    [Test]
    public async Task Baseline_access_token_is_accepted_with_the_Graph_user_id()
    {
        var login = Success(await Validate());
        Assert.That(login.Subject, Is.EqualTo("10158000000000001"));
        Assert.That(login.AuthenticationReference, Is.EqualTo("graph.facebook.com:10158000000000001"));
        Assert.That(login.Claims["aud"], Is.EqualTo(new[] { "111" }));
        Assert.That(login.Claims["sub"], Is.EqualTo(new[] { "10158000000000001" }));
        var request = _host.StandIn.Requests.Single();
        Assert.That(SocialStandIn.Query(request, "access_token"), Is.EqualTo("111|" + Secret));
    }

    [Test]
    public async Task Token_reported_invalid_is_refused()
    {
        _data["is_valid"] = false;
        Refused(await Validate(), NotAuthorized, "Invalid login token. Not a valid Facebook access token.", AccessToken, Secret);
    }

    [Test]
    public async Task Token_of_another_app_is_refused()
    {
        _data["app_id"] = "999";
        Refused(await Validate(), NotAuthorized, Unsupported);
    }

    [Test]
    public async Task Second_comma_separated_app_id_is_tried()
    {
        _data["app_id"] = "222";
        Success(await Validate(ids: "111,222"));
        Assert.That(_host.StandIn.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Expired_token_is_refused()
    {
        _data["expires_at"] = _host.Now - 5;
        Refused(await Validate(), NotAuthorized, $"Invalid login token. Token expired: {_host.Now} >= {_host.Now - 5}");
    }

    [Test]
    public async Task Token_without_expiry_is_accepted()
    {
        _data["expires_at"] = 0;
        Success(await Validate());
    }

    [Test]
    public async Task Graph_error_reply_is_refused() =>
        Refused(await Validate("EAAunknown"), NotAuthorized, "Invalid login token. Not a valid Facebook access token.");

    [Test]
    public async Task Graph_unreachable_is_an_external_service_error()
    {
        _host.StandIn.Unreachable = true;
        Refused(await Validate(), ExternalService, "Couldn't validate the login token with graph.facebook.com.", AccessToken, Secret);
    }

    [Test]
    public async Task Graph_server_error_is_an_external_service_error()
    {
        _status = HttpStatusCode.ServiceUnavailable;
        Refused(await Validate(), ExternalService, "Couldn't validate the login token with graph.facebook.com.");
    }

    [Test]
    public async Task App_id_without_secret_cannot_be_checked() =>
        Refused(await Validate(ids: "333"), ExternalService,
            "Couldn't validate the login token with graph.facebook.com: no app secret is configured for this app id.");

    [Test]
    public async Task Limited_Login_token_is_verified_with_the_JWKS()
    {
        var claims = new Dictionary<string, object?> { ["iss"] = "https://www.facebook.com", ["aud"] = "111", ["sub"] = "10158000000000002", ["iat"] = _host.Now, ["exp"] = _host.Now + 600 };
        var login = Success(await Validate(Jws.Create(_key, claims)));
        Assert.That(login.Subject, Is.EqualTo("10158000000000002"));
        Assert.That(_host.StandIn.CountOf(DebugToken), Is.Zero);

        claims["aud"] = "999";
        Refused(await Validate(Jws.Create(_key, claims)), NotAuthorized, Unsupported);
    }
}

/// <summary>Login with Amazon access tokens against stand-in token-info and profile APIs.</summary>
[TestFixture]
public sealed class AmazonLoginValidatorTests
{
    private const string Key = "www.amazon.com";
    private const string TokenInfo = "https://api.amazon.com/auth/o2/tokeninfo";
    private const string Profile = "https://api.amazon.com/user/profile";
    private const string AccessToken = "Atza|IwEBIJ-example";
    private const string ClientId = "amzn1.application-oa2-client.abc";
    private SocialTestHost _host = null!;
    private AmazonLoginValidator _validator = null!;
    private Dictionary<string, object> _info = null!;
    private HttpStatusCode _profileStatus;
    private string _profileUser = null!;

    [SetUp]
    public void SetUp()
    {
        _host = new SocialTestHost();
        _info = new() { ["iss"] = "https://www.amazon.com", ["user_id"] = "amzn1.account.USER1", ["aud"] = ClientId, ["app_id"] = "amzn1.application.app", ["exp"] = 3597, ["iat"] = _host.Now };
        _profileStatus = HttpStatusCode.OK;
        _profileUser = "amzn1.account.USER1";
        _host.StandIn.Route(TokenInfo, request => SocialStandIn.Query(request, "access_token") == AccessToken
            ? SocialStandIn.Json(_info)
            : SocialStandIn.Json(new { error = "invalid_token" }, HttpStatusCode.BadRequest));
        _host.StandIn.Route(Profile, request => request.Headers.Authorization?.ToString() == "Bearer " + AccessToken
            ? SocialStandIn.Json(new { user_id = _profileUser, name = "Alice" }, _profileStatus)
            : SocialStandIn.Json(new { error = "invalid_token" }, HttpStatusCode.Unauthorized));
        _validator = new AmazonLoginValidator(_host.Api, _host.Options);
    }

    [TearDown]
    public void TearDown() => _host.StandIn.Dispose();

    private async Task<Result<ValidatedLogin>> Validate(string token = AccessToken, string ids = ClientId) =>
        await _validator.ValidateAsync(SocialTestHost.Pool(Key, ids), Key, token, CancellationToken.None);

    [Test]
    public async Task Baseline_is_accepted_with_the_profile_user_id()
    {
        var login = Success(await Validate());
        Assert.That(login.Subject, Is.EqualTo("amzn1.account.USER1"));
        Assert.That(login.AuthenticationReference, Is.EqualTo("www.amazon.com:amzn1.account.USER1"));
        Assert.That(login.Claims["aud"], Is.EqualTo(new[] { ClientId }));
    }

    [Test]
    public async Task Audience_of_another_client_is_refused()
    {
        _info["aud"] = "amzn1.application-oa2-client.other";
        Refused(await Validate(), NotAuthorized, Unsupported);
        Assert.That(_host.StandIn.CountOf(Profile), Is.Zero);
    }

    [Test]
    public async Task Comma_separated_client_ids_are_accepted() =>
        Success(await Validate(ids: "amzn1.application-oa2-client.other," + ClientId));

    [Test]
    public async Task Token_refused_by_tokeninfo_is_refused() =>
        Refused(await Validate("Atza|forged"), NotAuthorized, "Invalid login token. Not a valid Login with Amazon access token.", "Atza|forged");

    [Test]
    public async Task Expired_token_is_refused()
    {
        _info["exp"] = 0;
        Refused(await Validate(), NotAuthorized, "Invalid login token. Token expired.");
    }

    [Test]
    public async Task Profile_of_another_user_is_refused()
    {
        _profileUser = "amzn1.account.USER2";
        Refused(await Validate(), NotAuthorized, "Invalid login token. Not a valid Login with Amazon access token.");
    }

    [Test]
    public async Task Profile_server_error_is_an_external_service_error()
    {
        _profileStatus = HttpStatusCode.BadGateway;
        Refused(await Validate(), ExternalService, "Couldn't validate the login token with www.amazon.com.", AccessToken);
    }

    [Test]
    public async Task Amazon_unreachable_is_an_external_service_error()
    {
        _host.StandIn.Unreachable = true;
        Refused(await Validate(), ExternalService, "Couldn't validate the login token with www.amazon.com.");
    }
}

[TestFixture]
public sealed class ProvidersOptionsValidationTests
{
    private static IEnumerable<string> Failures(Action<BrokerOptions> change)
    {
        var options = new BrokerOptions();
        change(options);
        return new ProvidersOptionsValidation().Validate(null, options).Failures ?? [];
    }

    [Test]
    public void Defaults_are_valid() => Assert.That(Failures(_ => { }), Is.Empty);

    [Test]
    public void Loopback_http_overrides_are_accepted() => Assert.That(Failures(o =>
    {
        o.Providers.Google.DiscoveryUrl = "http://127.0.0.1:8080/.well-known/openid-configuration";
        o.Providers.Amazon.ProfileUrl = "http://localhost:9000/user/profile";
        o.Providers.UserPools.IssuerBase = "http://[::1]:9229/{region}";
    }), Is.Empty);

    [Test]
    public void Plain_http_on_another_host_is_refused() =>
        Assert.That(Failures(o => o.Providers.Apple.JwksUrl = "http://keys.example.com/auth/keys"),
            Has.One.Contains("Broker:Providers:Apple:JwksUrl must use https"));

    [Test]
    public void Relative_url_is_refused() =>
        Assert.That(Failures(o => o.Providers.Facebook.GraphBaseUrl = "graph.facebook.com"), Has.One.Contains("Broker:Providers:Facebook:GraphBaseUrl"));

    [Test]
    public void Query_on_token_info_is_refused() =>
        Assert.That(Failures(o => o.Providers.Amazon.TokenInfoUrl = "https://api.amazon.com/auth/o2/tokeninfo?x=1"), Has.One.Contains("must not have a query"));

    [Test]
    public void Empty_app_secret_is_refused_without_echoing_secrets() =>
        Assert.That(Failures(o => o.Providers.Facebook.AppSecrets["123"] = ""), Has.One.Contains("Broker:Providers:Facebook:AppSecrets:123"));
}
