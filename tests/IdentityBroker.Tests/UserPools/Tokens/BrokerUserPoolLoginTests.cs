using IdentityBroker.Federation.UserPools;
using IdentityBroker.Pools;
using IdentityBroker.UserPools.Tokens;

namespace IdentityBroker.Tests.UserPools.Tokens;

/// <summary>
/// A broker user pool as an identity-pool provider (ProviderName = the pool's issuer without scheme): its ID tokens are
/// validated with the pool's key in process, and ServerSideTokenCheck refuses a signed-out session.
/// </summary>
[TestFixture]
public sealed class BrokerUserPoolLoginTests
{
    private const string ProviderName = "broker.example.com/" + UserPoolTokenKit.PoolId;

    private UserPoolTokenKit _kit = null!;
    private UserPoolLoginValidator _validator = null!;
    private UserPoolTokens _tokens = null!;

    [SetUp]
    public async Task SignInAsync()
    {
        _kit = await new UserPoolTokenKit().WithPoolAsync();
        _validator = new UserPoolLoginValidator(_kit.Reader, _kit.Options, _kit.Logins);
        _tokens = await _kit.Sessions.StartAsync(_kit.Grant(), CancellationToken.None);
    }

    [TearDown]
    public async Task DisposeKitAsync()
    {
        Assert.That(_kit.Http.Requests, Is.Zero, "the broker's own pools are validated in process");
        await _kit.DisposeAsync();
    }

    private static IdentityPool Pool(bool serverSideTokenCheck, string clientId = UserPoolTokenKit.ClientId) => new()
    {
        IdentityPoolId = "us-east-1:11111111-2222-3333-4444-555555555555",
        IdentityPoolName = "paired",
        AllowUnauthenticatedIdentities = false,
        CognitoIdentityProviders = [new CognitoIdentityProvider { ProviderName = ProviderName, ClientId = clientId, ServerSideTokenCheck = serverSideTokenCheck }],
    };

    [Test]
    public async Task The_pools_provider_name_is_its_issuer_without_scheme()
    {
        Assert.That(_kit.Issuer.ProviderNameOf(UserPoolTokenKit.PoolId), Is.EqualTo(ProviderName));
        Assert.That(_kit.Logins.PoolIdOf(ProviderName), Is.EqualTo(UserPoolTokenKit.PoolId));
        Assert.That(_kit.Logins.PoolIdOf("other.example.com/" + UserPoolTokenKit.PoolId), Is.Null);
        Assert.That(_kit.Logins.PoolIdOf("cognito-idp.us-east-1.amazonaws.com/" + UserPoolTokenKit.PoolId), Is.Null);
        Assert.That(await _validator.HandlesAsync(Pool(false), ProviderName, CancellationToken.None), Is.True);
    }

    [Test]
    public async Task An_id_token_of_the_pool_is_a_login_with_its_group_claims_for_role_mapping()
    {
        var login = await _validator.ValidateAsync(Pool(true), ProviderName, _tokens.IdToken, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(login.IsSuccess, Is.True, login.Error?.Message);
            Assert.That(login.Value.Subject, Is.EqualTo("sub-alice"));
            Assert.That(login.Value.ProviderKey, Is.EqualTo(ProviderName));
            Assert.That(login.Value.Claims["cognito:preferred_role"], Is.EqualTo(new[] { "arn:aws:iam::000000000000:role/Admins" }));
            Assert.That(login.Value.Claims["cognito:roles"], Has.Count.EqualTo(2));
            Assert.That(login.Value.Claims["cognito:groups"], Does.Contain("readers"));
        });
    }

    [Test]
    public async Task With_ServerSideTokenCheck_a_signed_out_session_is_refused()
    {
        await _kit.Sessions.SignOutUserAsync(UserPoolTokenKit.PoolId, "sub-alice", CancellationToken.None);

        var login = await _validator.ValidateAsync(Pool(true), ProviderName, _tokens.IdToken, CancellationToken.None);

        Assert.That(login.Error?.Type, Is.EqualTo("NotAuthorizedException"));
    }

    [Test]
    public async Task Without_ServerSideTokenCheck_a_signed_out_session_is_accepted_until_exp()
    {
        await _kit.Sessions.SignOutUserAsync(UserPoolTokenKit.PoolId, "sub-alice", CancellationToken.None);

        var login = await _validator.ValidateAsync(Pool(false), ProviderName, _tokens.IdToken, CancellationToken.None);

        Assert.That(login.IsSuccess, Is.True);
    }

    [Test]
    public async Task An_access_token_or_another_clients_id_token_is_not_a_login()
    {
        var access = await _validator.ValidateAsync(Pool(false), ProviderName, _tokens.AccessToken, CancellationToken.None);
        var otherClient = await _validator.ValidateAsync(Pool(false, UserPoolTokenKit.SecretClientId), ProviderName, _tokens.IdToken, CancellationToken.None);

        Assert.That(access.Error?.Type, Is.EqualTo("NotAuthorizedException"));
        Assert.That(otherClient.Error?.Type, Is.EqualTo("NotAuthorizedException"));
    }

    [Test]
    public async Task An_expired_id_token_is_refused()
    {
        _kit.Time.Advance(TimeSpan.FromHours(1));

        var login = await _validator.ValidateAsync(Pool(false), ProviderName, _tokens.IdToken, CancellationToken.None);

        Assert.That(login.Error?.Message, Does.StartWith("Invalid login token. Token expired"));
    }
}
