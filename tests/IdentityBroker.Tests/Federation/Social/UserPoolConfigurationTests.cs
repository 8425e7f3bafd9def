using IdentityBroker.Iam.SamlProviders;
using IdentityBroker.Pools;
using IdentityBroker.Tests.Iam;

namespace IdentityBroker.Tests.Federation.Social;

/// <summary>PoolConfigurationRules' checks of CognitoIdentityProviders (a valid pool, one broken entry per case).</summary>
[TestFixture]
public sealed class UserPoolConfigurationTests
{
    private const string ProviderName = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Example";

    // These pools list no SAML provider, so the SAML rule never reads its store (the constructor does no I/O).
    private static readonly SamlPoolProviderRules NoSaml =
        new(new IdentityBroker.Storage.Sqlite.SqliteBrokerStore(Path.Combine(Path.GetTempPath(), "unused-saml-store.db")));

    private static Task<IdentityBroker.Errors.AwsError?> Check(params CognitoIdentityProvider[] providers) =>
        new PoolConfigurationRules(new InMemoryIamStore(), NoSaml).CheckAsync(
            new IdentityPool { IdentityPoolId = "us-east-1:00000000-0000-0000-0000-000000000001", IdentityPoolName = "p", AllowUnauthenticatedIdentities = false, CognitoIdentityProviders = providers },
            CancellationToken.None);

    [Test]
    public async Task One_user_pool_with_two_clients_is_valid() =>
        Assert.That(await Check(new() { ProviderName = ProviderName, ClientId = "a1" }, new() { ProviderName = ProviderName, ClientId = "b2" }), Is.Null);

    [Test]
    public async Task Provider_name_that_is_not_a_user_pool_is_refused()
    {
        var error = await Check(new CognitoIdentityProvider { ProviderName = "login.example.com/us-east-1_Example", ClientId = "a1" });
        Assert.That(error?.Type, Is.EqualTo("InvalidParameterException"));
    }

    [Test]
    public async Task Missing_client_id_is_refused() =>
        Assert.That((await Check(new CognitoIdentityProvider { ProviderName = ProviderName }))?.Type, Is.EqualTo("InvalidParameterException"));

    [Test]
    public async Task Same_provider_and_client_twice_is_refused() =>
        Assert.That((await Check(new() { ProviderName = ProviderName, ClientId = "a1" }, new() { ProviderName = ProviderName, ClientId = "a1" }))?.Message,
            Is.EqualTo("CognitoIdentityProviders contains duplicates."));
}
