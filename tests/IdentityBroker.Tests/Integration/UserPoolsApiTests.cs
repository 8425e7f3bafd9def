using System.Text.Json;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// The Cognito User Pools operations served so far (docs/user-pools.md), through the real server: the pool lifecycle,
/// Cognito's errors, the model's validation, per-resource authorization of temporary credentials, and a clear error for
/// every operation of the model not served yet.
/// </summary>
[TestFixture]
public sealed class UserPoolsApiTests
{
    private BrokerServer _server = null!;
    private TemporaryCallers _callers = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await BrokerServer.StartAsync();
        _callers = await TemporaryCallers.CreateAsync(_server);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private static string UserPoolArn(string id) => $"arn:aws:cognito-idp:us-east-1:000000000000:userpool/{id}";

    private async Task<JsonElement> CreateAsync(string json)
    {
        using var response = await _server.SignedUserPoolsAsync("CreateUserPool", json);
        return (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("UserPool");
    }

    private async Task<JsonElement> DescribeAsync(string id)
    {
        using var response = await _server.SignedUserPoolsAsync("DescribeUserPool", $$"""{"UserPoolId":"{{id}}"}""");
        return (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("UserPool");
    }

    [Test]
    public async Task A_user_pool_is_created_described_listed_updated_and_deleted_with_its_settings()
    {
        var created = await CreateAsync("""
            {"PoolName":"Lifecycle","Policies":{"PasswordPolicy":{"MinimumLength":12,"RequireNumbers":true}},
             "UsernameAttributes":["email"],"AutoVerifiedAttributes":["email"],"MfaConfiguration":"OFF","UserPoolTags":{"team":"id"}}
            """);
        var id = created.GetProperty("Id").GetString()!;
        var described = await DescribeAsync(id);
        using var listed = await _server.SignedUserPoolsAsync("ListUserPools", """{"MaxResults":60}""");
        var pools = (await AwsErrorAssert.IsSuccessAsync(listed)).GetProperty("UserPools").EnumerateArray()
            .Select(p => p.GetProperty("Id").GetString()).ToList();
        using var updated = await _server.SignedUserPoolsAsync("UpdateUserPool",
            $$"""{"UserPoolId":"{{id}}","MfaConfiguration":"OFF","DeletionProtection":"ACTIVE"}""");
        await AwsErrorAssert.IsSuccessAsync(updated);
        var afterUpdate = await DescribeAsync(id);

        Assert.Multiple(() =>
        {
            Assert.That(id, Does.Match("^us-east-1_[0-9a-zA-Z]{9}$"));
            Assert.That(described.GetProperty("Arn").GetString(), Is.EqualTo(UserPoolArn(id)));
            Assert.That(described.GetProperty("Name").GetString(), Is.EqualTo("Lifecycle"));
            var policy = described.GetProperty("Policies").GetProperty("PasswordPolicy");
            Assert.That(policy.GetProperty("MinimumLength").GetInt32(), Is.EqualTo(12));
            Assert.That(policy.GetProperty("RequireNumbers").GetBoolean(), Is.True);
            Assert.That(policy.GetProperty("RequireSymbols").GetBoolean(), Is.False);
            Assert.That(described.GetProperty("UsernameAttributes")[0].GetString(), Is.EqualTo("email"));
            Assert.That(described.GetProperty("UserPoolTags").GetProperty("team").GetString(), Is.EqualTo("id"));
            Assert.That(pools, Does.Contain(id));
            // UpdateUserPool replaces the settings: the policy left out is back to the default.
            Assert.That(afterUpdate.GetProperty("Policies").GetProperty("PasswordPolicy").GetProperty("MinimumLength").GetInt32(), Is.EqualTo(8));
            Assert.That(afterUpdate.GetProperty("DeletionProtection").GetString(), Is.EqualTo("ACTIVE"));
            Assert.That(afterUpdate.TryGetProperty("UserPoolTags", out _), Is.False);
        });

        using var protectedDelete = await _server.SignedUserPoolsAsync("DeleteUserPool", $$"""{"UserPoolId":"{{id}}"}""");
        await AwsErrorAssert.IsJsonErrorAsync(protectedDelete, "InvalidParameterException");
        using var unprotect = await _server.SignedUserPoolsAsync("UpdateUserPool", $$"""{"UserPoolId":"{{id}}"}""");
        await AwsErrorAssert.IsSuccessAsync(unprotect);
        using var deleted = await _server.SignedUserPoolsAsync("DeleteUserPool", $$"""{"UserPoolId":"{{id}}"}""");
        await AwsErrorAssert.IsSuccessAsync(deleted);
        using var gone = await _server.SignedUserPoolsAsync("DescribeUserPool", $$"""{"UserPoolId":"{{id}}"}""");
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(gone, "ResourceNotFoundException"), Is.EqualTo($"User pool {id} does not exist."));
    }

    [Test]
    public async Task A_password_policy_minimum_length_outside_the_model_range_is_a_validation_error_naming_its_path()
    {
        using var response = await _server.SignedUserPoolsAsync("CreateUserPool",
            """{"PoolName":"Short","Policies":{"PasswordPolicy":{"MinimumLength":5}}}""");

        var message = await AwsErrorAssert.IsJsonErrorAsync(response, "ValidationException");

        Assert.That(message, Is.EqualTo("1 validation error detected: Value '5' at 'policies.passwordPolicy.minimumLength' "
            + "failed to satisfy constraint: Member must have value greater than or equal to 6"));
    }

    [TestCase("""{"MaxResults":61}""", "Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60")]
    [TestCase("""{}""", "Value null at 'maxResults' failed to satisfy constraint: Member must not be null")]
    [TestCase("""{"PoolName":"x","UsernameAttributes":["nickname"]}""", "at 'usernameAttributes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [phone_number, email]]")]
    public async Task Inputs_outside_the_model_are_refused_with_the_front_ends_wording(string json, string expected)
    {
        var operation = json.Contains("PoolName", StringComparison.Ordinal) ? "CreateUserPool" : "ListUserPools";
        using var response = await _server.SignedUserPoolsAsync(operation, json);

        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(response, "ValidationException"), Does.Contain(expected));
    }

