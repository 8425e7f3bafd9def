using IdentityBroker.Errors;
using IdentityBroker.UserPools.Tokens;

namespace IdentityBroker.Tests.UserPools.Tokens;

/// <summary>A valid access token from a live session, and one change per test that must refuse it with Cognito's wording.</summary>
[TestFixture]
public sealed class AccessTokenAuthenticatorTests
{
    private UserPoolTokenKit _kit = null!;
    private UserPoolTokens _tokens = null!;

    [SetUp]
    public async Task SignInAsync()
    {
        _kit = await new UserPoolTokenKit().WithPoolAsync();
        _tokens = await _kit.Sessions.StartAsync(_kit.Grant(), CancellationToken.None);
    }

    [TearDown]
    public async Task DisposeKitAsync()
    {
        Assert.That(_kit.Http.Requests, Is.Zero, "keys are read in process");
        await _kit.DisposeAsync();
    }

    private Task<Result<AuthenticatedAccess>> AuthenticateAsync(string? token = null) =>
        _kit.Authenticator.AuthenticateAsync(token ?? _tokens.AccessToken, CancellationToken.None);

    private static void AssertRefused(Result<AuthenticatedAccess> result, AwsError expected)
    {
        Assert.That(result.IsSuccess, Is.False);
        Assert.That(result.Error, Is.EqualTo(expected));
    }

    [Test]
    public async Task A_live_access_token_says_whom_it_speaks_for()
    {
        var access = (await AuthenticateAsync()).Value;

        Assert.Multiple(() =>
        {
            Assert.That(access.UserPoolId, Is.EqualTo(UserPoolTokenKit.PoolId));
            Assert.That(access.Username, Is.EqualTo("alice"));
            Assert.That(access.Sub, Is.EqualTo("sub-alice"));
            Assert.That(access.ClientId, Is.EqualTo(UserPoolTokenKit.ClientId));
            Assert.That(access.OriginJti, Is.EqualTo(UserPoolTokenKit.Payload(_tokens.AccessToken).GetProperty("origin_jti").GetString()));
        });
    }

