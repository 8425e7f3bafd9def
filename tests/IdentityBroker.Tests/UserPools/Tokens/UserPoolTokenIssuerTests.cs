using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Tokens;

namespace IdentityBroker.Tests.UserPools.Tokens;

/// <summary>The claims Cognito writes into a user pool's ID and access tokens, and the lifetimes the app client sets.</summary>
[TestFixture]
public sealed class UserPoolTokenIssuerTests
{
    private const string Admins = "arn:aws:iam::000000000000:role/Admins";
    private const string Readers = "arn:aws:iam::000000000000:role/Readers";

    private UserPoolTokenKit _kit = null!;

    [SetUp]
    public async Task CreateKitAsync() => _kit = await new UserPoolTokenKit().WithPoolAsync();

    [TearDown]
    public async Task DisposeKitAsync() => await _kit.DisposeAsync();

    private Task<UserPoolTokens> IssueAsync(TokenGrant? grant = null) =>
        _kit.Tokens.IssueAsync(grant ?? _kit.Grant(), "11111111-2222-3333-4444-555555555555", CancellationToken.None);

    [Test]
    public async Task The_id_token_carries_the_identity_the_groups_and_the_session_as_Cognito_writes_them()
    {
        var tokens = await IssueAsync();
        var header = UserPoolTokenKit.Header(tokens.IdToken);
        var id = UserPoolTokenKit.Payload(tokens.IdToken);
        var now = _kit.Time.GetUtcNow().ToUnixTimeSeconds();

        Assert.Multiple(() =>
        {
            Assert.That(header.GetProperty("alg").GetString(), Is.EqualTo("RS256"));
            Assert.That(header.GetProperty("kid").GetString(), Is.Not.Empty);
            Assert.That(header.TryGetProperty("typ", out _), Is.False, "Cognito's header is kid and alg only");
            Assert.That(id.GetProperty("iss").GetString(), Is.EqualTo(UserPoolTokenKit.PoolIssuer));
            Assert.That(id.GetProperty("sub").GetString(), Is.EqualTo("sub-alice"), "the sub attribute never overrides the user's sub");
            Assert.That(id.GetProperty("cognito:username").GetString(), Is.EqualTo("alice"));
            Assert.That(id.GetProperty("aud").GetString(), Is.EqualTo(UserPoolTokenKit.ClientId));
            Assert.That(id.GetProperty("token_use").GetString(), Is.EqualTo("id"));
            Assert.That(id.GetProperty("origin_jti").GetString(), Is.EqualTo("11111111-2222-3333-4444-555555555555"));
            Assert.That(id.GetProperty("event_id").GetString(), Is.Not.Empty);
            Assert.That(id.GetProperty("jti").GetString(), Is.Not.Empty);
            Assert.That(id.GetProperty("auth_time").GetInt64(), Is.EqualTo(now - 60));
            Assert.That(id.GetProperty("iat").GetInt64(), Is.EqualTo(now));
            Assert.That(id.GetProperty("exp").GetInt64(), Is.EqualTo(now + 3600), "Cognito's default ID token validity is 1 hour");
            Assert.That(id.GetProperty("email").GetString(), Is.EqualTo("alice@example.com"));
            Assert.That(id.GetProperty("email_verified").GetBoolean(), Is.True);
            Assert.That(id.GetProperty("phone_number_verified").GetBoolean(), Is.False);
            Assert.That(id.GetProperty("custom:team").GetString(), Is.EqualTo("ïdentity"));
            Assert.That(id.GetProperty("cognito:groups").EnumerateArray().Select(g => g.GetString()), Is.EqualTo(new[] { "readers", "admins", "everyone" }), "in the order the user joined them");
            Assert.That(id.GetProperty("cognito:roles").EnumerateArray().Select(g => g.GetString()), Is.EqualTo(new[] { Admins, Readers }));
            Assert.That(id.GetProperty("cognito:preferred_role").GetString(), Is.EqualTo(Admins));
        });
    }

