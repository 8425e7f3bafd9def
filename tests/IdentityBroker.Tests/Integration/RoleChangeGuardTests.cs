using System.Net;

namespace IdentityBroker.Tests.Integration;

/// <summary>An IAM change that would break a role a pool hands out is refused with the pool and the failing condition.</summary>
[TestFixture]
public sealed class RoleChangeGuardTests
{
    private BrokerServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await BrokerServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private static string TrustFor(string poolId) =>
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"POOL"}}}]}"""
            .Replace("POOL", poolId, StringComparison.Ordinal);

    [Test]
    public async Task Trust_change_that_excludes_the_pool_is_refused_and_changes_nothing()
    {
        const string otherPool = "us-east-1:99999999-9999-9999-9999-999999999999";
        var trust = WebUtility.UrlEncode(TrustFor(otherPool));
        using var response = await _server.SignedQueryAsync("iam",
            $"Action=UpdateAssumeRolePolicy&Version=2010-05-08&RoleName=DemoUnauthenticatedRole&PolicyDocument={trust}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(400), body);
            Assert.That(body, Does.Contain("<Code>ValidationError</Code>").And.Contain(_server.DemoPoolId).And.Contain("unauthenticated"));
        });

        // The refused change left the role working: a guest still gets credentials.
        using var getId = await _server.CognitoAsync("GetId", $"{{\"IdentityPoolId\":\"{_server.DemoPoolId}\"}}");
        var identityId = (await AwsErrorAssert.IsSuccessAsync(getId)).GetProperty("IdentityId").GetString();
        using var credentials = await _server.CognitoAsync("GetCredentialsForIdentity", $"{{\"IdentityId\":\"{identityId}\"}}");
        await AwsErrorAssert.IsSuccessAsync(credentials);
    }

    [Test]
    public async Task Trust_change_that_keeps_the_pool_is_accepted()
    {
        var trust = WebUtility.UrlEncode(TrustFor(_server.DemoPoolId));
        using var response = await _server.SignedQueryAsync("iam",
            $"Action=UpdateAssumeRolePolicy&Version=2010-05-08&RoleName=DemoAuthenticatedRole&PolicyDocument={trust}");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Deleting_a_role_a_pool_uses_is_a_delete_conflict_naming_the_pool()
    {
        using var policy = await _server.SignedQueryAsync("iam", "Action=DeleteRolePolicy&Version=2010-05-08&RoleName=DemoAuthenticatedRole&PolicyName=demo");
        Assert.That((int)policy.StatusCode, Is.EqualTo(200), await policy.Content.ReadAsStringAsync());
        using var response = await _server.SignedQueryAsync("iam", "Action=DeleteRole&Version=2010-05-08&RoleName=DemoAuthenticatedRole");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(409), body);
            Assert.That(body, Does.Contain("<Code>DeleteConflict</Code>").And.Contain(_server.DemoPoolId));
        });
    }
}