    [Test]
    public async Task An_access_token_at_its_exp_has_expired()
    {
        _kit.Time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));
        Assert.That((await AuthenticateAsync()).IsSuccess, Is.True);

        _kit.Time.Advance(TimeSpan.FromSeconds(1));
        AssertRefused(await AuthenticateAsync(), UserPoolTokenErrors.AccessTokenExpired);
    }

    [Test]
    public async Task Global_sign_out_revokes_the_access_token_at_once()
    {
        await _kit.Sessions.SignOutUserAsync(UserPoolTokenKit.PoolId, "sub-alice", CancellationToken.None);

        AssertRefused(await AuthenticateAsync(), UserPoolTokenErrors.AccessTokenRevoked);
    }

    [Test]
    public async Task Revoking_the_refresh_token_revokes_the_access_tokens_of_its_session_only()
    {
        var other = await _kit.Sessions.StartAsync(_kit.Grant(), CancellationToken.None);

        var revoked = await _kit.Sessions.RevokeAsync(_tokens.RefreshToken!, UserPoolTokenKit.ClientId, null, CancellationToken.None);

        Assert.That(revoked.IsSuccess, Is.True);
        AssertRefused(await AuthenticateAsync(), UserPoolTokenErrors.AccessTokenRevoked);
        Assert.That((await AuthenticateAsync(other.AccessToken)).IsSuccess, Is.True);
    }

    [Test]
    public async Task An_id_token_is_not_an_access_token() =>
        AssertRefused(await AuthenticateAsync(_tokens.IdToken), UserPoolTokenErrors.InvalidAccessToken);

    [Test]
    public async Task A_changed_signature_is_an_invalid_access_token()
    {
        var parts = _tokens.AccessToken.Split('.');
        var signature = parts[2].ToCharArray();
        signature[10] = signature[10] == 'A' ? 'B' : 'A';

        AssertRefused(await AuthenticateAsync($"{parts[0]}.{parts[1]}.{new string(signature)}"), UserPoolTokenErrors.InvalidAccessToken);
    }

    [Test]
    public async Task A_token_signed_by_another_pools_key_is_an_invalid_access_token()
    {
        var otherKey = await _kit.Keys.GetOrCreateAsync("us-east-1_OtherPool1", CancellationToken.None);
        var parts = _tokens.AccessToken.Split('.');
        var forged = otherKey.Signer.Sign(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]));

        AssertRefused(await AuthenticateAsync(forged), UserPoolTokenErrors.InvalidAccessToken);
    }

    [TestCase("not-a-token")]
    [TestCase("")]
    public async Task Garbage_is_an_invalid_access_token(string token) =>
        AssertRefused(await AuthenticateAsync(token), UserPoolTokenErrors.InvalidAccessToken);

    [Test]
    public async Task A_pool_never_issued_by_this_broker_creates_no_key_and_is_refused()
    {
        var payload = UserPoolTokenKit.Payload(_tokens.AccessToken).GetRawText()
            .Replace(UserPoolTokenKit.PoolId, "us-east-1_Unknown99", StringComparison.Ordinal);
        var key = await _kit.Keys.GetOrCreateAsync(UserPoolTokenKit.PoolId, CancellationToken.None);
        var token = key.Signer.Sign(System.Text.Encoding.UTF8.GetBytes(payload));

        AssertRefused(await AuthenticateAsync(token), UserPoolTokenErrors.InvalidAccessToken);
        Assert.That(await _kit.Store.GetKeysAsync(UserPoolSigningKeys.PurposePrefix + "us-east-1_Unknown99", CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task An_access_token_without_the_admin_scope_may_not_call_user_operations()
    {
        var tokens = await _kit.Tokens.IssueAsync(_kit.Grant() with { Scopes = ["openid"] },
            UserPoolTokenKit.Payload(_tokens.AccessToken).GetProperty("origin_jti").GetString()!, CancellationToken.None);

        AssertRefused(await AuthenticateAsync(tokens.AccessToken), UserPoolTokenErrors.MissingScope);
    }

    [Test]
    public async Task A_verified_token_is_remembered_and_still_stops_at_once_after_global_sign_out()
    {
        Assert.That((await AuthenticateAsync()).IsSuccess, Is.True);
        Assert.That(_kit.Verified.Count, Is.EqualTo(1));
        Assert.That((await AuthenticateAsync()).IsSuccess, Is.True, "from the cache");

        await _kit.Sessions.SignOutUserAsync(UserPoolTokenKit.PoolId, "sub-alice", CancellationToken.None);
        AssertRefused(await AuthenticateAsync(), UserPoolTokenErrors.AccessTokenRevoked);
    }

    [Test]
    public async Task A_remembered_token_expires_at_its_exp()
    {
        Assert.That((await AuthenticateAsync()).IsSuccess, Is.True);
        var exp = DateTimeOffset.FromUnixTimeSeconds(UserPoolTokenKit.Payload(_tokens.AccessToken).GetProperty("exp").GetInt64());
        _kit.Time.SetUtcNow(exp - TimeSpan.FromMilliseconds(1));
        Assert.That((await AuthenticateAsync()).IsSuccess, Is.True);
        _kit.Time.SetUtcNow(exp);
        AssertRefused(await AuthenticateAsync(), UserPoolTokenErrors.AccessTokenExpired);
    }

    [Test]
    public async Task The_verified_token_cache_is_bounded()
    {
        var access = (await AuthenticateAsync()).Value;
        var cache = new VerifiedAccessTokens(_kit.Time);
        var until = _kit.Time.GetUtcNow().AddHours(1);
        for (var i = 0; i <= VerifiedAccessTokens.Capacity; i++)
        {
            cache.Add("token-" + i, access, until);
        }

        Assert.That(cache.Count, Is.LessThanOrEqualTo(VerifiedAccessTokens.Capacity));
    }
}
