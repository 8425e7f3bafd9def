using System.Net;
using System.Text;
using System.Text.Json;
using IdentityBroker.Configuration;
using IdentityBroker.Server.Configuration;
using IdentityBroker.Tests.Integration;
using IdentityBroker.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Tests.Configuration;

/// <summary>
/// Configuration as code over the signed admin API of a running broker (docs/config-as-code.md), on each store: export →
/// apply → export is the identity, plan shows exactly an out-of-band change, and the write-time checks refuse a bad document
/// in plan and apply alike with nothing changed.
/// </summary>
public abstract class ConfigurationAsCodeTests
{
    private const string Provider = "idp.config.example";

    private BrokerServer _server = null!;

    /// <summary>Settings that put a broker on this fixture's store; each call is a new, empty store.</summary>
    protected abstract IDictionary<string, string?> NewStoreSettings();

    [SetUp]
    public async Task StartBroker() => _server = await StartAsync();

    [TearDown]
    public async Task StopBroker() => await _server.DisposeAsync();

    [Test]
    public async Task Export_applied_to_an_empty_broker_exports_byte_for_byte_the_same_document()
    {
        var poolId = await ConfigureAsync(_server);
        var exported = await ExportAsync(_server);
        Assert.That(exported, Does.Contain(poolId).And.Contain("ExpressionRules").And.Contain("RolePolicies"));

        await using var other = await StartAsync();
        var applied = await ApplyAsync(other, exported);
        Assert.That(applied.Status, Is.EqualTo(HttpStatusCode.OK), applied.Body);
        Assert.That(applied.Json.GetProperty("Outcome").GetString(), Is.EqualTo("Applied"));

        Assert.That(await ExportAsync(other), Is.EqualTo(exported));
        var again = await ApplyAsync(other, exported);
        Assert.That(again.Json.GetProperty("Outcome").GetString(), Is.EqualTo("NoChanges"));
        Assert.That(again.Json.GetProperty("Changes").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Plan_after_an_out_of_band_change_shows_exactly_that_change()
    {
        var poolId = await ConfigureAsync(_server);
        var exported = await ExportAsync(_server);

        using var updated = await _server.SignedQueryAsync("iam", "Action=UpdateRole&Version=2010-05-08&RoleName=ConfigAuth&Description=changed%20by%20hand");
        Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var roles = await _server.SignedCognitoAsync("SetIdentityPoolRoles",
            $$$"""{"IdentityPoolId":"{{{poolId}}}","Roles":{"authenticated":"arn:aws:iam::000000000000:role/ConfigAuth"}}""");
        await AwsErrorAssert.IsSuccessAsync(roles);

        var plan = await PlanAsync(_server, exported);
        Assert.That(plan.Status, Is.EqualTo(HttpStatusCode.OK), plan.Body);
        Assert.That(Changes(plan.Json), Is.EqualTo(new[]
        {
            "Update Role ConfigAuth (Description)",
            $"Update IdentityPool {poolId} (RoleMappings)",
        }));
        Assert.That(plan.Json.GetProperty("Problems").GetArrayLength(), Is.Zero, plan.Body);

        // Applying the document undoes the drift.
        Assert.That((await ApplyAsync(_server, exported)).Json.GetProperty("Outcome").GetString(), Is.EqualTo("Applied"));
        Assert.That(await ExportAsync(_server), Is.EqualTo(exported));
    }

    [Test]
    public async Task A_rule_with_a_type_error_is_reported_by_plan_and_refused_by_apply_with_nothing_changed()
    {
        var poolId = await ConfigureAsync(_server);
        var exported = await ExportAsync(_server);
        var document = ConfigurationYaml.Read(exported).Value;
        document.Roles!.Single(r => r.RoleName == "ConfigAuth").Description = "a valid change in the same document";
        document.IdentityPools!.Single().ExpressionRules![0].Condition = "provider + 1 == 2";
        var proposed = ConfigurationYaml.Write(document);

        var plan = await PlanAsync(_server, proposed);
        var problem = plan.Json.GetProperty("Problems").EnumerateArray().Single();
        Assert.That(problem.GetProperty("Name").GetString(), Is.EqualTo(poolId));
        Assert.That(problem.GetProperty("Code").GetString(), Is.EqualTo("InvalidParameterException"));
        Assert.That(problem.GetProperty("Message").GetString(), Does.StartWith("Expression rule 1, Condition, line 1, column 10: no overload of '+' for string and int"));

        var apply = await ApplyAsync(_server, proposed);
        Assert.That(apply.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(apply.Json.GetProperty("__type").GetString(), Is.EqualTo("ConfigurationRefusedException"));
        Assert.That(await ExportAsync(_server), Is.EqualTo(exported));
    }

    [Test]
    public async Task A_role_whose_trust_policy_is_malformed_is_reported_with_IAMs_error_and_nothing_is_created()
    {
        await ConfigureAsync(_server);
        var exported = await ExportAsync(_server);
        var document = ConfigurationYaml.Read(exported).Value;
        document.Roles!.Add(new RoleDocument { RoleName = "Broken", AssumeRolePolicyDocument = "{not json" });
        document.IdentityPools!.Single().Roles!["unauthenticated"] = "Broken";

        var plan = await PlanAsync(_server, ConfigurationYaml.Write(document));
        var problems = plan.Json.GetProperty("Problems").EnumerateArray().Select(p => $"{p.GetProperty("Name").GetString()} {p.GetProperty("Code").GetString()}").ToList();
        Assert.That(problems, Does.Contain("Broken MalformedPolicyDocument"));
        Assert.That(Changes(plan.Json), Does.Contain("Create Role Broken"));
        Assert.That((await ApplyAsync(_server, ConfigurationYaml.Write(document))).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await ExportAsync(_server), Is.EqualTo(exported));
    }

    [Test]
    public async Task A_role_named_in_a_pool_resolves_to_its_arn_and_an_unreadable_document_is_a_clear_error()
    {
        var poolId = await ConfigureAsync(_server);
        var document = ConfigurationYaml.Read(await ExportAsync(_server)).Value;
        document.IdentityPools!.Single().Roles!["authenticated"] = "ConfigAuth";
        var plan = await PlanAsync(_server, ConfigurationYaml.Write(document));
        Assert.That(Changes(plan.Json), Is.Empty, "the name resolves to the ARN the pool already has");

        var unreadable = await PlanAsync(_server, "Roles: [ {RoleName: x\n");
        Assert.That(unreadable.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(unreadable.Json.GetProperty("message").GetString(), Does.StartWith("The configuration document is not valid at line"));
        var unknown = await PlanAsync(_server, "Version: 1\nRolez: []\n");
        Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(poolId, Is.Not.Empty);
    }

    [Test]
    public async Task The_configuration_endpoints_refuse_an_unsigned_caller()
    {
        using var response = await _server.Http.GetAsync(new Uri("/admin/api/config", UriKind.Relative));
        Assert.That((int)response.StatusCode, Is.InRange(400, 403));
    }

    private async Task<BrokerServer> StartAsync()
    {
        var settings = NewStoreSettings();
        settings["Broker:SeedDemoPool"] = "false";
        return await BrokerServer.StartAsync(settings);
    }

    /// <summary>Through the normal APIs: an OIDC provider, a pool naming it, a role trusting the pool with an inline policy, the pool's roles with a Rules mapping, principal tags and an expression rule.</summary>
    private static async Task<string> ConfigureAsync(BrokerServer server)
    {
        using var provider = await server.SignedQueryAsync("iam",
            $"Action=CreateOpenIDConnectProvider&Version=2010-05-08&Url={Uri.EscapeDataString("https://" + Provider)}&ClientIDList.member.1=app");
        Assert.That(provider.StatusCode, Is.EqualTo(HttpStatusCode.OK), await provider.Content.ReadAsStringAsync());
        using var created = await server.SignedCognitoAsync("CreateIdentityPool",
            $$$"""{"IdentityPoolName":"Configured","AllowUnauthenticatedIdentities":false,"OpenIdConnectProviderARNs":["arn:aws:iam::000000000000:oidc-provider/{{{Provider}}}"],"IdentityPoolTags":{"team":"blue"}}""");
        var poolId = (await AwsErrorAssert.IsSuccessAsync(created)).GetProperty("IdentityPoolId").GetString()!;
        var trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":["sts:AssumeRoleWithWebIdentity","sts:TagSession"],"Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"POOL"},"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}]}""".Replace("POOL", poolId, StringComparison.Ordinal);
        foreach (var name in new[] { "ConfigAuth", "ConfigAdmin" })
        {
            using var role = await server.SignedQueryAsync("iam",
                $"Action=CreateRole&Version=2010-05-08&RoleName={name}&Description=for%20config&AssumeRolePolicyDocument={Uri.EscapeDataString(trust)}");
            Assert.That(role.StatusCode, Is.EqualTo(HttpStatusCode.OK), await role.Content.ReadAsStringAsync());
        }

        var policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
        using var inline = await server.SignedQueryAsync("iam",
            $"Action=PutRolePolicy&Version=2010-05-08&RoleName=ConfigAuth&PolicyName=read&PolicyDocument={Uri.EscapeDataString(policy)}");
        Assert.That(inline.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var roles = await server.SignedCognitoAsync("SetIdentityPoolRoles", """
            {"IdentityPoolId":"POOL","Roles":{"authenticated":"arn:aws:iam::000000000000:role/ConfigAuth"},
             "RoleMappings":{"PROVIDER":{"Type":"Rules","AmbiguousRoleResolution":"AuthenticatedRole",
               "RulesConfiguration":{"Rules":[{"Claim":"team","MatchType":"Equals","Value":"admins","RoleARN":"arn:aws:iam::000000000000:role/ConfigAdmin"}]}}}}
            """.Replace("POOL", poolId, StringComparison.Ordinal).Replace("PROVIDER", Provider, StringComparison.Ordinal));
        await AwsErrorAssert.IsSuccessAsync(roles);
        using var tags = await server.SignedCognitoAsync("SetPrincipalTagAttributeMap",
            $$$"""{"IdentityPoolId":"{{{poolId}}}","IdentityProviderName":"{{{Provider}}}","UseDefaults":false,"PrincipalTags":{"unit":"unit"}}""");
        await AwsErrorAssert.IsSuccessAsync(tags);
        // The class behind PUT /admin/api/pools/{id}/rules (its HTTP edge has its own tests).
        var rules = await server.Services.GetRequiredService<IdentityBroker.Mapping.Expressions.ExpressionRuleOperations>().SetAsync(poolId,
            [new IdentityBroker.Pools.ExpressionRule
            {
                Condition = "\"admins\" in claims.groups",
                Role = "arn:aws:iam::000000000000:role/ConfigAdmin",
                Tags = new Dictionary<string, string> { ["unit"] = "claims.unit" },
                DurationSeconds = 900,
            }], CancellationToken.None);
        Assert.That(rules.IsSuccess, Is.True, rules.Error?.Message);
        return poolId;
    }

    private static async Task<string> ExportAsync(BrokerServer server)
    {
        using var response = await AdminAsync(server, HttpMethod.Get, "/admin/api/config", string.Empty);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return body;
    }

    private static Task<Report> PlanAsync(BrokerServer server, string document) => ReportAsync(server, "/admin/api/config/plan", document);

    private static Task<Report> ApplyAsync(BrokerServer server, string document) => ReportAsync(server, "/admin/api/config/apply", document);

    private static async Task<Report> ReportAsync(BrokerServer server, string path, string document)
    {
        using var response = await AdminAsync(server, HttpMethod.Post, path, document);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        return new Report(response.StatusCode, body, json.RootElement.Clone());
    }

    private static Task<HttpResponseMessage> AdminAsync(BrokerServer server, HttpMethod method, string path, string body)
    {
        var message = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/yaml") };
        return server.Http.SendAsync(server.Sign(message, "execute-api", body, new SigningKey(BrokerServer.AccessKeyId, BrokerServer.Secret, null)));
    }

    private static List<string> Changes(JsonElement report) =>
        [.. report.GetProperty("Changes").EnumerateArray().Select(c =>
        {
            var members = c.GetProperty("Members").EnumerateArray().Select(m => m.GetString()).ToList();
            return $"{c.GetProperty("Action").GetString()} {c.GetProperty("Kind").GetString()} {c.GetProperty("Name").GetString()}"
                + (members.Count > 0 ? $" ({string.Join(", ", members)})" : string.Empty);
        })];

    private sealed record Report(HttpStatusCode Status, string Body, JsonElement Json);
}

[TestFixture]
public sealed class SqliteConfigurationAsCodeTests : ConfigurationAsCodeTests
{
    protected override IDictionary<string, string?> NewStoreSettings() => new Dictionary<string, string?>();
}

[TestFixture]
[NonParallelizable]
public sealed class RedisConfigurationAsCodeTests : ConfigurationAsCodeTests
{
    private RedisTestServer _redis = null!;

    [OneTimeSetUp]
    public async Task StartRedis() => _redis = await RedisTestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopRedis() => await _redis.DisposeAsync();

    protected override IDictionary<string, string?> NewStoreSettings() => new Dictionary<string, string?>
    {
        ["Broker:Store"] = "redis",
        ["Broker:Redis:Configuration"] = _redis.Configuration,
        ["Broker:Redis:KeyPrefix"] = $"ibcac-{Guid.NewGuid():N}",
    };
}
