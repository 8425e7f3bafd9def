namespace IdentityBroker.Tests.Integration;

/// <summary>Temporary credentials are authorized by their session's policy: a guest can never administer the broker.</summary>
[TestFixture]
public sealed class CallerAuthorizationTests
{
    private BrokerServer _server = null!;
    private SigningKey _guest = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await BrokerServer.StartAsync();
        using var getId = await _server.CognitoAsync("GetId", $"{{\"IdentityPoolId\":\"{_server.DemoPoolId}\"}}");
        var identityId = (await AwsErrorAssert.IsSuccessAsync(getId)).GetProperty("IdentityId").GetString();
        using var response = await _server.CognitoAsync("GetCredentialsForIdentity", $"{{\"IdentityId\":\"{identityId}\"}}");
        var c = (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("Credentials");
        _guest = new SigningKey(c.GetProperty("AccessKeyId").GetString()!, c.GetProperty("SecretKey").GetString()!, c.GetProperty("SessionToken").GetString());
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Guest_credentials_cannot_create_an_identity_pool()
    {
        using var response = await _server.SignedCognitoAsync("CreateIdentityPool", "{\"IdentityPoolName\":\"Stolen\",\"AllowUnauthenticatedIdentities\":true}", _guest);
        var message = await AwsErrorAssert.IsJsonErrorAsync(response, "AccessDeniedException");
        Assert.That(message, Does.Contain("assumed-role/DemoUnauthenticatedRole").And.Contain("cognito-identity:CreateIdentityPool"));
    }

    [Test]
    public async Task Guest_credentials_cannot_create_an_iam_role()
    {
        using var response = await _server.SignedQueryAsync("iam",
            "Action=CreateRole&Version=2010-05-08&RoleName=Escalate&AssumeRolePolicyDocument=%7B%7D", _guest);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(403), body);
            Assert.That(body, Does.Contain("<Code>AccessDenied</Code>").And.Contain("iam:CreateRole"));
        });
    }

    [Test]
    public async Task Guest_credentials_may_still_ask_who_they_are()
    {
        using var response = await _server.SignedQueryAsync("sts", "Action=GetCallerIdentity&Version=2011-06-15", _guest);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
            Assert.That(body, Does.Contain("assumed-role/DemoUnauthenticatedRole/CognitoIdentityCredentials"));
        });
    }

    [Test]
    public async Task Admin_key_may_administer()
    {
        using var response = await _server.SignedCognitoAsync("ListIdentityPools", "{\"MaxResults\":5}");
        await AwsErrorAssert.IsSuccessAsync(response);
    }
}
