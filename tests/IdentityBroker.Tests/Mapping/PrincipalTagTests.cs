using System.Text.Json;
using IdentityBroker.Identities;
using IdentityBroker.Mapping;
using IdentityBroker.Pools;
using IdentityBroker.Sts;
using IdentityBroker.Tests.Sts;
using IdentityBroker.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static IdentityBroker.Tests.Mapping.MappingTestKit;

namespace IdentityBroker.Tests.Mapping;

public sealed class PrincipalTagTests
{
    private static IdentityPool WithMaps(params (string Key, PrincipalTagMap Map)[] maps) =>
        Pool() with { PrincipalTagMaps = maps.ToDictionary(m => m.Key, m => m.Map, StringComparer.Ordinal) };

    [Test]
    public void User_pool_defaults_are_client_and_username()
    {
        var pool = WithMaps((UserPool, new PrincipalTagMap { UseDefaults = true }));

        var tags = PrincipalTagMapper.Map(pool, [Login(UserPool, C("aud", "client1"), C("sub", "u-1"))]);

        Assert.That(tags.Tags, Is.EqualTo(new Dictionary<string, string> { ["client"] = "client1", ["username"] = "u-1" }));
    }

    [TestCase("graph.facebook.com", "app_id", "user_id")]
    [TestCase("accounts.google.com", "client", "username")]
    [TestCase("login.example.com", "client", "username")]
    public void Default_tag_keys_per_provider(string provider, string audTag, string subTag)
    {
        var defaults = PrincipalTagDefaults.For(provider);

        Assert.That(defaults, Is.EqualTo(new Dictionary<string, string> { [audTag] = "aud", [subTag] = "sub" }));
    }

    [Test]
    public void Amazon_default_username_is_user_id()
    {
        Assert.That(PrincipalTagDefaults.For("www.amazon.com")["username"], Is.EqualTo("user_id"));
    }

    [Test]
    public void Custom_map_takes_the_named_claims_and_skips_what_cannot_be_a_tag()
    {
        var map = new PrincipalTagMap { PrincipalTags = new Dictionary<string, string> { ["dept"] = "department", ["groups"] = "cognito:groups", ["cc"] = "cost_center", ["mail"] = "email" } };
        var pool = WithMaps((Oidc, map));

        var tags = PrincipalTagMapper.Map(pool, [Login(Oidc, C("department", "eng"), C("cognito:groups", "a", "b"), C("email", "a,b@x"))]);

        Assert.That(tags.Tags, Is.EqualTo(new Dictionary<string, string> { ["dept"] = "eng" }));
        Assert.That(tags.Skipped, Has.Count.EqualTo(3));
        Assert.That(tags.Skipped, Has.Some.Contains("2 values"));
        Assert.That(tags.Skipped, Has.Some.Contains("no claim 'cost_center'"));
        Assert.That(tags.Skipped, Has.Some.Contains("not a valid STS tag value"));
    }

    [Test]
    public void Provider_without_a_map_gets_no_tags()
    {
        var pool = WithMaps((UserPool, new PrincipalTagMap { UseDefaults = true }));

        Assert.That(PrincipalTagMapper.Map(pool, [Login(Oidc, C("sub", "u"))]).Tags, Is.Empty);
    }

    [Test]
    public async Task Tags_travel_in_the_broker_token_as_cognito_writes_them_and_sts_reads_them()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new BrokerOptions { Issuer = "https://broker.example.com" });
        var keys = new SigningKeyRing(new InMemoryKeyStore(), options, time);
        await keys.LoadAsync(CancellationToken.None);
        var issuer = new OpenIdTokenIssuer(new BrokerIssuer(options), keys, options, time);
        var identity = new Identity { IdentityId = "us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", IdentityPoolId = PoolId, Logins = [new LoginKey(Oidc, "u-1")] };

        var token = issuer.Issue(Pool(), identity, [], TimeSpan.FromMinutes(5), new Dictionary<string, string> { ["username"] = "u-1" });

        var payload = token.Token.Split('.')[1];
        using var json = JsonDocument.Parse(Convert.FromBase64String(payload.Replace('-', '+').Replace('_', '/').PadRight((payload.Length + 3) / 4 * 4, '=')));
        var claim = json.RootElement.GetProperty(BrokerClaims.Tags);
        Assert.That(claim.GetProperty("principal_tags").GetProperty("username")[0].GetString(), Is.EqualTo("u-1"));
        var read = WebIdentityClaims.Tags(json.RootElement);
        Assert.That(read.Value.Tags, Is.EqualTo(new Dictionary<string, string> { ["username"] = "u-1" }));
    }

    [Test]
    public async Task Token_without_tags_has_no_tags_claim()
    {
        var time = new FakeTimeProvider();
        var options = Options.Create(new BrokerOptions { Issuer = "https://broker.example.com" });
        var keys = new SigningKeyRing(new InMemoryKeyStore(), options, time);
        await keys.LoadAsync(CancellationToken.None);
        var issuer = new OpenIdTokenIssuer(new BrokerIssuer(options), keys, options, time);
        var identity = new Identity { IdentityId = "us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", IdentityPoolId = PoolId };

        var token = issuer.Issue(Pool(), identity, [], TimeSpan.FromMinutes(5));

        var payload = token.Token.Split('.')[1];
        using var json = JsonDocument.Parse(Convert.FromBase64String(payload.Replace('-', '+').Replace('_', '/').PadRight((payload.Length + 3) / 4 * 4, '=')));
        Assert.That(json.RootElement.TryGetProperty(BrokerClaims.Tags, out _), Is.False);
    }
}
