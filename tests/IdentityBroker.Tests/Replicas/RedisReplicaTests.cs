using System.Diagnostics;
using System.Net;
using System.Text.Json;
using IdentityBroker.Tests.Federation;
using IdentityBroker.Tests.Integration;
using IdentityBroker.Tests.Storage;

namespace IdentityBroker.Tests.Replicas;

/// <summary>Two broker replicas on one Redis behave as one broker.</summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisReplicaTests
{
    private const string IdpHost = "idp.replicas.example";
    private const string ClientId = "replica-client";
    private const string ProviderArn = "arn:aws:iam::000000000000:oidc-provider/" + IdpHost;

    private RedisTestServer _redis = null!;
    private RsaTestKey _idpKey = null!;
    private StubOidcProvider _idp = null!;
    private BrokerReplica _a = null!;
    private BrokerReplica _b = null!;

    [OneTimeSetUp]
    public async Task StartReplicas()
    {
        _redis = await RedisTestServer.StartAsync();
        _idpKey = new RsaTestKey("replica-kid");
        _idp = new StubOidcProvider("https://" + IdpHost);
        _idp.Keys.Add(_idpKey.Jwk);
        var prefix = $"ibr-{Guid.NewGuid():N}";

        // One after the other, as a rollout does: the second replica finds the first one's signing key in the store.
        _a = await BrokerReplica.StartAsync(_redis.Configuration, prefix, _idp);
        _b = await BrokerReplica.StartAsync(_redis.Configuration, prefix, _idp);
        var form = $"Action=CreateOpenIDConnectProvider&Version=2010-05-08&Url={Uri.EscapeDataString("https://" + IdpHost)}&ClientIDList.member.1={ClientId}";
        using var created = await _a.SignedQueryAsync("iam", form);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.OK), await created.Content.ReadAsStringAsync());
    }

    [OneTimeTearDown]
    public async Task StopReplicas()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _redis.DisposeAsync();
        _idp.Dispose();
        _idpKey.Dispose();
    }

    [Test]
    public async Task Concurrent_first_logins_of_one_user_spread_over_both_replicas_yield_one_identity()
    {
        var poolId = await CreatePoolAsync(_a, allowGuests: false);
        var logins = LoginsJson("same-new-user");
        var body = $$"""{"IdentityPoolId":"{{poolId}}","Logins":{{logins}}}""";

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, 100).Select(async i =>
        {
            await start.Task;
            using var response = await (i % 2 == 0 ? _a : _b).CognitoAsync("GetId", body);
            var json = await AwsErrorAssert.IsSuccessAsync(response);
            return json.GetProperty("IdentityId").GetString()!;
        }).ToArray();
        var stopwatch = Stopwatch.StartNew();
        start.SetResult();
        var ids = await Task.WhenAll(calls);
        await TestContext.Out.WriteLineAsync($"100 concurrent GetId over two replicas: {stopwatch.ElapsedMilliseconds} ms");

        Assert.That(ids.Distinct().ToList(), Has.Count.EqualTo(1), "every caller, on either replica, gets the same identity");
        foreach (var replica in new[] { _a, _b })
        {
            using var listed = await replica.SignedCognitoAsync("ListIdentities", $$"""{"IdentityPoolId":"{{poolId}}","MaxResults":60}""");
            var identities = (await AwsErrorAssert.IsSuccessAsync(listed)).GetProperty("Identities");
            Assert.That(identities.GetArrayLength(), Is.EqualTo(1), "the pool holds one identity");
            Assert.That(identities[0].GetProperty("IdentityId").GetString(), Is.EqualTo(ids[0]));
        }
    }

    [Test]
    public async Task A_pool_change_made_through_one_replica_applies_on_the_other_within_a_second()
    {
        var poolId = await CreatePoolAsync(_a, allowGuests: true);
        var guest = $$"""{"IdentityPoolId":"{{poolId}}"}""";
        using (var warm = await _b.CognitoAsync("GetId", guest))
        {
            await AwsErrorAssert.IsSuccessAsync(warm); // replica B now holds the pool in its cache
        }

        using (var update = await _a.SignedCognitoAsync(
            "UpdateIdentityPool", $$"""{"IdentityPoolId":"{{poolId}}","IdentityPoolName":"replicas","AllowUnauthenticatedIdentities":false}"""))
        {
            await AwsErrorAssert.IsSuccessAsync(update);
        }

        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            using var response = await _b.CognitoAsync("GetId", guest);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                await AwsErrorAssert.IsJsonErrorAsync(response, "NotAuthorizedException");
                break;
            }

            Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "replica B still allows guests");
            await Task.Delay(50);
        }

        await TestContext.Out.WriteLineAsync($"guest access withdrawn on A refused by B after {stopwatch.ElapsedMilliseconds} ms");
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public async Task Default_roles_set_through_one_replica_are_read_back_by_the_other()
    {
        var poolId = await CreatePoolAsync(_a, allowGuests: true);
        var role = await CreateTrustingRoleAsync(_a, poolId);

        using (var set = await _a.SignedCognitoAsync(
            "SetIdentityPoolRoles", $$$"""{"IdentityPoolId":"{{{poolId}}}","Roles":{"authenticated":"{{{role}}}"}}"""))
        {
            await AwsErrorAssert.IsSuccessAsync(set);
        }

        using var read = await _b.SignedCognitoAsync("GetIdentityPoolRoles", $$"""{"IdentityPoolId":"{{poolId}}"}""");
        var roles = (await AwsErrorAssert.IsSuccessAsync(read)).GetProperty("Roles");
        Assert.That(roles.GetProperty("authenticated").GetString(), Is.EqualTo(role));
    }

    [Test]
    public async Task A_token_signed_by_one_replica_is_accepted_by_the_embedded_sts_of_the_other()
    {
        var poolId = await CreatePoolAsync(_a, allowGuests: false);
        var roleArn = await CreateTrustingRoleAsync(_a, poolId);
        var logins = LoginsJson("sts-user");
        using var getId = await _a.CognitoAsync("GetId", $$"""{"IdentityPoolId":"{{poolId}}","Logins":{{logins}}}""");
        var identityId = (await AwsErrorAssert.IsSuccessAsync(getId)).GetProperty("IdentityId").GetString();
        using var tokenResponse = await _a.CognitoAsync("GetOpenIdToken", $$"""{"IdentityId":"{{identityId}}","Logins":{{logins}}}""");
        var token = (await AwsErrorAssert.IsSuccessAsync(tokenResponse)).GetProperty("Token").GetString()!;

        var form = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleSessionName=replica"
            + $"&RoleArn={Uri.EscapeDataString(roleArn)}&WebIdentityToken={Uri.EscapeDataString(token)}";
        using var assumed = await _b.QueryAsync(form);
        var xml = await assumed.Content.ReadAsStringAsync();

        Assert.That(assumed.StatusCode, Is.EqualTo(HttpStatusCode.OK), xml);
        Assert.That(xml, Does.Contain("<AccessKeyId>").And.Contain($"<SubjectFromWebIdentityToken>{identityId}</SubjectFromWebIdentityToken>"));
        using var jwksA = await _a.Http.GetAsync(new Uri("/.well-known/jwks.json", UriKind.Relative));
        using var jwksB = await _b.Http.GetAsync(new Uri("/.well-known/jwks.json", UriKind.Relative));
        Assert.That(await jwksB.Content.ReadAsStringAsync(), Is.EqualTo(await jwksA.Content.ReadAsStringAsync()), "both replicas publish one key set");
    }

    private static async Task<string> CreatePoolAsync(BrokerReplica replica, bool allowGuests)
    {
        var body = $$"""{"IdentityPoolName":"replicas","AllowUnauthenticatedIdentities":{{(allowGuests ? "true" : "false")}},"OpenIdConnectProviderARNs":["{{ProviderArn}}"]}""";
        using var response = await replica.SignedCognitoAsync("CreateIdentityPool", body);
        return (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("IdentityPoolId").GetString()!;
    }

    private static async Task<string> CreateTrustingRoleAsync(BrokerReplica replica, string poolId)
    {
        var name = $"replica-{Guid.NewGuid():N}"[..30];
        var trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"POOL"}}}]}"""
            .Replace("POOL", poolId, StringComparison.Ordinal);
        using var response = await replica.SignedQueryAsync(
            "iam", $"Action=CreateRole&Version=2010-05-08&RoleName={name}&AssumeRolePolicyDocument={Uri.EscapeDataString(trust)}");
        var xml = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), xml);
        return $"arn:aws:iam::000000000000:role/{name}";
    }

    private string LoginsJson(string subject)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = Jws.Create(_idpKey, new Dictionary<string, object?>
        {
            ["iss"] = "https://" + IdpHost,
            ["aud"] = ClientId,
            ["sub"] = subject,
            ["iat"] = now,
            ["exp"] = now + 600,
        });
        return JsonSerializer.Serialize(new Dictionary<string, string> { [IdpHost] = token });
    }
}
