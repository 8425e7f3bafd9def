using System.Diagnostics;
using System.Net;
using System.Text;
using Amazon.Runtime;
using IdentityBroker.Tests.Integration;
using IdentityBroker.Tests.Storage;

namespace IdentityBroker.Tests.Replicas;

/// <summary>
/// A revocation made through one replica refuses, on the other replica of the same Redis, the sessions it covers within a
/// second; the identity mints again at once (docs/revocation.md). The admin API round trip is driven here too.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisRevocationReplicaTests
{
    private RedisTestServer _redis = null!;
    private BrokerReplica _a = null!;
    private BrokerReplica _b = null!;

    [OneTimeSetUp]
    public async Task StartReplicas()
    {
        _redis = await RedisTestServer.StartAsync();
        var prefix = $"ibr-{Guid.NewGuid():N}";
        _a = await BrokerReplica.StartAsync(_redis.Configuration, prefix);
        _b = await BrokerReplica.StartAsync(_redis.Configuration, prefix);
    }

    [OneTimeTearDown]
    public async Task StopReplicas()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Test]
    public async Task Sessions_revoked_through_one_replica_are_refused_by_the_other_within_a_second_and_the_identity_mints_again()
    {
        var poolId = await CreateGuestPoolAsync();
        var (identityId, before) = await GuestCredentialsAsync(poolId);
        using (var live = await CallerIdentityAsync(_b, before))
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK), await live.Content.ReadAsStringAsync());
        }

        var revocationId = await RevokeAsync(_a, $$"""{"IdentityPoolId":"{{poolId}}","IdentityId":"{{identityId}}"}""");
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            using var response = await CallerIdentityAsync(_b, before);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var xml = await response.Content.ReadAsStringAsync();
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), xml);
                Assert.That(xml, Does.Contain("<Code>ExpiredToken</Code>").And.Contain("The security token included in the request is expired"));
                break;
            }

            Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "replica B still accepts the revoked session");
            await Task.Delay(50);
        }

        await TestContext.Out.WriteLineAsync($"session revoked on A refused by B after {stopwatch.ElapsedMilliseconds} ms");
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));

        var (_, after) = await GuestCredentialsAsync(poolId, identityId);
        using (var again = await CallerIdentityAsync(_b, after))
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the identity mints again: " + await again.Content.ReadAsStringAsync());
        }

        using var listed = await _a.Http.SendAsync(Admin(HttpMethod.Get, "/admin/api/revocations", string.Empty));
        var revocations = (await AwsErrorAssert.IsSuccessAsync(listed)).GetProperty("Revocations");
        Assert.That(revocations.EnumerateArray().Select(r => r.GetProperty("RevocationId").GetString()), Does.Contain(revocationId));

    }

    [TestCase("""{"IdentityPoolId":"us-east-1:00000000-0000-0000-0000-000000000000"}""", "ResourceNotFoundException")]
    [TestCase("""{"IdentityId":"us-east-1:00000000-0000-0000-0000-000000000000"}""", "InvalidParameterException")]
    [TestCase("""{"IdentityPoolId":"POOL","Subject":"alone"}""", "InvalidParameterException")]
    [TestCase("""{"IdentityPoolId":"POOL","IssuedBefore":{"not":"a time"}}""", "InvalidParameterException")]
    [TestCase("""{"IdentityPoolId":"POOL","Surprise":1}""", "InvalidParameterException")]
    [TestCase("""[1,2]""", "InvalidParameterException")]
    [TestCase("""{"IdentityPoolId":""", "InvalidParameterException")]
    public async Task A_bad_revocation_is_refused_with_an_aws_error_and_stores_nothing(string body, string error)
    {
        var poolId = await CreateGuestPoolAsync();
        var count = await CountAsync();

        using var response = await _a.Http.SendAsync(Admin(HttpMethod.Post, "/admin/api/revocations", body.Replace("POOL", poolId, StringComparison.Ordinal)));

        await IsAdminErrorAsync(response, error);
        Assert.That(await CountAsync(), Is.EqualTo(count));
    }

    [Test]
    public async Task The_revocation_api_refuses_a_caller_without_the_admin_key()
    {
        var poolId = await CreateGuestPoolAsync();
        var (_, credentials) = await GuestCredentialsAsync(poolId);
        var body = $$"""{"IdentityPoolId":"{{poolId}}"}""";
        var request = new HttpRequestMessage(HttpMethod.Post, "/admin/api/revocations") { Content = Json(body) };

        using var response = await _a.Http.SendAsync(BrokerReplica.Sign(request, _a.BaseAddress, "execute-api", body, credentials));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    private static async Task IsAdminErrorAsync(HttpResponseMessage response, string type)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(400), body);
        Assert.That(response.Headers.GetValues("x-amzn-ErrorType").Single(), Does.StartWith(type), body);
    }

    private async Task<int> CountAsync()
    {
        using var listed = await _a.Http.SendAsync(Admin(HttpMethod.Get, "/admin/api/revocations", string.Empty));
        return (await AwsErrorAssert.IsSuccessAsync(listed)).GetProperty("Revocations").GetArrayLength();
    }

    private async Task<string> RevokeAsync(BrokerReplica replica, string body)
    {
        using var response = await replica.Http.SendAsync(Admin(HttpMethod.Post, "/admin/api/revocations", body));
        var revocation = (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("Revocation");
        Assert.That(revocation.GetProperty("AwsRolePolicy").GetString(), Does.Contain("aws:TokenIssueTime"));
        return revocation.GetProperty("RevocationId").GetString()!;
    }

    private HttpRequestMessage Admin(HttpMethod method, string path, string body)
    {
        var request = new HttpRequestMessage(method, path) { Content = Json(body) };
        return BrokerReplica.Sign(request, _a.BaseAddress, "execute-api", body);
    }

    private static ByteArrayContent Json(string body)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    private async Task<string> CreateGuestPoolAsync()
    {
        using var created = await _a.SignedCognitoAsync("CreateIdentityPool", """{"IdentityPoolName":"revocations","AllowUnauthenticatedIdentities":true}""");
        var poolId = (await AwsErrorAssert.IsSuccessAsync(created)).GetProperty("IdentityPoolId").GetString()!;
        var name = $"revoke-{Guid.NewGuid():N}"[..30];
        var trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"POOL"}}}]}"""
            .Replace("POOL", poolId, StringComparison.Ordinal);
        using (var role = await _a.SignedQueryAsync("iam", $"Action=CreateRole&Version=2010-05-08&RoleName={name}&AssumeRolePolicyDocument={Uri.EscapeDataString(trust)}"))
        {
            Assert.That(role.StatusCode, Is.EqualTo(HttpStatusCode.OK), await role.Content.ReadAsStringAsync());
        }

        using var roles = await _a.SignedCognitoAsync(
            "SetIdentityPoolRoles", $$$"""{"IdentityPoolId":"{{{poolId}}}","Roles":{"unauthenticated":"arn:aws:iam::000000000000:role/{{{name}}}"}}""");
        await AwsErrorAssert.IsSuccessAsync(roles);
        return poolId;
    }

    private async Task<(string IdentityId, ImmutableCredentials Credentials)> GuestCredentialsAsync(string poolId, string? identityId = null)
    {
        if (identityId is null)
        {
            using var got = await _a.CognitoAsync("GetId", $$"""{"IdentityPoolId":"{{poolId}}"}""");
            identityId = (await AwsErrorAssert.IsSuccessAsync(got)).GetProperty("IdentityId").GetString()!;
        }

        using var response = await _a.CognitoAsync("GetCredentialsForIdentity", $$"""{"IdentityId":"{{identityId}}"}""");
        var credentials = (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("Credentials");
        return (identityId, new ImmutableCredentials(
            credentials.GetProperty("AccessKeyId").GetString(), credentials.GetProperty("SecretKey").GetString(), credentials.GetProperty("SessionToken").GetString()));
    }

    private static Task<HttpResponseMessage> CallerIdentityAsync(BrokerReplica replica, ImmutableCredentials credentials)
    {
        const string form = "Action=GetCallerIdentity&Version=2011-06-15";
        return replica.Http.SendAsync(BrokerReplica.Sign(BrokerReplica.FormRequest(form), replica.BaseAddress, "sts", form, credentials));
    }
}
