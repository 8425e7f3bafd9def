namespace IdentityBroker.Tests.Integration;

/// <summary>
/// The embedded STS reached in-process (the default) and over HTTP (<c>Broker:Sts:InProcess=false</c>) give the same results.
/// </summary>
[TestFixture("true")]
[TestFixture("false")]
public sealed class InProcessMinterTests(string inProcess)
{
    [Test]
    public async Task Guest_credentials_through_the_embedded_sts()
    {
        await using var server = await BrokerServer.StartAsync(new Dictionary<string, string?> { ["Broker:Sts:InProcess"] = inProcess });
        using var getId = await server.CognitoAsync("GetId", $"{{\"IdentityPoolId\":\"{server.DemoPoolId}\"}}");
        var identityId = (await AwsErrorAssert.IsSuccessAsync(getId)).GetProperty("IdentityId").GetString();
        using var response = await server.CognitoAsync("GetCredentialsForIdentity", $"{{\"IdentityId\":\"{identityId}\"}}");
        var credentials = (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("Credentials");
        Assert.That(credentials.GetProperty("AccessKeyId").GetString(), Does.StartWith("ASIA"));
    }

    [Test]
    public async Task Mint_failure_gives_the_caller_cognito_message_only()
    {
        await using var server = await BrokerServer.StartAsync(new Dictionary<string, string?> { ["Broker:Sts:InProcess"] = inProcess });
        using var created = await server.SignedCognitoAsync("CreateIdentityPool", "{\"IdentityPoolName\":\"Untrusted\",\"AllowUnauthenticatedIdentities\":true}");
        var poolId = (await AwsErrorAssert.IsSuccessAsync(created)).GetProperty("IdentityPoolId").GetString()!;

        // A role whose trust admits this pool but only one particular identity: the operator checks of SetIdentityPoolRoles
        // cannot know identities ahead of time (and refuse trust changes that exclude the pool), so STS refuses it at
        // request time for any other identity.
        var trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"POOL","cognito-identity.amazonaws.com:sub":"us-east-1:00000000-0000-0000-0000-000000000000"}}}]}"""
            .Replace("POOL", poolId, StringComparison.Ordinal);
        using var created2 = await server.SignedQueryAsync("iam",
            $"Action=CreateRole&Version=2010-05-08&RoleName=OneIdentityOnly&AssumeRolePolicyDocument={Uri.EscapeDataString(trust)}");
        Assert.That(created2.IsSuccessStatusCode, Is.True);
        using var roles = await server.SignedCognitoAsync("SetIdentityPoolRoles",
            $"{{\"IdentityPoolId\":\"{poolId}\",\"Roles\":{{\"unauthenticated\":\"arn:aws:iam::000000000000:role/OneIdentityOnly\"}}}}");
        await AwsErrorAssert.IsSuccessAsync(roles);
        using var getId = await server.CognitoAsync("GetId", $"{{\"IdentityPoolId\":\"{poolId}\"}}");
        var identityId = (await AwsErrorAssert.IsSuccessAsync(getId)).GetProperty("IdentityId").GetString();
        using var response = await server.CognitoAsync("GetCredentialsForIdentity", $"{{\"IdentityId\":\"{identityId}\"}}");
        var message = await AwsErrorAssert.IsJsonErrorAsync(response, "InvalidIdentityPoolConfigurationException");
        Assert.That(message, Is.EqualTo("Invalid identity pool configuration. Check assigned IAM roles for this pool."));
    }
}
