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
    public async Task User_pools_with_clients_and_groups_export_apply_export_byte_for_byte_without_secrets_or_users()
    {
        await ConfigureAsync(_server);
        var (poolId, clientId) = await ConfigureUserPoolAsync(_server);
        var secret = (await DescribeClientAsync(_server, poolId, clientId)).GetProperty("ClientSecret").GetString()!;
        var exported = await ExportAsync(_server);
        Assert.That(exported, Does.Contain($"Id: {poolId}").And.Contain($"ClientId: {clientId}").And.Contain("GenerateSecret: true")
            .And.Contain("MinimumLength: 10").And.Contain("Name: tier").And.Contain("Identifier: https://api.example.com").And.Contain("RoleArn: arn:aws:iam::000000000000:role/ConfigAdmin"));
        Assert.That(exported, Does.Not.Contain(secret).And.Not.Contain("someone@example.com"), "no secret, no user");

        await using var other = await StartAsync();
        var applied = await ApplyAsync(other, exported);
        Assert.That(applied.Json.GetProperty("Outcome").GetString(), Is.EqualTo("Applied"), applied.Body);
        Assert.That(await ExportAsync(other), Is.EqualTo(exported));
        Assert.That((await ApplyAsync(other, exported)).Json.GetProperty("Outcome").GetString(), Is.EqualTo("NoChanges"));
        var newSecret = (await DescribeClientAsync(other, poolId, clientId)).GetProperty("ClientSecret").GetString();
        Assert.That(newSecret, Is.Not.Null.And.Not.EqualTo(secret), "a client created by apply gets a secret of its own");
    }

    [Test]
    public async Task Plan_after_an_out_of_band_UpdateUserPoolClient_shows_exactly_that_change_and_apply_keeps_secret_and_users()
    {
        await ConfigureAsync(_server);
        var (poolId, clientId) = await ConfigureUserPoolAsync(_server);
        var secret = (await DescribeClientAsync(_server, poolId, clientId)).GetProperty("ClientSecret").GetString();
        var exported = await ExportAsync(_server);

        using (var update = await _server.SignedUserPoolsAsync("UpdateUserPoolClient", $$$"""
            {"UserPoolId":"{{{poolId}}}","ClientId":"{{{clientId}}}","ClientName":"web","CallbackURLs":["https://changed.example.com/cb"],
             "AllowedOAuthFlows":["code"],"AllowedOAuthScopes":["openid"],"AllowedOAuthFlowsUserPoolClient":true,"SupportedIdentityProviders":["COGNITO"]}
            """))
        {
            await AwsErrorAssert.IsSuccessAsync(update);
        }

        var plan = await PlanAsync(_server, exported);
        Assert.That(Changes(plan.Json), Is.EqualTo(new[] { $"Update UserPoolClient {poolId}/{clientId} (Settings)" }), plan.Body);
        Assert.That(plan.Json.GetProperty("Problems").GetArrayLength(), Is.Zero, plan.Body);

        Assert.That((await ApplyAsync(_server, exported)).Json.GetProperty("Outcome").GetString(), Is.EqualTo("Applied"));
        Assert.That(await ExportAsync(_server), Is.EqualTo(exported));
        Assert.That((await DescribeClientAsync(_server, poolId, clientId)).GetProperty("ClientSecret").GetString(), Is.EqualTo(secret));
        using var user = await _server.SignedUserPoolsAsync("AdminGetUser", $$$"""{"UserPoolId":"{{{poolId}}}","Username":"someone@example.com"}""");
        await AwsErrorAssert.IsSuccessAsync(user);
    }

    [Test]
    public async Task User_pool_settings_the_handlers_refuse_are_reported_by_plan_and_refused_by_apply_with_nothing_changed()
    {
        await ConfigureAsync(_server);
        var (poolId, clientId) = await ConfigureUserPoolAsync(_server);
        var exported = await ExportAsync(_server);
        var document = ConfigurationYaml.Read(exported).Value;
        var pool = document.UserPools!.Single();
        pool.Settings!["Policies"]!["PasswordPolicy"]!["MinimumLength"] = 3;
        pool.Settings["UsernameAttributes"] = new System.Text.Json.Nodes.JsonArray("phone_number");
        pool.Clients!.Single(c => c.ClientId == clientId).GenerateSecret = false;
        pool.Groups!.Add(new UserPoolGroupDocument { GroupName = "Readers", RoleArn = "ConfigAuth", Precedence = -1 });
        // Valid changes in the same document, made in the plan's sandbox only: nothing of them reaches the store.
        pool.Groups.Add(new UserPoolGroupDocument { GroupName = "Valid", Precedence = 2 });
        pool.ResourceServers!.Add(new ResourceServerDocument { Identifier = "https://other.example.com", Name = "other" });
        var proposed = ConfigurationYaml.Write(document);

        var plan = await PlanAsync(_server, proposed);
        var problems = plan.Json.GetProperty("Problems").EnumerateArray()
            .Select(p => $"{p.GetProperty("Kind").GetString()} {p.GetProperty("Name").GetString()}: {p.GetProperty("Code").GetString()}").ToList();
        Assert.That(problems, Is.EquivalentTo(new[]
        {
            $"UserPool {poolId}: InvalidParameterException",
            $"UserPool {poolId}: ValidationException",
            $"UserPoolClient {poolId}/{clientId}: InvalidParameterException",
            $"UserPoolGroup {poolId}/Readers: ValidationException",
        }), plan.Body);
        // The handlers' own messages: the model's constraint on UpdateUserPool and CreateGroup, and the fixed setting.
        var messages = string.Join("\n", plan.Json.GetProperty("Problems").EnumerateArray().Select(p => p.GetProperty("Message").GetString()));
        Assert.That(messages, Does.Contain("UsernameAttributes after it is created")
            .And.Contain("'policies.passwordPolicy.minimumLength' failed to satisfy constraint")
            .And.Contain("'precedence' failed to satisfy constraint"));
        Assert.That((await ApplyAsync(_server, proposed)).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await ExportAsync(_server), Is.EqualTo(exported));
    }

    [Test]
    public async Task A_document_without_UserPools_leaves_them_alone_and_an_empty_list_deletes_them()
    {
        await ConfigureAsync(_server);
        var (poolId, _) = await ConfigureUserPoolAsync(_server);
        var document = ConfigurationYaml.Read(await ExportAsync(_server)).Value;
        document.UserPools = null;
        var untouched = await PlanAsync(_server, ConfigurationYaml.Write(document));
        Assert.That(Changes(untouched.Json), Is.Empty, untouched.Body);

        document.UserPools = [];
        var deleted = await ApplyAsync(_server, ConfigurationYaml.Write(document));
        Assert.That(deleted.Json.GetProperty("Outcome").GetString(), Is.EqualTo("Applied"), deleted.Body);
        Assert.That(Changes(deleted.Json), Is.EqualTo(new[] { $"Delete UserPool {poolId}" }));
        using var gone = await _server.SignedUserPoolsAsync("DescribeUserPool", $$$"""{"UserPoolId":"{{{poolId}}}"}""");
        Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Replay_with_a_proposed_configuration_reports_exactly_the_decisions_it_changes()
    {
        var poolId = await ConfigureAsync(_server);
        var exported = await ExportAsync(_server);
        var at = DateTimeOffset.UtcNow.AddMinutes(-30);
        var alice = await RecordAsync(poolId, at, """{"sub":"alice","groups":["admins"],"unit":"blue"}""", "ConfigAdmin");
        var bob = await RecordAsync(poolId, at.AddMinutes(1), """{"sub":"bob","groups":["ops"],"unit":"red"}""", "ConfigAuth");
        var carol = await RecordAsync(poolId, at.AddMinutes(2), """{"sub":"carol","team":"admins","groups":["dev"],"unit":"green"}""", "ConfigAdmin");
        await RecordAsync(poolId, at.AddMinutes(3), """{"sub":"dave","groups":["dev"],"unit":"x"}""", "ConfigAuth");

        // The document as exported decides as recorded: nothing changes.
        var same = await ReplayAsync(poolId, exported, at);
        Assert.That(same.Status, Is.EqualTo(HttpStatusCode.OK), same.Body);
        Assert.That(same.Json.GetProperty("Replayed").GetInt32(), Is.EqualTo(4));
        Assert.That(same.Json.GetProperty("Changed").GetArrayLength(), Is.Zero, same.Body);

        // The proposal: the expression rule asks for "ops" instead of "admins", and the Rules mapping (team == admins) goes.
        var document = ConfigurationYaml.Read(exported).Value;
        var pool = document.IdentityPools!.Single();
        pool.ExpressionRules![0].Condition = "\"ops\" in claims.groups";
        pool.RoleMappings = null;
        var replay = await ReplayAsync(poolId, ConfigurationYaml.Write(document), at);

        // By hand: alice loses the admin role (no "ops"), bob gains it, carol loses it (no mapping), dave keeps the default;
        // every session tag is the unit claim either way (principal tag or the rule's tag), so only roles change.
        Assert.That(replay.Status, Is.EqualTo(HttpStatusCode.OK), replay.Body);
        var changed = replay.Json.GetProperty("Changed").EnumerateArray().ToDictionary(
            c => c.GetProperty("EventId").GetString()!,
            c => $"{string.Join(",", c.GetProperty("Changes").EnumerateArray().Select(x => x.GetString()))} {c.GetProperty("Proposed").GetProperty("RoleArn").GetString()}");
        Assert.That(changed, Is.EquivalentTo(new Dictionary<string, string>
        {
            [alice] = $"role {Arn("ConfigAuth")}",
            [bob] = $"role {Arn("ConfigAdmin")}",
            [carol] = $"role {Arn("ConfigAuth")}",
        }));
        Assert.That(await ExportAsync(_server), Is.EqualTo(exported), "a replay changes nothing");
    }

    [Test]
    public async Task Replay_refuses_a_configuration_its_checks_refuse_or_that_lacks_the_pool()
    {
        var poolId = await ConfigureAsync(_server);
        var document = ConfigurationYaml.Read(await ExportAsync(_server)).Value;
        document.IdentityPools!.Single().ExpressionRules![0].Condition = "provider + 1 == 2";
        var refused = await ReplayAsync(poolId, ConfigurationYaml.Write(document), DateTimeOffset.UtcNow.AddHours(-1));
        Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(refused.Json.GetProperty("__type").GetString(), Is.EqualTo("InvalidParameterException"));
        Assert.That(refused.Json.GetProperty("message").GetString(), Does.Contain("Expression rule 1, Condition, line 1, column 10"));

        var missing = await ReplayAsync(poolId, "Version: 1\n", DateTimeOffset.UtcNow.AddHours(-1));
        Assert.That(missing.Json.GetProperty("message").GetString(), Is.EqualTo($"The configuration has no identity pool {poolId}."));
        using var both = await AdminAsync(_server, HttpMethod.Post, "/admin/api/replay",
            $$$"""{"IdentityPoolId":"{{{poolId}}}","Configuration":"Version: 1","ExpressionRules":[]}""", "application/json");
        Assert.That(both.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task The_simulator_reads_a_pasted_claim_array_as_an_array_as_a_validated_token_does()
    {
        var poolId = await ConfigureAsync(_server);
        // A one-element array: flattened to strings it would be the string "admins", and `"admins" in claims.groups` would fail.
        using var response = await AdminAsync(_server, HttpMethod.Post, "/admin/api/simulate",
            $$"""{"IdentityPoolId":"{{poolId}}","Claims":{"{{Provider}}":""" + """{"sub":"s-1","groups":["admins"],"unit":"blue","org":{"level":3}}}}""", "application/json");
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        using var json = JsonDocument.Parse(body);
        var decision = json.RootElement.GetProperty("Decision").GetProperty("role");
        Assert.That(json.RootElement.GetProperty("Role").GetProperty("RoleArn").GetString(), Is.EqualTo(Arn("ConfigAdmin")), body);
        Assert.That(decision.GetProperty("expressionRule").GetProperty("index").GetInt32(), Is.Zero, body);
        Assert.That(json.RootElement.GetProperty("SessionTags").GetProperty("unit").GetString(), Is.EqualTo("blue"));
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

    /// <summary>Through the normal API: a user pool with settings, a custom attribute and tags, an app client with a secret and one without, a group naming a role, and a user (state, never exported).</summary>
    private static async Task<(string PoolId, string ClientId)> ConfigureUserPoolAsync(BrokerServer server)
    {
        using var created = await server.SignedUserPoolsAsync("CreateUserPool", """
            {"PoolName":"Configured users","Policies":{"PasswordPolicy":{"MinimumLength":10,"RequireNumbers":true,"RequireSymbols":false,"RequireUppercase":true,"RequireLowercase":true}},
             "UsernameAttributes":["email"],"AutoVerifiedAttributes":["email"],"MfaConfiguration":"OFF","DeletionProtection":"INACTIVE",
             "Schema":[{"Name":"tier","AttributeDataType":"String","Mutable":true},{"Name":"email","AttributeDataType":"String","Required":true,"Mutable":true}],
             "UserPoolTags":{"team":"blue"},"AdminCreateUserConfig":{"AllowAdminCreateUserOnly":true}}
            """);
        var poolId = (await AwsErrorAssert.IsSuccessAsync(created)).GetProperty("UserPool").GetProperty("Id").GetString()!;
        using (var api = await server.SignedUserPoolsAsync("CreateResourceServer", $$$"""
            {"UserPoolId":"{{{poolId}}}","Identifier":"https://api.example.com","Name":"api","Scopes":[{"ScopeName":"read","ScopeDescription":"read it"}]}
            """))
        {
            await AwsErrorAssert.IsSuccessAsync(api);
        }

        using var web = await server.SignedUserPoolsAsync("CreateUserPoolClient", $$$"""
            {"UserPoolId":"{{{poolId}}}","ClientName":"web","GenerateSecret":true,"ExplicitAuthFlows":["ALLOW_USER_SRP_AUTH","ALLOW_REFRESH_TOKEN_AUTH"],
             "CallbackURLs":["https://app.example.com/cb"],"AllowedOAuthFlows":["code"],"AllowedOAuthScopes":["openid","email","https://api.example.com/read"],
             "AllowedOAuthFlowsUserPoolClient":true,"SupportedIdentityProviders":["COGNITO"]}
            """);
        var clientId = (await AwsErrorAssert.IsSuccessAsync(web)).GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!;
        using (var mobile = await server.SignedUserPoolsAsync("CreateUserPoolClient", $$$"""{"UserPoolId":"{{{poolId}}}","ClientName":"mobile","RefreshTokenValidity":7}"""))
        {
            await AwsErrorAssert.IsSuccessAsync(mobile);
        }

        using (var group = await server.SignedUserPoolsAsync("CreateGroup", $$$"""
            {"UserPoolId":"{{{poolId}}}","GroupName":"Admins","Description":"the admins","RoleArn":"arn:aws:iam::000000000000:role/ConfigAdmin","Precedence":1}
            """))
        {
            await AwsErrorAssert.IsSuccessAsync(group);
        }

        using (var user = await server.SignedUserPoolsAsync("AdminCreateUser", $$$"""{"UserPoolId":"{{{poolId}}}","Username":"someone@example.com","MessageAction":"SUPPRESS"}"""))
        {
            await AwsErrorAssert.IsSuccessAsync(user);
        }

        return (poolId, clientId);
    }

    private static async Task<JsonElement> DescribeClientAsync(BrokerServer server, string poolId, string clientId)
    {
        using var response = await server.SignedUserPoolsAsync("DescribeUserPoolClient", $$$"""{"UserPoolId":"{{{poolId}}}","ClientId":"{{{clientId}}}"}""");
        return (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("UserPoolClient").Clone();
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

    private static string Arn(string role) => $"arn:aws:iam::000000000000:role/{role}";

    /// <summary>POST /admin/api/replay with a proposed configuration, for the hour from <paramref name="from"/>.</summary>
    private async Task<Report> ReplayAsync(string poolId, string configuration, DateTimeOffset from)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["IdentityPoolId"] = poolId,
            ["Configuration"] = configuration,
            ["StartTime"] = from.ToUnixTimeSeconds(),
            ["EndTime"] = from.AddHours(1).ToUnixTimeSeconds(),
        });
        using var response = await AdminAsync(_server, HttpMethod.Post, "/admin/api/replay", body, "application/json");
        var text = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(text);
        return new Report(response.StatusCode, text, json.RootElement.Clone());
    }

    /// <summary>A GetCredentialsForIdentity decision of <paramref name="poolId"/> in the audit trail, as the broker records it, with <paramref name="role"/> and the unit claim as its session tag.</summary>
    private async Task<string> RecordAsync(string poolId, DateTimeOffset at, string claims, string role)
    {
        var pool = (await _server.Services.GetRequiredService<IdentityBroker.Storage.IPoolStore>().GetPoolAsync(poolId, CancellationToken.None))!;
        var json = Encoding.UTF8.GetBytes(claims);
        var login = new IdentityBroker.Mapping.MappingLogin(Provider, new Dictionary<string, IReadOnlyList<string>>()) { Payload = json };
        var identityId = $"us-east-1:{Guid.NewGuid()}";
        var inputs = new IdentityBroker.Mapping.DecisionInputs(
            [new IdentityBroker.Mapping.Expressions.ExpressionLogin(Provider, json)], identityId, at, [Provider], new IdentityBroker.Mapping.Expressions.ExpressionRequest("203.0.113.9", "test"), null);
        var decided = IdentityBroker.Mapping.Expressions.ExpressionRoles.Resolve(pool, true, [login], null, IdentityBroker.Mapping.Expressions.ExpressionOutcome.NoMatch) with { RoleArn = Arn(role) };
        using var parsed = JsonDocument.Parse(json);
        var tags = new Dictionary<string, string> { ["unit"] = parsed.RootElement.GetProperty("unit").GetString()! };
        var decision = IdentityBroker.Mapping.CredentialDecision.Allowed([new IdentityBroker.Mapping.DecidedLogin(Provider, "s")], decided, tags) with { Inputs = inputs };
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartObject("additionalEventData");
            w.WriteString("identityPoolId", poolId);
            IdentityBroker.Mapping.DecisionJson.Write(w, "decision", decision);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        var record = new IdentityBroker.Audit.AuditRecord(Guid.NewGuid().ToString("D"), at, "GetCredentialsForIdentity", "cognito-identity.amazonaws.com", false, null, null, [],
            Encoding.UTF8.GetString(stream.ToArray()));
        await _server.Services.GetRequiredService<IdentityBroker.Audit.IAuditStore>().AppendAuditAsync([record], CancellationToken.None);
        return record.EventId;
    }

    private static Task<HttpResponseMessage> AdminAsync(BrokerServer server, HttpMethod method, string path, string body, string contentType = "application/yaml")
    {
        var message = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
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
