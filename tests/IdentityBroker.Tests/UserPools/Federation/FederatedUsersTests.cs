using System.Text.Json;
using IdentityBroker.Storage;
using IdentityBroker.Tests.Integration;
using IdentityBroker.UserPools.Federation;
using IdentityBroker.UserPools.Users;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Tests.UserPools.Federation;

/// <summary>
/// The pool users a provider's users sign in as: <c>&lt;ProviderName&gt;_&lt;subject&gt;</c> with status EXTERNAL_PROVIDER and the
/// <c>identities</c> attribute, attributes mapped on each sign-in, AdminLinkProviderForUser and AdminDisableProviderForUser.
/// Sign-ins go to <see cref="FederatedUsers"/> in the server (as the federation flows hand it a validated provider user);
/// everything else goes through the API.
/// </summary>
[TestFixture]
public sealed class FederatedUsersTests
{
    private BrokerServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await BrokerServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> CallAsync(string operation, string json)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, json);
        return await AwsErrorAssert.IsSuccessAsync(response);
    }

    private async Task<string> ErrorAsync(string operation, string json, string type)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, json);
        return await AwsErrorAssert.IsJsonErrorAsync(response, type);
    }

    private async Task<(string Pool, PoolIdentityProvider Corp, PoolIdentityProvider Google)> NewPoolAsync(string schema = "")
    {
        var pool = (await CallAsync("CreateUserPool", $$"""{"PoolName":"Federated"{{schema}} }""")).GetProperty("UserPool").GetProperty("Id").GetString()!;
        await CallAsync("CreateIdentityProvider", $$"""
            {"UserPoolId":"{{pool}}","ProviderName":"Corp","ProviderType":"OIDC",
             "ProviderDetails":{"client_id":"app","attributes_request_method":"GET","oidc_issuer":"https://idp.example.com","authorize_scopes":"openid"},
             "AttributeMapping":{"email":"mail","name":"display_name"} }
            """);
        await CallAsync("CreateIdentityProvider", $$"""
            {"UserPoolId":"{{pool}}","ProviderName":"Google","ProviderType":"Google",
             "ProviderDetails":{"client_id":"g","client_secret":"s","authorize_scopes":"openid email"},"AttributeMapping":{"email":"email"} }
            """);
        var providers = _server.Services.GetRequiredService<IUserPoolIdentityProviderStore>();
        return (pool, (await providers.GetProviderAsync(pool, "Corp", CancellationToken.None))!,
            (await providers.GetProviderAsync(pool, "Google", CancellationToken.None))!);
    }

    private async Task<PoolUser> SignInAsync(string pool, PoolIdentityProvider provider, string subject, params (string, string)[] claims)
    {
        var userPool = (await _server.Services.GetRequiredService<IUserPoolStore>().GetUserPoolAsync(pool, CancellationToken.None))!;
        var result = await _server.Services.GetRequiredService<FederatedUsers>().SignInAsync(userPool, "testclient",
            new ProviderUser(provider, subject, claims.ToDictionary(c => c.Item1, c => c.Item2)), CancellationToken.None);
        Assert.That(result.Error, Is.Null);
        return result.Value;
    }

    private async Task<JsonElement> GetUserAsync(string pool, string username) =>
        await CallAsync("AdminGetUser", $$"""{"UserPoolId":"{{pool}}","Username":"{{username}}"}""");

    private static string? Attribute(JsonElement user, string name) =>
        user.GetProperty("UserAttributes").EnumerateArray().Where(a => a.GetProperty("Name").GetString() == name)
            .Select(a => a.GetProperty("Value").GetString()).FirstOrDefault();

    [Test]
    public async Task A_first_sign_in_makes_the_user_ProviderName_underscore_subject_with_its_identities_and_mapped_attributes()
    {
        var (pool, corp, _) = await NewPoolAsync();

        var user = await SignInAsync(pool, corp, "Abc-123", ("mail", "ann@example.com"), ("display_name", "Ann"), ("unmapped", "x"));
        var read = await GetUserAsync(pool, "Corp_Abc-123");
        var identities = JsonDocument.Parse(Attribute(read, "identities")!).RootElement[0];

        Assert.Multiple(() =>
        {
            Assert.That(user.Username, Is.EqualTo("Corp_Abc-123"), "the provider name and subject as given");
            Assert.That(read.GetProperty("UserStatus").GetString(), Is.EqualTo("EXTERNAL_PROVIDER"));
            Assert.That(Attribute(read, "email"), Is.EqualTo("ann@example.com"));
            Assert.That(Attribute(read, "name"), Is.EqualTo("Ann"));
            Assert.That(Attribute(read, "unmapped"), Is.Null);
            Assert.That(identities.GetProperty("userId").GetString(), Is.EqualTo("Abc-123"));
            Assert.That(identities.GetProperty("providerName").GetString(), Is.EqualTo("Corp"));
            Assert.That(identities.GetProperty("providerType").GetString(), Is.EqualTo("OIDC"));
            Assert.That(identities.GetProperty("issuer").GetString(), Is.EqualTo("https://idp.example.com"));
            Assert.That(identities.GetProperty("primary").GetBoolean(), Is.True);
            Assert.That(identities.GetProperty("dateCreated").GetInt64(), Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task A_second_sign_in_is_the_same_user_with_its_attributes_mapped_again()
    {
        var (pool, corp, google) = await NewPoolAsync();

        var first = await SignInAsync(pool, corp, "s1", ("mail", "old@example.com"));
        var second = await SignInAsync(pool, corp, "s1", ("mail", "new@example.com"));
        var other = await SignInAsync(pool, google, "s1", ("email", "g@example.com"));

        Assert.Multiple(() =>
        {
            Assert.That(second.Sub, Is.EqualTo(first.Sub));
            Assert.That(second.Attribute("email"), Is.EqualTo("new@example.com"), "Cognito maps the attributes on every sign-in");
            Assert.That(other.Username, Is.EqualTo("Google_s1"), "the same subject at another provider is another user");
            Assert.That(other.Sub, Is.Not.EqualTo(first.Sub));
        });
    }

    [Test]
    public async Task A_linked_provider_user_signs_in_as_the_existing_user_until_the_link_is_disabled()
    {
        var (pool, _, google) = await NewPoolAsync();
        await CallAsync("AdminCreateUser", $$"""{"UserPoolId":"{{pool}}","Username":"bob","MessageAction":"SUPPRESS"}""");

        await CallAsync("AdminLinkProviderForUser", $$"""
            {"UserPoolId":"{{pool}}","DestinationUser":{"ProviderName":"Cognito","ProviderAttributeValue":"bob"},
             "SourceUser":{"ProviderName":"Google","ProviderAttributeName":"Cognito_Subject","ProviderAttributeValue":"g-42"} }
            """);
        var linked = await SignInAsync(pool, google, "g-42", ("email", "bob@example.com"));
        var bob = await GetUserAsync(pool, "bob");
        await CallAsync("AdminDisableProviderForUser", $$"""
            {"UserPoolId":"{{pool}}","User":{"ProviderName":"Google","ProviderAttributeName":"Cognito_Subject","ProviderAttributeValue":"g-42"} }
            """);
        var afterDisable = await SignInAsync(pool, google, "g-42");

        Assert.Multiple(() =>
        {
            Assert.That(linked.Username, Is.EqualTo("bob"));
            Assert.That(linked.Attribute("email"), Is.EqualTo("bob@example.com"));
            Assert.That(bob.GetProperty("UserStatus").GetString(), Is.Not.EqualTo("EXTERNAL_PROVIDER"));
            Assert.That(JsonDocument.Parse(Attribute(bob, "identities")!).RootElement[0].GetProperty("providerName").GetString(), Is.EqualTo("Google"));
            Assert.That(afterDisable.Username, Is.EqualTo("Google_g-42"), "without the link the provider user becomes a user of its own");
        });
    }

    [Test]
    public async Task A_provider_user_links_by_a_mapped_pool_attribute_for_OIDC()
    {
        var (pool, corp, _) = await NewPoolAsync();
        await CallAsync("AdminCreateUser", $$"""{"UserPoolId":"{{pool}}","Username":"carol","MessageAction":"SUPPRESS"}""");
        await CallAsync("AdminLinkProviderForUser", $$"""
            {"UserPoolId":"{{pool}}","DestinationUser":{"ProviderName":"Cognito","ProviderAttributeValue":"carol"},
             "SourceUser":{"ProviderName":"Corp","ProviderAttributeName":"email","ProviderAttributeValue":"carol@example.com"} }
            """);

        var signedIn = await SignInAsync(pool, corp, "any-subject", ("mail", "carol@example.com"));

        Assert.That(signedIn.Username, Is.EqualTo("carol"));
    }

    [Test]
    public async Task Linking_refuses_a_provider_user_that_signed_in_already_an_unknown_provider_and_a_social_attribute_link()
    {
        var (pool, _, google) = await NewPoolAsync();
        await CallAsync("AdminCreateUser", $$"""{"UserPoolId":"{{pool}}","Username":"dan","MessageAction":"SUPPRESS"}""");
        await SignInAsync(pool, google, "g-7");
        string Link(string provider, string attribute, string value) => $$"""
            {"UserPoolId":"{{pool}}","DestinationUser":{"ProviderName":"Cognito","ProviderAttributeValue":"dan"},
             "SourceUser":{"ProviderName":"{{provider}}","ProviderAttributeName":"{{attribute}}","ProviderAttributeValue":"{{value}}"} }
            """;

        Assert.Multiple(async () =>
        {
            Assert.That(await ErrorAsync("AdminLinkProviderForUser", Link("Google", "Cognito_Subject", "g-7"), "InvalidParameterException"),
                Does.Contain("Merging"));
            await ErrorAsync("AdminLinkProviderForUser", Link("Nowhere", "Cognito_Subject", "x"), "InvalidParameterException");
            await ErrorAsync("AdminLinkProviderForUser", Link("Google", "email", "x@example.com"), "InvalidParameterException");
            await ErrorAsync("AdminLinkProviderForUser", Link("Google", "Cognito_Subject", "x").Replace("\"dan\"", "\"nobody\"", StringComparison.Ordinal),
                "UserNotFoundException");
            await ErrorAsync("AdminDisableProviderForUser", $$"""
                {"UserPoolId":"{{pool}}","User":{"ProviderName":"Google","ProviderAttributeName":"Cognito_Subject","ProviderAttributeValue":"never"} }
                """, "UserNotFoundException");
        });
    }

    [Test]
    public async Task Disabling_a_federated_users_own_identity_stops_its_sign_in()
    {
        var (pool, _, google) = await NewPoolAsync();
        await SignInAsync(pool, google, "g-9");

        await CallAsync("AdminDisableProviderForUser", $$"""
            {"UserPoolId":"{{pool}}","User":{"ProviderName":"Google","ProviderAttributeName":"Cognito_Subject","ProviderAttributeValue":"g-9"} }
            """);
        var userPool = (await _server.Services.GetRequiredService<IUserPoolStore>().GetUserPoolAsync(pool, CancellationToken.None))!;
        var again = await _server.Services.GetRequiredService<FederatedUsers>().SignInAsync(userPool, "testclient",
            new ProviderUser(google, "g-9", new Dictionary<string, string>()), CancellationToken.None);

        Assert.That(again.Error?.Type, Is.EqualTo("NotAuthorizedException"));
    }
}
