using IdentityBroker.Storage.Redis;
using IdentityBroker.Tests.Federation;
using IdentityBroker.Tests.Storage;
using IdentityBroker.Tokens;
using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Sessions;
using IdentityBroker.UserPools.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.UserPools.Tokens;

/// <summary>
/// Two replicas — each its own Redis connection, keys, verified-token cache and authenticator — over one redis-server: a
/// token one replica has verified (and remembers) stops working there on the next call after the other replica revokes
/// its session (GlobalSignOut, RevokeToken, AdminUserGlobalSignOut all revoke sessions through <see cref="UserPoolSessions"/>).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class AccessTokenReplicaTests
{
    private RedisTestServer _redis = null!;
    private Replica _a = null!;
    private Replica _b = null!;
    private UserPoolTokens _tokens = null!;

    [OneTimeSetUp]
    public async Task StartRedisAsync() => _redis = await RedisTestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopRedisAsync() => await _redis.DisposeAsync();

    [SetUp]
    public async Task SignInOnReplicaBAsync()
    {
        var prefix = $"ibt-{Guid.NewGuid():N}";
        // Redis expires sessions on its own clock: the fake clock starts at the real time.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _a = new Replica(_redis.Configuration, prefix, time);
        _b = new Replica(_redis.Configuration, prefix, time);
        var pool = new UserPool(UserPoolTokenKit.PoolId, "replicas", "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + UserPoolTokenKit.PoolId,
            new UserPoolSettings(new PasswordPolicy(), UserPoolSettings.DeletionProtectionInactive, UserPoolSettings.MfaOff, null, null),
            null, null, time.GetUtcNow(), time.GetUtcNow());
        var client = UserPoolTokenKit.NewClient(UserPoolTokenKit.ClientId, null, UserPoolTokenKit.Settings());
        await _b.Store.TryCreateUserPoolAsync(pool, CancellationToken.None);
        await _b.Store.TryCreateClientAsync(client, CancellationToken.None);
        _tokens = await _b.Sessions.StartAsync(UserPoolTokenKit.Grant(client), CancellationToken.None);
    }

    [TearDown]
    public void DisposeReplicas()
    {
        _a.Store.Dispose();
        _b.Store.Dispose();
    }

    [Test]
    public async Task A_token_remembered_by_one_replica_stops_there_at_once_after_global_sign_out_on_the_other()
    {
        Assert.That((await _a.Authenticator.AuthenticateAsync(_tokens.AccessToken, CancellationToken.None)).IsSuccess, Is.True);
        Assert.That(_a.Verified.Count, Is.EqualTo(1), "replica A remembers the verified token");

        await _b.Sessions.SignOutUserAsync(UserPoolTokenKit.PoolId, "sub-alice", CancellationToken.None);

        var after = await _a.Authenticator.AuthenticateAsync(_tokens.AccessToken, CancellationToken.None);
        Assert.That(after.Error, Is.EqualTo(UserPoolTokenErrors.AccessTokenRevoked));
    }

    [Test]
    public async Task A_token_remembered_by_one_replica_stops_there_at_once_after_RevokeToken_on_the_other()
    {
        Assert.That((await _a.Authenticator.AuthenticateAsync(_tokens.AccessToken, CancellationToken.None)).IsSuccess, Is.True);

        Assert.That((await _b.Sessions.RevokeAsync(_tokens.RefreshToken!, UserPoolTokenKit.ClientId, null, CancellationToken.None)).IsSuccess, Is.True);

        var after = await _a.Authenticator.AuthenticateAsync(_tokens.AccessToken, CancellationToken.None);
        Assert.That(after.Error, Is.EqualTo(UserPoolTokenErrors.AccessTokenRevoked));
    }

    private sealed class Replica
    {
        public Replica(string configuration, string prefix, TimeProvider time)
        {
            var options = Options.Create(new BrokerOptions { Issuer = UserPoolTokenKit.BrokerUrl });
            Store = RedisBrokerStore.Connect(new RedisStoreOptions { Configuration = configuration, KeyPrefix = prefix });
            var issuer = new UserPoolIssuer(new BrokerIssuer(options));
            var keys = new UserPoolSigningKeys(Store, issuer, time);
            Sessions = new UserPoolSessions(Store, Store, new UserPoolTokenIssuer(keys, issuer, time), time);
            Verified = new VerifiedAccessTokens(time);
            Authenticator = new AccessTokenAuthenticator(TestJwtReader.Create(new UserPoolTokenKit.RefusingHandler(), options, time), issuer, keys,
                Sessions, Verified, options);
        }

        public RedisBrokerStore Store { get; }

        public UserPoolSessions Sessions { get; }

        public VerifiedAccessTokens Verified { get; }

        public AccessTokenAuthenticator Authenticator { get; }
    }
}
