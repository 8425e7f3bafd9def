using IdentityBroker.Errors;
using IdentityBroker.UserPools.OAuth;

namespace IdentityBroker.Tests.UserPools.OAuth;

[TestFixture]
public sealed class AuthorizeRequestsTests
{
    private OAuthFixture _fixture = null!;
    private AuthorizeRequests _requests = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _fixture = await OAuthFixture.CreateAsync();
        _requests = new AuthorizeRequests(_fixture.Store);
    }

    [TearDown]
    public async Task TearDownAsync() => await _fixture.DisposeAsync();

    private Task<Result<ValidatedAuthorize>> ValidateAsync(AuthorizeRequest request) => _requests.ValidateAsync(_fixture.Pool, request, CancellationToken.None);

    private static AuthorizeRequest Valid => OAuthFixture.ValidRequest("publicclient00000000000001");

    [Test]
    public async Task A_valid_code_request_of_a_public_client_with_pkce_is_validated_with_its_scopes()
    {
        var validated = await ValidateAsync(Valid);

        Assert.That(validated.IsSuccess, Is.True);
        Assert.That(validated.Value.Client.ClientId, Is.EqualTo("publicclient00000000000001"));
        Assert.That(validated.Value.Request.Scopes, Is.EqualTo(new[] { "openid", "email" }));
    }

    [Test]
    public async Task A_request_naming_no_scope_gets_every_scope_the_client_allows()
    {
        var validated = await ValidateAsync(Valid with { Scopes = [] });

        Assert.That(validated.Value.Request.Scopes, Is.EqualTo(new[] { "openid", "email", "https://api.example.com/read" }));
    }

    [TestCase("nosuchclient", OAuthFixture.Callback, "invalid_client")]
    [TestCase("publicclient00000000000001", "https://evil.example/callback", "redirect_mismatch")]
    [TestCase("publicclient00000000000001", OAuthFixture.Callback + "/", "redirect_mismatch")]
    [TestCase("publicclient00000000000001", "HTTPS://app.example/callback", "redirect_mismatch")]
    public async Task An_unknown_client_or_a_redirect_uri_not_registered_exactly_is_shown_as_a_page_never_redirected(
        string clientId, string redirectUri, string error)
    {
        var validated = await ValidateAsync(Valid with { ClientId = clientId, RedirectUri = redirectUri });

        Assert.That(validated.Error!.Type, Is.EqualTo(error));
        Assert.That(AuthorizeErrors.IsShownAsPage(validated.Error), Is.True);
    }

    private static IEnumerable<TestCaseData> RedirectedRefusals()
    {
        yield return new TestCaseData(Valid with { CodeChallenge = null, CodeChallengeMethod = null }, "invalid_request").SetName("No PKCE for a public client");
        yield return new TestCaseData(Valid with { CodeChallengeMethod = "plain" }, "invalid_request").SetName("PKCE plain");
        yield return new TestCaseData(Valid with { CodeChallenge = "short" }, "invalid_request").SetName("A malformed challenge");
        yield return new TestCaseData(Valid with { ResponseType = "id_token" }, "unsupported_response_type").SetName("An unknown response type");
        yield return new TestCaseData(Valid with { Scopes = ["openid", "phone"] }, "invalid_scope").SetName("A scope the client is not allowed");
        yield return new TestCaseData(Valid with { IdentityProvider = "Google" }, "invalid_request").SetName("A provider the client does not support");
    }

    [TestCaseSource(nameof(RedirectedRefusals))]
    public async Task A_refusal_after_the_client_and_redirect_uri_are_verified_goes_back_to_the_client(AuthorizeRequest request, string error)
    {
        var validated = await ValidateAsync(request);

        Assert.That(validated.Error!.Type, Is.EqualTo(error));
        Assert.That(AuthorizeErrors.IsShownAsPage(validated.Error), Is.False);
    }

    [Test]
    public async Task A_confidential_client_may_ask_for_a_code_without_pkce_and_token_where_implicit_is_allowed()
    {
        var code = await ValidateAsync(Valid with { ClientId = "confidential0000000000001", CodeChallenge = null, CodeChallengeMethod = null });
        var token = await ValidateAsync(Valid with { ResponseType = AuthorizeRequest.Token, CodeChallenge = null, CodeChallengeMethod = null });

        Assert.That(code.IsSuccess, Is.True);
        Assert.That(token.IsSuccess, Is.True);
    }

    [Test]
    public void The_query_the_hosted_pages_carry_reads_back_as_the_same_request()
    {
        var request = Valid with { LoginHint = "a b&c=d", IdentityProvider = "COGNITO", Prompt = "login" };
        var query = System.Web.HttpUtility.ParseQueryString(request.ToQueryString());
        var back = AuthorizeRequest.FromQuery(query.AllKeys.ToDictionary(k => k!, k => (string?)query[k]));

        Assert.That(back, Is.Not.Null);
        Assert.That(back!.ToQueryString(), Is.EqualTo(request.ToQueryString()));
        Assert.That(back.ForcesLogin, Is.True);
    }

    [Test]
    public void A_query_without_a_redirect_uri_or_with_an_overlong_value_is_no_request()
    {
        Assert.That(AuthorizeRequest.FromQuery(new Dictionary<string, string?> { ["client_id"] = "c" }), Is.Null);
        Assert.That(AuthorizeRequest.FromQuery(new Dictionary<string, string?>
        {
            ["client_id"] = "c", ["redirect_uri"] = OAuthFixture.Callback, ["state"] = new string('s', AuthorizeRequest.MaxParameterLength + 1),
        }), Is.Null);
    }
}
