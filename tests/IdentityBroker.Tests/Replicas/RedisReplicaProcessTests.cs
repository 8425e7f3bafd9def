using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using IdentityBroker.Tests.Crash;
using IdentityBroker.Tests.Integration;
using IdentityBroker.Tests.Storage;

namespace IdentityBroker.Tests.Replicas;

/// <summary>
/// The checks of <see cref="RedisReplicaTests"/> made literal: two broker OS processes (<c>IdentityBroker.Server.dll</c>)
/// on one Redis with one key prefix, admin key and issuer, as replicas behind a load balancer run; the third-party
/// OIDC issuer is on loopback so that both processes can fetch its keys.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisReplicaProcessTests
{
    private const string IssuerName = "replicas";

    private readonly List<string> _dataDirectories = [];
    private RedisTestServer _redis = null!;
    private LoopbackOidcIssuers _issuers = null!;
    private BrokerProcess? _a;
    private BrokerProcess? _b;

    private BrokerProcess A => _a!;

    private BrokerProcess B => _b!;

    private string ProviderKey => _issuers.ProviderKey(IssuerName);

    [OneTimeSetUp]
    public async Task StartProcesses()
    {
        var stopwatch = Stopwatch.StartNew();
        _redis = await RedisTestServer.StartAsync();
        _issuers = await LoopbackOidcIssuers.StartAsync();
        var prefix = $"ibp-{Guid.NewGuid():N}";

        // One after the other, as a rollout does: the second process finds the first one's signing key in the store.
        _a = await BrokerProcess.StartAsync(Settings(prefix));
        _b = await BrokerProcess.StartAsync(Settings(prefix));
        var form = $"Action=CreateOpenIDConnectProvider&Version=2010-05-08&Url={Uri.EscapeDataString(_issuers.Issuer(IssuerName))}&ClientIDList.member.1={LoopbackOidcIssuers.ClientId}";
        using var created = await SignedQueryAsync(A, "iam", form);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.OK), await created.Content.ReadAsStringAsync());
        await TestContext.Out.WriteLineAsync($"Redis from {_redis.Source}; two broker processes ready in {stopwatch.ElapsedMilliseconds} ms");
    }

    [OneTimeTearDown]
    public async Task StopProcesses()
    {
        if (_a is not null)
        {
            await _a.DisposeAsync();
        }

        if (_b is not null)
        {
            await _b.DisposeAsync();
        }

        await _issuers.DisposeAsync();
        await _redis.DisposeAsync();
        foreach (var directory in _dataDirectories)
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task Concurrent_first_logins_of_one_user_spread_over_both_processes_yield_one_identity()
    {
        var poolId = await CreatePoolAsync(A);
        var body = $$"""{"IdentityPoolId":"{{poolId}}","Logins":{{LoginsJson("same-new-user")}}}""";

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, 100).Select(async i =>
        {
            await start.Task;
            using var response = await CognitoAsync(i % 2 == 0 ? A : B, "GetId", body);
            var json = await AwsErrorAssert.IsSuccessAsync(response);
            return json.GetProperty("IdentityId").GetString()!;
        }).ToArray();
        var stopwatch = Stopwatch.StartNew();
        start.SetResult();
        var ids = await Task.WhenAll(calls);
        await TestContext.Out.WriteLineAsync($"100 concurrent GetId over two broker processes: {stopwatch.ElapsedMilliseconds} ms");

        Assert.That(ids.Distinct().ToList(), Has.Count.EqualTo(1), "every caller, on either process, gets the same identity");
        foreach (var broker in new[] { A, B })
        {
            using var listed = await SignedCognitoAsync(broker, "ListIdentities", $$"""{"IdentityPoolId":"{{poolId}}","MaxResults":60}""");
            var identities = (await AwsErrorAssert.IsSuccessAsync(listed)).GetProperty("Identities");
            Assert.That(identities.GetArrayLength(), Is.EqualTo(1), "the pool holds one identity");
            Assert.That(identities[0].GetProperty("IdentityId").GetString(), Is.EqualTo(ids[0]));
            Assert.That(identities[0].GetProperty("Logins").EnumerateArray().Select(l => l.GetString()), Is.EqualTo(new[] { ProviderKey }));
        }
    }

    [Test]
    public async Task A_rules_role_mapping_changed_through_one_process_applies_on_the_other_within_a_second()
    {
        var poolId = await CreatePoolAsync(A);
        var fallback = await CreateTrustingRoleAsync(A, poolId);
        var first = await CreateTrustingRoleAsync(A, poolId);
        var second = await CreateTrustingRoleAsync(A, poolId);
        var logins = LoginsJson("mapped-user");
        await SetRulesMappingAsync(A, poolId, fallback, "mapped-user", first);

        using var getId = await CognitoAsync(B, "GetId", $$"""{"IdentityPoolId":"{{poolId}}","Logins":{{logins}}}""");
        var identityId = (await AwsErrorAssert.IsSuccessAsync(getId)).GetProperty("IdentityId").GetString()!;
        var credentials = $$"""{"IdentityId":"{{identityId}}","Logins":{{logins}}}""";
        Assert.That(await AssumedRoleOnAsync(B, credentials), Is.EqualTo(AssumedRoleArn(first)), "B applies the rule set on A");

        await SetRulesMappingAsync(A, poolId, fallback, "mapped-user", second);
        var stopwatch = Stopwatch.StartNew();
        while (await AssumedRoleOnAsync(B, credentials) != AssumedRoleArn(second))
        {
            Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "process B still maps the login to the first role");
            await Task.Delay(50);
        }

        await TestContext.Out.WriteLineAsync($"role mapping changed on A applied by B after {stopwatch.ElapsedMilliseconds} ms");
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public async Task A_token_signed_by_one_process_is_accepted_by_the_embedded_sts_of_the_other_both_ways()
    {
        var poolId = await CreatePoolAsync(A);
        var roleArn = await CreateTrustingRoleAsync(A, poolId);

        await AssertCrossAcceptedAsync(signer: A, sts: B, poolId, roleArn, "sts-user-a");
        await AssertCrossAcceptedAsync(signer: B, sts: A, poolId, roleArn, "sts-user-b");

        using var jwksA = await A.Http.GetAsync(new Uri("/.well-known/jwks.json", UriKind.Relative));
        using var jwksB = await B.Http.GetAsync(new Uri("/.well-known/jwks.json", UriKind.Relative));
        Assert.That(await jwksB.Content.ReadAsStringAsync(), Is.EqualTo(await jwksA.Content.ReadAsStringAsync()), "both processes publish one key set");
    }

    private async Task AssertCrossAcceptedAsync(BrokerProcess signer, BrokerProcess sts, string poolId, string roleArn, string subject)
    {
        var logins = LoginsJson(subject);
        using var getId = await CognitoAsync(signer, "GetId", $$"""{"IdentityPoolId":"{{poolId}}","Logins":{{logins}}}""");
        var identityId = (await AwsErrorAssert.IsSuccessAsync(getId)).GetProperty("IdentityId").GetString();
        using var tokenResponse = await CognitoAsync(signer, "GetOpenIdToken", $$"""{"IdentityId":"{{identityId}}","Logins":{{logins}}}""");
        var token = (await AwsErrorAssert.IsSuccessAsync(tokenResponse)).GetProperty("Token").GetString()!;

        // Unsigned, as AWS STS allows for AssumeRoleWithWebIdentity.
        var form = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleSessionName=replica"
            + $"&RoleArn={Uri.EscapeDataString(roleArn)}&WebIdentityToken={Uri.EscapeDataString(token)}";
        using var assumed = await sts.Http.SendAsync(BrokerReplica.FormRequest(form));
        var xml = await assumed.Content.ReadAsStringAsync();

        var direction = signer == A ? "signed by A, presented to B" : "signed by B, presented to A";
        Assert.That(assumed.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{direction}: {xml}");
        Assert.That(xml, Does.Contain("<AccessKeyId>").And.Contain($"<SubjectFromWebIdentityToken>{identityId}</SubjectFromWebIdentityToken>"), direction);
    }

    /// <summary>GetCredentialsForIdentity on the broker, then STS GetCallerIdentity (AWS SDK, session credentials) on it.</summary>
    private static async Task<string> AssumedRoleOnAsync(BrokerProcess broker, string credentialsRequest)
    {
        using var response = await CognitoAsync(broker, "GetCredentialsForIdentity", credentialsRequest);
        var credentials = (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("Credentials");
        var session = new SessionAWSCredentials(
            credentials.GetProperty("AccessKeyId").GetString(),
            credentials.GetProperty("SecretKey").GetString(),
            credentials.GetProperty("SessionToken").GetString());
        var config = new AmazonSecurityTokenServiceConfig { ServiceURL = broker.BaseAddress.ToString(), AuthenticationRegion = "us-east-1" };
        using var sts = new AmazonSecurityTokenServiceClient(session, config);
        return (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn;
    }

    private static string AssumedRoleArn(string roleArn) =>
        $"arn:aws:sts::000000000000:assumed-role/{roleArn[(roleArn.LastIndexOf('/') + 1)..]}/CognitoIdentityCredentials";

    private async Task SetRulesMappingAsync(BrokerProcess broker, string poolId, string authenticated, string subject, string ruleRole)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["IdentityPoolId"] = poolId,
            ["Roles"] = new Dictionary<string, string> { ["authenticated"] = authenticated },
            ["RoleMappings"] = new Dictionary<string, object>
            {
                [ProviderKey] = new Dictionary<string, object>
                {
                    ["Type"] = "Rules",
                    ["AmbiguousRoleResolution"] = "AuthenticatedRole",
                    ["RulesConfiguration"] = new Dictionary<string, object>
                    {
                        ["Rules"] = new[]
                        {
                            new Dictionary<string, string> { ["Claim"] = "sub", ["MatchType"] = "Equals", ["Value"] = subject, ["RoleARN"] = ruleRole },
                        },
                    },
                },
            },
        });
        using var set = await SignedCognitoAsync(broker, "SetIdentityPoolRoles", body);
        await AwsErrorAssert.IsSuccessAsync(set);
    }

    private async Task<string> CreatePoolAsync(BrokerProcess broker)
    {
        var body = $$"""{"IdentityPoolName":"replicas","AllowUnauthenticatedIdentities":false,"OpenIdConnectProviderARNs":["arn:aws:iam::000000000000:oidc-provider/{{ProviderKey}}"]}""";
        using var response = await SignedCognitoAsync(broker, "CreateIdentityPool", body);
        return (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("IdentityPoolId").GetString()!;
    }

    private static async Task<string> CreateTrustingRoleAsync(BrokerProcess broker, string poolId)
    {
        var name = $"replica-{Guid.NewGuid():N}"[..30];
        var trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"POOL"}}}]}"""
            .Replace("POOL", poolId, StringComparison.Ordinal);
        using var response = await SignedQueryAsync(
            broker, "iam", $"Action=CreateRole&Version=2010-05-08&RoleName={name}&AssumeRolePolicyDocument={Uri.EscapeDataString(trust)}");
        var xml = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), xml);
        return $"arn:aws:iam::000000000000:role/{name}";
    }

    private string LoginsJson(string subject) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { [ProviderKey] = _issuers.Token(IssuerName, subject) });

    private Dictionary<string, string> Settings(string prefix)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("broker-process-replica-").FullName;
        _dataDirectories.Add(dataDirectory);
        return new Dictionary<string, string>
        {
            ["Broker__Store"] = "redis",
            ["Broker__Redis__Configuration"] = _redis.Configuration,
            ["Broker__Redis__KeyPrefix"] = prefix,
            ["Broker__Redis__OperationTimeout"] = "00:00:01",
            ["Broker__DataDirectory"] = dataDirectory,
            ["Broker__Sts__InProcess"] = "true",
        };
    }

    private static Task<HttpResponseMessage> CognitoAsync(BrokerProcess broker, string operation, string json) =>
        broker.Http.SendAsync(BrokerReplica.JsonRequest(operation, json));

    private static Task<HttpResponseMessage> SignedCognitoAsync(BrokerProcess broker, string operation, string json) =>
        broker.Http.SendAsync(BrokerReplica.Sign(BrokerReplica.JsonRequest(operation, json), broker.BaseAddress, "cognito-identity", json));

    private static Task<HttpResponseMessage> SignedQueryAsync(BrokerProcess broker, string service, string form) =>
        broker.Http.SendAsync(BrokerReplica.Sign(BrokerReplica.FormRequest(form), broker.BaseAddress, service, form));
}
