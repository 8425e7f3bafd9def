using IdentityBroker.Errors;
using IdentityBroker.UserPools.OAuth;

namespace IdentityBroker.Tests.UserPools.OAuth;

[TestFixture]
public sealed class AuthorizationCodesTests
{
    private const string PublicId = "publicclient00000000000001";
    private OAuthFixture _fixture = null!;
    private AuthorizationCodes _codes = null!;
    private ValidatedAuthorize _validated = null!;
    private DateTimeOffset _authTime;

    [SetUp]
    public async Task SetUpAsync()
    {
        _fixture = await OAuthFixture.CreateAsync();
        _codes = new AuthorizationCodes(_fixture.Store, _fixture.Time);
        _validated = (await new AuthorizeRequests(_fixture.Store).ValidateAsync(_fixture.Pool, OAuthFixture.ValidRequest(PublicId), CancellationToken.None)).Value;
        _authTime = _fixture.Time.GetUtcNow().AddSeconds(-30);
    }

    [TearDown]
    public async Task TearDownAsync() => await _fixture.DisposeAsync();

    private Task<string> IssueAsync() => _codes.IssueAsync(_validated, "sub-1", _authTime, CancellationToken.None);

    private Task<Result<AuthorizationCode>> RedeemAsync(string code, string clientId = PublicId, string redirect = OAuthFixture.Callback,
        string? verifier = OAuthFixture.Verifier) =>
        _codes.RedeemAsync(_fixture.Pool.Id, clientId, code, redirect, verifier, CancellationToken.None);

    [Test]
    public async Task A_code_redeemed_by_its_client_with_its_redirect_uri_and_verifier_carries_the_user_scopes_nonce_and_auth_time()
    {
        var redeemed = await RedeemAsync(await IssueAsync());

        Assert.That(redeemed.IsSuccess, Is.True);
        Assert.That(redeemed.Value.Sub, Is.EqualTo("sub-1"));
        Assert.That(redeemed.Value.Scopes, Is.EqualTo(new[] { "openid", "email" }));
        Assert.That(redeemed.Value.Nonce, Is.EqualTo("nonce-1"));
        Assert.That(redeemed.Value.AuthTime, Is.EqualTo(_authTime));
    }

    [Test]
    public async Task A_code_is_single_use()
    {
        var code = await IssueAsync();
        await RedeemAsync(code);

        Assert.That((await RedeemAsync(code)).Error, Is.EqualTo(TokenEndpointErrors.InvalidGrant));
    }

    [Test]
    public async Task A_code_lives_five_minutes()
    {
        var kept = await IssueAsync();
        var expired = await IssueAsync();
        _fixture.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        var inTime = await RedeemAsync(kept);
        _fixture.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.That(inTime.IsSuccess, Is.True);
        Assert.That((await RedeemAsync(expired)).Error, Is.EqualTo(TokenEndpointErrors.InvalidGrant));
    }

    [TestCase("confidential0000000000001", OAuthFixture.Callback, OAuthFixture.Verifier)]
    [TestCase(PublicId, "https://app.example/other", OAuthFixture.Verifier)]
    [TestCase(PublicId, OAuthFixture.Callback, "wrong-verifier-wrong-verifier-wrong-verifier-1")]
    [TestCase(PublicId, OAuthFixture.Callback, null)]
    public async Task A_code_redeemed_by_another_client_redirect_uri_or_verifier_is_invalid_grant_and_spent(string clientId, string redirect, string? verifier)
    {
        var code = await IssueAsync();

        Assert.That((await RedeemAsync(code, clientId, redirect, verifier)).Error, Is.EqualTo(TokenEndpointErrors.InvalidGrant));
        Assert.That((await RedeemAsync(code)).Error, Is.EqualTo(TokenEndpointErrors.InvalidGrant));
    }

    [Test]
    public async Task The_code_itself_is_never_stored()
    {
        var code = await IssueAsync();

        Assert.That(await _fixture.Store.TakeAuthorizationCodeAsync(_fixture.Pool.Id, code, CancellationToken.None), Is.Null);
    }
}
