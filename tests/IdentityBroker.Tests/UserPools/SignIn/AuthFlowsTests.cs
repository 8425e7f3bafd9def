using IdentityBroker.Tests.UserPools.Tokens;
using IdentityBroker.UserPools.SignIn;

namespace IdentityBroker.Tests.UserPools.SignIn;

[TestFixture]
public sealed class AuthFlowsTests
{
    private static IdentityBroker.UserPools.Pools.UserPoolClient Client(params string[]? flows) =>
        UserPoolTokenKit.NewClient("flowsclient0123456789abcde", null, UserPoolTokenKit.Settings() with { ExplicitAuthFlows = flows });

    [TestCase(AuthFlows.UserSrp, true)]
    [TestCase(AuthFlows.RefreshTokenAuth, true)]
    [TestCase(AuthFlows.UserPassword, false)]
    [TestCase(AuthFlows.AdminUserPassword, false)]
    public void A_client_without_ExplicitAuthFlows_allows_Cognitos_default_set(string flow, bool allowed)
    {
        Assert.That(AuthFlows.Check(Client(null), flow) is null, Is.EqualTo(allowed));
        Assert.That(AuthFlows.Check(Client([]), flow) is null, Is.EqualTo(allowed));
    }

    [Test]
    public void A_flow_not_listed_is_refused_by_name()
    {
        var client = Client("ALLOW_USER_PASSWORD_AUTH");
        Assert.Multiple(() =>
        {
            Assert.That(AuthFlows.Check(client, AuthFlows.UserPassword), Is.Null);
            Assert.That(AuthFlows.Check(client, AuthFlows.UserSrp)!.Message, Is.EqualTo("USER_SRP_AUTH flow not enabled for this client"));
            Assert.That(AuthFlows.Check(client, AuthFlows.RefreshTokenAuth)!.Message, Is.EqualTo("REFRESH_TOKEN_AUTH flow not enabled for this client"));
        });
    }

    [Test]
    public void The_legacy_values_keep_SRP_and_refresh_unless_custom_auth_only()
    {
        Assert.Multiple(() =>
        {
            Assert.That(AuthFlows.Check(Client("ADMIN_NO_SRP_AUTH"), AuthFlows.AdminUserPassword), Is.Null);
            Assert.That(AuthFlows.Check(Client("USER_PASSWORD_AUTH"), AuthFlows.UserSrp), Is.Null);
            Assert.That(AuthFlows.Check(Client("USER_PASSWORD_AUTH"), AuthFlows.RefreshTokenAuth), Is.Null);
            Assert.That(AuthFlows.Check(Client("CUSTOM_AUTH_FLOW_ONLY"), AuthFlows.UserSrp), Is.Not.Null);
        });
    }

    [TestCase("ADMIN_USER_PASSWORD_AUTH", false)]
    [TestCase("ADMIN_NO_SRP_AUTH", false)]
    [TestCase("USER_PASSWORD_AUTH", true)]
    [TestCase("USER_AUTH", true)]
    public void Each_API_takes_only_its_own_flows(string flow, bool admin) =>
        Assert.That(AuthFlows.Resolve(flow, admin).Error, Is.EqualTo(SignInErrors.FlowNotSupported));

    [Test]
    public void CUSTOM_AUTH_is_a_flow_of_both_APIs_allowed_by_ALLOW_CUSTOM_AUTH_CUSTOM_AUTH_FLOW_ONLY_and_the_default()
    {
        Assert.Multiple(() =>
        {
            Assert.That(AuthFlows.Resolve("CUSTOM_AUTH", admin: false).Value, Is.EqualTo(AuthFlows.CustomAuth));
            Assert.That(AuthFlows.Resolve("CUSTOM_AUTH", admin: true).Value, Is.EqualTo(AuthFlows.CustomAuth));
            Assert.That(AuthFlows.Check(Client("ALLOW_CUSTOM_AUTH"), AuthFlows.CustomAuth), Is.Null);
            Assert.That(AuthFlows.Check(Client("CUSTOM_AUTH_FLOW_ONLY"), AuthFlows.CustomAuth), Is.Null);
            Assert.That(AuthFlows.Check(Client(), AuthFlows.CustomAuth), Is.Null);
            Assert.That(AuthFlows.Check(Client("ALLOW_USER_PASSWORD_AUTH"), AuthFlows.CustomAuth)!.Message,
                Is.EqualTo("CUSTOM_AUTH flow not enabled for this client"));
        });
    }

    [Test]
    public void REFRESH_TOKEN_is_REFRESH_TOKEN_AUTH() =>
        Assert.That(AuthFlows.Resolve("REFRESH_TOKEN", admin: false).Value, Is.EqualTo(AuthFlows.RefreshTokenAuth));
}