    [Test]
    public async Task The_access_token_names_the_client_and_scope_and_shares_the_session_and_event_with_the_id_token()
    {
        var tokens = await IssueAsync();
        var id = UserPoolTokenKit.Payload(tokens.IdToken);
        var access = UserPoolTokenKit.Payload(tokens.AccessToken);
        var now = _kit.Time.GetUtcNow().ToUnixTimeSeconds();

        Assert.Multiple(() =>
        {
            Assert.That(access.GetProperty("token_use").GetString(), Is.EqualTo("access"));
            Assert.That(access.GetProperty("client_id").GetString(), Is.EqualTo(UserPoolTokenKit.ClientId));
            Assert.That(access.TryGetProperty("aud", out _), Is.False, "an access token has no aud");
            Assert.That(access.GetProperty("scope").GetString(), Is.EqualTo("aws.cognito.signin.user.admin"));
            Assert.That(access.GetProperty("username").GetString(), Is.EqualTo("alice"));
            Assert.That(access.GetProperty("sub").GetString(), Is.EqualTo("sub-alice"));
            Assert.That(access.GetProperty("cognito:groups").GetArrayLength(), Is.EqualTo(3));
            Assert.That(access.TryGetProperty("email", out _), Is.False, "attributes go into the ID token only");
            Assert.That(access.TryGetProperty("cognito:roles", out _), Is.False);
            Assert.That(access.GetProperty("origin_jti").GetString(), Is.EqualTo(id.GetProperty("origin_jti").GetString()));
            Assert.That(access.GetProperty("event_id").GetString(), Is.EqualTo(id.GetProperty("event_id").GetString()));
            Assert.That(access.GetProperty("jti").GetString(), Is.Not.EqualTo(id.GetProperty("jti").GetString()));
            Assert.That(access.GetProperty("exp").GetInt64(), Is.EqualTo(now + 3600));
            Assert.That(tokens.ExpiresIn, Is.EqualTo(3600));
            Assert.That(tokens.RefreshToken, Is.Null, "issuing alone starts no session");
        });
    }

    [Test]
    public async Task A_user_without_groups_gets_no_group_claims_and_explicit_scopes_replace_the_default()
    {
        var tokens = await IssueAsync(UserPoolTokenKit.Grant(_kit.Client, groups: GroupClaims.None) with { Scopes = ["openid", "email"] });
        var id = UserPoolTokenKit.Payload(tokens.IdToken);
        var access = UserPoolTokenKit.Payload(tokens.AccessToken);

        Assert.Multiple(() =>
        {
            Assert.That(id.TryGetProperty("cognito:groups", out _), Is.False);
            Assert.That(id.TryGetProperty("cognito:roles", out _), Is.False);
            Assert.That(id.TryGetProperty("cognito:preferred_role", out _), Is.False);
            Assert.That(access.GetProperty("scope").GetString(), Is.EqualTo("openid email"));
        });
    }

    [Test]
    public async Task Every_token_of_a_pool_is_signed_with_the_one_key_all_replicas_share()
    {
        var first = await IssueAsync();
        var otherReplica = new UserPoolSigningKeys(_kit.Store, _kit.Issuer, _kit.Time);
        var replicaKey = await otherReplica.GetOrCreateAsync(UserPoolTokenKit.PoolId, CancellationToken.None);

        Assert.That(UserPoolTokenKit.Header(first.AccessToken).GetProperty("kid").GetString(), Is.EqualTo(replicaKey.KeyId));
        Assert.That(await otherReplica.FindAsync("us-east-1_NoSuchPool", CancellationToken.None), Is.Null, "finding creates nothing");
    }

    private static IEnumerable<TestCaseData> Validities()
    {
        yield return new TestCaseData(UserPoolTokenKit.Settings(), 3600, 3600, TimeSpan.FromDays(30)).SetName("Cognito's defaults: 1 hour, 1 hour, 30 days");
        yield return new TestCaseData(UserPoolTokenKit.Settings(refreshValidity: 0), 3600, 3600, TimeSpan.FromDays(30)).SetName("A refresh validity of 0 is the default");
        yield return new TestCaseData(UserPoolTokenKit.Settings(10, 2, 3), 7200, 10800, TimeSpan.FromDays(10)).SetName("Without units: hours, hours, days");
        yield return new TestCaseData(UserPoolTokenKit.Settings(90, 5, 300, new TokenValidityUnits("minutes", "seconds", "minutes")), 300, 300, TimeSpan.FromMinutes(90))
            .SetName("Units per token: minutes, seconds, minutes");
        yield return new TestCaseData(UserPoolTokenKit.Settings(1, 1, 1, new TokenValidityUnits("days", "hours", null)), 86400, 3600, TimeSpan.FromDays(1))
            .SetName("A unit left out keeps its default unit");
    }

    [TestCaseSource(nameof(Validities))]
    public async Task Lifetimes_follow_the_client_settings(UserPoolClientSettings settings, int accessSeconds, int idSeconds, TimeSpan refresh)
    {
        var client = UserPoolTokenKit.NewClient(UserPoolTokenKit.ClientId, null, settings);
        var tokens = await IssueAsync(UserPoolTokenKit.Grant(client));
        var now = _kit.Time.GetUtcNow().ToUnixTimeSeconds();

        Assert.Multiple(() =>
        {
            Assert.That(UserPoolTokenKit.Payload(tokens.AccessToken).GetProperty("exp").GetInt64(), Is.EqualTo(now + accessSeconds));
            Assert.That(UserPoolTokenKit.Payload(tokens.IdToken).GetProperty("exp").GetInt64(), Is.EqualTo(now + idSeconds));
            Assert.That(tokens.ExpiresIn, Is.EqualTo(accessSeconds));
            Assert.That(TokenValidities.Of(settings).Refresh, Is.EqualTo(refresh));
        });
    }
}
