using System.Text.Json;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// CreateUserPoolClient and UpdateUserPoolClient check what the client names, as Cognito does at the write:
/// SupportedIdentityProviders must be COGNITO or providers of the pool, AllowedOAuthScopes standard scopes or scopes of
/// the pool's resource servers. A refused write changes nothing.
/// </summary>
[TestFixture]
public sealed class UserPoolClientReferencesApiTests
{
    private BrokerServer _server = null!;
    private string _pool = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await BrokerServer.StartAsync();
        _pool = (await CallAsync("CreateUserPool", """{"PoolName":"references"}""")).GetProperty("UserPool").GetProperty("Id").GetString()!;
        await CallAsync("CreateIdentityProvider", $$"""
            {"UserPoolId":"{{_pool}}","ProviderName":"Corp","ProviderType":"OIDC",
             "ProviderDetails":{"client_id":"x","attributes_request_method":"GET","oidc_issuer":"https://idp.example.com","authorize_scopes":"openid"} }
            """);
        await CallAsync("CreateResourceServer", $$"""
            {"UserPoolId":"{{_pool}}","Identifier":"https://api.example.com","Name":"api","Scopes":[{"ScopeName":"read","ScopeDescription":"Read"}]}
            """);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task A_client_naming_existing_providers_and_scopes_is_created()
    {
        var client = await CallAsync("CreateUserPoolClient", $$"""
            {"UserPoolId":"{{_pool}}","ClientName":"ok","SupportedIdentityProviders":["COGNITO","Corp"],
             "AllowedOAuthScopes":["openid","email","phone","profile","aws.cognito.signin.user.admin","https://api.example.com/read"]}
            """);
        Assert.That(client.GetProperty("UserPoolClient").GetProperty("SupportedIdentityProviders").GetArrayLength(), Is.EqualTo(2));
    }

    [Test]
    public async Task An_unknown_provider_is_InvalidParameterException_in_Cognitos_words()
    {
        using var response = await _server.SignedUserPoolsAsync("CreateUserPoolClient", $$"""
            {"UserPoolId":"{{_pool}}","ClientName":"bad","SupportedIdentityProviders":["COGNITO","Google"]}
            """);
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(response, "InvalidParameterException"),
            Is.EqualTo($"The provider Google does not exist for User Pool {_pool}"));
    }

    [TestCase("Cognito")]
    [TestCase("https://api.example.com/write")]
    [TestCase("https://other.example.com/read")]
    public async Task A_scope_no_resource_server_defines_is_ScopeDoesNotExistException(string scope)
    {
        using var response = await _server.SignedUserPoolsAsync("CreateUserPoolClient", JsonSerializer.Serialize(new
        {
            UserPoolId = _pool, ClientName = "bad", AllowedOAuthScopes = new[] { "openid", scope },
        }));
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(response, "ScopeDoesNotExistException"), Is.EqualTo("Invalid scope requested: " + scope));
    }

    [Test]
    public async Task UpdateUserPoolClient_checks_the_same_and_a_refusal_leaves_the_client_as_it_was()
    {
        var id = (await CallAsync("CreateUserPoolClient", $$"""{"UserPoolId":"{{_pool}}","ClientName":"kept","SupportedIdentityProviders":["Corp"]}"""))
            .GetProperty("UserPoolClient").GetProperty("ClientId").GetString();
        using (var badProvider = await _server.SignedUserPoolsAsync("UpdateUserPoolClient", $$"""
            {"UserPoolId":"{{_pool}}","ClientId":"{{id}}","SupportedIdentityProviders":["Missing"]}
            """))
        {
            await AwsErrorAssert.IsJsonErrorAsync(badProvider, "InvalidParameterException");
        }

        using (var badScope = await _server.SignedUserPoolsAsync("UpdateUserPoolClient", $$"""
            {"UserPoolId":"{{_pool}}","ClientId":"{{id}}","AllowedOAuthScopes":["https://api.example.com/delete"]}
            """))
        {
            await AwsErrorAssert.IsJsonErrorAsync(badScope, "ScopeDoesNotExistException");
        }

        var described = (await CallAsync("DescribeUserPoolClient", $$"""{"UserPoolId":"{{_pool}}","ClientId":"{{id}}"}""")).GetProperty("UserPoolClient");
        Assert.That(described.GetProperty("SupportedIdentityProviders")[0].GetString(), Is.EqualTo("Corp"));
    }

    private async Task<JsonElement> CallAsync(string operation, string json)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, json);
        return await AwsErrorAssert.IsSuccessAsync(response);
    }
}
