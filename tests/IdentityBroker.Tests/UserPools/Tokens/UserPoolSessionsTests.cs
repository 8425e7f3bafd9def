using IdentityBroker.UserPools.Sessions;
using IdentityBroker.UserPools.Tokens;

namespace IdentityBroker.Tests.UserPools.Tokens;

/// <summary>Sign-in sessions: the refresh token's life (REFRESH_TOKEN_AUTH's checks) and RevokeToken's.</summary>
[TestFixture]
public sealed class UserPoolSessionsTests
{
    private UserPoolTokenKit _kit = null!;

    [SetUp]
    public async Task CreateKitAsync() => _kit = await new UserPoolTokenKit().WithPoolAsync();

    [TearDown]
    public async Task DisposeKitAsync() => await _kit.DisposeAsync();

    private Task<UserPoolTokens> SignInAsync() => _kit.Sessions.StartAsync(_kit.Grant(), CancellationToken.None);

    [Test]
    public async Task A_refresh_token_is_opaque_fits_the_model_and_is_stored_only_as_a_hash()
    {
        var tokens = await SignInAsync();
        var origin = UserPoolTokenKit.Payload(tokens.IdToken).GetProperty("origin_jti").GetString()!;
        var session = await _kit.Store.GetSessionAsync(UserPoolTokenKit.PoolId, origin, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(tokens.RefreshToken, Does.Match("^[A-Za-z0-9_-]+$"), "TokenModelType, and no dots: not a JWT");
            Assert.That(session, Is.Not.Null);
            Assert.That(session!.RefreshTokenHash, Does.Not.Contain(tokens.RefreshToken!));
            Assert.That(session.ExpiresAt, Is.EqualTo(_kit.Time.GetUtcNow().AddDays(30)));
            Assert.That(session.Sub, Is.EqualTo("sub-alice"));
        });
    }

    [Test]
    public async Task Refreshing_issues_new_tokens_of_the_same_session_and_auth_time()
    {
        var tokens = await SignInAsync();
        _kit.Time.Advance(TimeSpan.FromHours(2));

        var session = (await _kit.Sessions.RedeemAsync(_kit.Client, tokens.RefreshToken!, CancellationToken.None)).Value;
        var refreshed = await _kit.Sessions.RefreshAsync(_kit.Grant() with { AuthTime = _kit.Time.GetUtcNow() }, session, CancellationToken.None);
        var before = UserPoolTokenKit.Payload(tokens.IdToken);
        var after = UserPoolTokenKit.Payload(refreshed.IdToken);

        Assert.Multiple(() =>
        {
            Assert.That(after.GetProperty("origin_jti").GetString(), Is.EqualTo(before.GetProperty("origin_jti").GetString()));
            Assert.That(after.GetProperty("auth_time").GetInt64(), Is.EqualTo(before.GetProperty("auth_time").GetInt64()));
            Assert.That(after.GetProperty("iat").GetInt64(), Is.EqualTo(before.GetProperty("iat").GetInt64() + 7200));
            Assert.That(refreshed.RefreshToken, Is.Null, "the refresh token is not reissued");
        });
    }

    [Test]
    public async Task A_refresh_token_expires_with_the_client_validity()
    {
        var tokens = await SignInAsync();
        _kit.Time.Advance(TimeSpan.FromDays(30));

        var redeemed = await _kit.Sessions.RedeemAsync(_kit.Client, tokens.RefreshToken!, CancellationToken.None);

        Assert.That(redeemed.Error, Is.EqualTo(UserPoolTokenErrors.RefreshTokenExpired));
    }

    [Test]
    public async Task A_revoked_refresh_token_is_refused()
    {
        var tokens = await SignInAsync();
        await _kit.Sessions.SignOutUserAsync(UserPoolTokenKit.PoolId, "sub-alice", CancellationToken.None);

        var redeemed = await _kit.Sessions.RedeemAsync(_kit.Client, tokens.RefreshToken!, CancellationToken.None);

        Assert.That(redeemed.Error, Is.EqualTo(UserPoolTokenErrors.RefreshTokenRevoked));
    }

    [Test]
    public async Task A_refresh_token_of_another_client_or_with_a_changed_secret_is_invalid()
    {
        var tokens = await SignInAsync();
        var decoded = RefreshToken.TryDecode(tokens.RefreshToken)!;
        var forged = decoded with { Secret = new byte[32] };
        var otherClient = UserPoolTokenKit.NewClient(UserPoolTokenKit.SecretClientId, UserPoolTokenKit.ClientSecret, UserPoolTokenKit.Settings());

        Assert.Multiple(async () =>
        {
            Assert.That((await _kit.Sessions.RedeemAsync(otherClient, tokens.RefreshToken!, CancellationToken.None)).Error,
                Is.EqualTo(UserPoolTokenErrors.InvalidRefreshToken));
            Assert.That((await _kit.Sessions.RedeemAsync(_kit.Client, forged.Encode(), CancellationToken.None)).Error,
                Is.EqualTo(UserPoolTokenErrors.InvalidRefreshToken));
            Assert.That((await _kit.Sessions.RedeemAsync(_kit.Client, tokens.AccessToken, CancellationToken.None)).Error,
                Is.EqualTo(UserPoolTokenErrors.InvalidRefreshToken));
        });
    }

    [Test]
    public async Task RevokeToken_checks_the_token_kind_the_client_its_secret_and_its_setting_before_revoking()
    {
        var tokens = await SignInAsync();
        var token = tokens.RefreshToken!;
        var ct = CancellationToken.None;

        Assert.Multiple(async () =>
        {
            Assert.That((await _kit.Sessions.RevokeAsync(tokens.AccessToken, UserPoolTokenKit.ClientId, null, ct)).Error?.Type,
                Is.EqualTo("UnsupportedTokenTypeException"));
            Assert.That((await _kit.Sessions.RevokeAsync(token, "nosuchclient", null, ct)).Error?.Type, Is.EqualTo("ResourceNotFoundException"));
            Assert.That((await _kit.Sessions.RevokeAsync(token, UserPoolTokenKit.SecretClientId, null, ct)).Error?.Type,
                Is.EqualTo("NotAuthorizedException"));
            Assert.That((await _kit.Sessions.RevokeAsync(token, UserPoolTokenKit.SecretClientId, UserPoolTokenKit.ClientSecret + "x", ct)).Error?.Type,
                Is.EqualTo("NotAuthorizedException"));
            Assert.That((await _kit.Sessions.RevokeAsync(token, UserPoolTokenKit.NoRevocationClientId, null, ct)).Error?.Type,
                Is.EqualTo("UnsupportedOperationException"));
            Assert.That((await _kit.Sessions.RevokeAsync(token, UserPoolTokenKit.SecretClientId, UserPoolTokenKit.ClientSecret, ct)).IsSuccess,
                Is.True, "another client's token is no error (RFC 7009 §2.2) ...");
            Assert.That((await _kit.Sessions.RedeemAsync(_kit.Client, token, ct)).IsSuccess, Is.True, "... and is not revoked");
        });

        Assert.That((await _kit.Sessions.RevokeAsync(token, UserPoolTokenKit.ClientId, null, ct)).IsSuccess, Is.True);
        Assert.That((await _kit.Sessions.RedeemAsync(_kit.Client, token, ct)).Error, Is.EqualTo(UserPoolTokenErrors.RefreshTokenRevoked));
    }

    [Test]
    public async Task Signing_out_a_user_leaves_other_users_signed_in()
    {
        var alice = await SignInAsync();
        var bob = await _kit.Sessions.StartAsync(_kit.Grant("sub-bob"), CancellationToken.None);

        Assert.That(await _kit.Sessions.SignOutUserAsync(UserPoolTokenKit.PoolId, "sub-alice", CancellationToken.None), Is.EqualTo(1));
        Assert.That((await _kit.Authenticator.AuthenticateAsync(alice.AccessToken, CancellationToken.None)).IsSuccess, Is.False);
        Assert.That((await _kit.Authenticator.AuthenticateAsync(bob.AccessToken, CancellationToken.None)).IsSuccess, Is.True);
    }
}