    [Test]
    public async Task Username_and_alias_attributes_together_are_an_invalid_parameter()
    {
        using var response = await _server.SignedUserPoolsAsync("CreateUserPool",
            """{"PoolName":"Both","UsernameAttributes":["email"],"AliasAttributes":["preferred_username"]}""");

        await AwsErrorAssert.IsJsonErrorAsync(response, "InvalidParameterException");
    }

    [Test]
    public async Task A_foreign_next_token_is_an_invalid_parameter()
    {
        using var response = await _server.SignedUserPoolsAsync("ListUserPools", """{"MaxResults":1,"NextToken":"AQEAAAAAAAAAAQ"}""");

        await AwsErrorAssert.IsJsonErrorAsync(response, "InvalidParameterException");
    }

    [TestCase("AdminListDevices")]
    [TestCase("CreateUserImportJob")]
    [TestCase("CreateTerms")]
    public async Task An_operation_of_the_model_not_served_yet_answers_an_error_naming_it(string operation)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, "{}");

        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(response, "UnknownOperationException"), Does.Contain(operation));
    }

    [Test]
    public async Task Temporary_credentials_are_authorized_on_the_user_pool_arn()
    {
        var mine = (await CreateAsync("""{"PoolName":"Mine"}""")).GetProperty("Id").GetString()!;
        var theirs = (await CreateAsync("""{"PoolName":"Theirs"}""")).GetProperty("Id").GetString()!;
        await _callers.GrantAsync(TemporaryCallers.GuestRole, TemporaryCallers.Policy(
            $$"""{"Effect":"Allow","Action":"cognito-idp:DescribeUserPool","Resource":"{{UserPoolArn(mine)}}"}"""));

        using var own = await _server.SignedUserPoolsAsync("DescribeUserPool", $$"""{"UserPoolId":"{{mine}}"}""", _callers.Guest);
        using var foreign = await _server.SignedUserPoolsAsync("DescribeUserPool", $$"""{"UserPoolId":"{{theirs}}"}""", _callers.Guest);
        using var create = await _server.SignedUserPoolsAsync("CreateUserPool", """{"PoolName":"NotAllowed"}""", _callers.Guest);

        await AwsErrorAssert.IsSuccessAsync(own);
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(foreign, "AccessDeniedException"),
            Does.Contain($"cognito-idp:DescribeUserPool on resource: {UserPoolArn(theirs)}"));
        await AwsErrorAssert.IsJsonErrorAsync(create, "AccessDeniedException");
    }

    [Test]
    public async Task An_app_client_is_created_with_a_secret_described_listed_updated_and_deleted_with_its_pool()
    {
        var pool = (await CreateAsync("""{"PoolName":"WithClients"}""")).GetProperty("Id").GetString()!;
        using var created = await _server.SignedUserPoolsAsync("CreateUserPoolClient", $$"""
            {"UserPoolId":"{{pool}}","ClientName":"web","GenerateSecret":true,"ExplicitAuthFlows":["ALLOW_USER_SRP_AUTH","ALLOW_REFRESH_TOKEN_AUTH"],
             "AccessTokenValidity":30,"TokenValidityUnits":{"AccessToken":"minutes"},"CallbackURLs":["https://app.example.com/cb"],
             "AllowedOAuthFlows":["code"],"AllowedOAuthScopes":["openid"],"AllowedOAuthFlowsUserPoolClient":true,"PreventUserExistenceErrors":"ENABLED"}
            """);
        var client = (await AwsErrorAssert.IsSuccessAsync(created)).GetProperty("UserPoolClient");
        var clientId = client.GetProperty("ClientId").GetString()!;
        using var described = await _server.SignedUserPoolsAsync("DescribeUserPoolClient", $$"""{"UserPoolId":"{{pool}}","ClientId":"{{clientId}}"}""");
        var description = (await AwsErrorAssert.IsSuccessAsync(described)).GetProperty("UserPoolClient");
        using var listed = await _server.SignedUserPoolsAsync("ListUserPoolClients", $$"""{"UserPoolId":"{{pool}}","MaxResults":10}""");
        var clients = (await AwsErrorAssert.IsSuccessAsync(listed)).GetProperty("UserPoolClients");
        using var updated = await _server.SignedUserPoolsAsync("UpdateUserPoolClient",
            $$"""{"UserPoolId":"{{pool}}","ClientId":"{{clientId}}","ExplicitAuthFlows":["ALLOW_USER_PASSWORD_AUTH"]}""");
        var afterUpdate = (await AwsErrorAssert.IsSuccessAsync(updated)).GetProperty("UserPoolClient");

        Assert.Multiple(() =>
        {
            Assert.That(clientId, Does.Match("^[a-z0-9]{26}$"));
            Assert.That(client.GetProperty("ClientSecret").GetString(), Has.Length.InRange(24, 64));
            Assert.That(description.GetProperty("ClientSecret").GetString(), Is.EqualTo(client.GetProperty("ClientSecret").GetString()));
            Assert.That(description.GetProperty("AccessTokenValidity").GetInt32(), Is.EqualTo(30));
            Assert.That(description.GetProperty("TokenValidityUnits").GetProperty("AccessToken").GetString(), Is.EqualTo("minutes"));
            Assert.That(description.GetProperty("CallbackURLs")[0].GetString(), Is.EqualTo("https://app.example.com/cb"));
            Assert.That(description.GetProperty("PreventUserExistenceErrors").GetString(), Is.EqualTo("ENABLED"));
            Assert.That(clients.GetArrayLength(), Is.EqualTo(1));
            Assert.That(clients[0].GetProperty("ClientName").GetString(), Is.EqualTo("web"));
            Assert.That(afterUpdate.GetProperty("ClientName").GetString(), Is.EqualTo("web"), "the name is kept when the update has none");
            Assert.That(afterUpdate.GetProperty("ExplicitAuthFlows")[0].GetString(), Is.EqualTo("ALLOW_USER_PASSWORD_AUTH"));
            Assert.That(afterUpdate.TryGetProperty("CallbackURLs", out _), Is.False, "settings the update leaves out are reset");
        });

        using var deleted = await _server.SignedUserPoolsAsync("DeleteUserPoolClient", $$"""{"UserPoolId":"{{pool}}","ClientId":"{{clientId}}"}""");
        await AwsErrorAssert.IsSuccessAsync(deleted);
        using var gone = await _server.SignedUserPoolsAsync("DescribeUserPoolClient", $$"""{"UserPoolId":"{{pool}}","ClientId":"{{clientId}}"}""");
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(gone, "ResourceNotFoundException"), Is.EqualTo($"User pool client {clientId} does not exist."));
    }

    [Test]
    public async Task Deleting_a_pool_deletes_its_clients_and_client_calls_then_name_the_missing_pool()
    {
        var pool = (await CreateAsync("""{"PoolName":"Doomed"}""")).GetProperty("Id").GetString()!;
        using var created = await _server.SignedUserPoolsAsync("CreateUserPoolClient", $$"""{"UserPoolId":"{{pool}}","ClientName":"app"}""");
        var clientId = (await AwsErrorAssert.IsSuccessAsync(created)).GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!;
        using var deleted = await _server.SignedUserPoolsAsync("DeleteUserPool", $$"""{"UserPoolId":"{{pool}}"}""");
        await AwsErrorAssert.IsSuccessAsync(deleted);

        using var describe = await _server.SignedUserPoolsAsync("DescribeUserPoolClient", $$"""{"UserPoolId":"{{pool}}","ClientId":"{{clientId}}"}""");
        using var create = await _server.SignedUserPoolsAsync("CreateUserPoolClient", $$"""{"UserPoolId":"{{pool}}","ClientName":"late"}""");

        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(describe, "ResourceNotFoundException"), Is.EqualTo($"User pool {pool} does not exist."));
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(create, "ResourceNotFoundException"), Is.EqualTo($"User pool {pool} does not exist."));
    }

    [Test]
    public async Task Client_inputs_outside_the_model_are_refused_and_the_sensitive_client_id_is_not_echoed()
    {
        using var validity = await _server.SignedUserPoolsAsync("CreateUserPoolClient",
            """{"UserPoolId":"us-east-1_abcdefghi","ClientName":"x","AccessTokenValidity":0,"AllowedOAuthFlows":["code","implicit","client_credentials","code"]}""");
        using var clientId = await _server.SignedUserPoolsAsync("DescribeUserPoolClient", """{"UserPoolId":"us-east-1_abcdefghi","ClientId":"not a client id!"}""");

        var validityMessage = await AwsErrorAssert.IsJsonErrorAsync(validity, "ValidationException");
        var clientIdMessage = await AwsErrorAssert.IsJsonErrorAsync(clientId, "ValidationException");

        Assert.Multiple(() =>
        {
            Assert.That(validityMessage, Does.StartWith("2 validation errors detected: "));
            Assert.That(validityMessage, Does.Contain("Value '0' at 'accessTokenValidity' failed to satisfy constraint: Member must have value greater than or equal to 1"));
            Assert.That(validityMessage, Does.Contain("at 'allowedOAuthFlows' failed to satisfy constraint: Member must have length less than or equal to 3"));
            Assert.That(clientIdMessage, Does.Contain("'clientId'"));
            Assert.That(clientIdMessage, Does.Not.Contain("not a client id!"));
        });
    }
}
