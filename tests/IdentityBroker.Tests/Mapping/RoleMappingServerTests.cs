using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using IdentityBroker.Server.Admin;
using IdentityBroker.Tests.Integration;

namespace IdentityBroker.Tests.Mapping;

/// <summary>
/// Through the real server: the operator checks of SetIdentityPoolRoles and SetPrincipalTagAttributeMap, the principal-tag
/// operations, and the rule simulator over HTTP and from the command line.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RoleMappingServerTests
{
    private const string Account = "000000000000";
    private const string Google = "accounts.google.com";
    private BrokerServer _server = null!;
    private string _poolId = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await BrokerServer.StartAsync();
        using var created = await _server.SignedCognitoAsync("CreateIdentityPool",
            $"{{\"IdentityPoolName\":\"Mapping\",\"AllowUnauthenticatedIdentities\":true,\"SupportedLoginProviders\":{{\"{Google}\":\"client-1\"}}}}");
        _poolId = (await AwsErrorAssert.IsSuccessAsync(created)).GetProperty("IdentityPoolId").GetString()!;
        await CreateRoleAsync("MapAuth", Trust(_poolId, tagSession: true));
        await CreateRoleAsync("MapGuest", Trust(_poolId, tagSession: false));
        await CreateRoleAsync("MapEditor", Trust(_poolId, tagSession: true));
        await CreateRoleAsync("MapNoTags", Trust(_poolId, tagSession: false));
        await CreateRoleAsync("OtherPool", Trust("us-east-1:00000000-0000-0000-0000-000000000000", tagSession: true));
        await PutPolicyAsync("MapEditor", """{"Version":"2012-10-17","Statement":[{"Sid":"OwnPrefix","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::docs/${cognito-identity.amazonaws.com:sub}/*"},{"Sid":"NoDelete","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}""");
        await PutPolicyAsync("MapGuest", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","iam:ListUsers"],"Resource":"*"}]}""");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private static string Role(string name) => $"arn:aws:iam::{Account}:role/{name}";

    private static string Trust(string poolId, bool tagSession) => $$$$"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},
        "Action":[{{{{(tagSession ? "\"sts:AssumeRoleWithWebIdentity\",\"sts:TagSession\"" : "\"sts:AssumeRoleWithWebIdentity\"")}}}}],
        "Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"{{{{poolId}}}}"}}}]}
        """;

    private async Task CreateRoleAsync(string name, string trust)
    {
        using var response = await _server.SignedQueryAsync("iam",
            $"Action=CreateRole&Version=2010-05-08&RoleName={name}&AssumeRolePolicyDocument={Uri.EscapeDataString(trust)}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    private async Task PutPolicyAsync(string role, string policy)
    {
        using var response = await _server.SignedQueryAsync("iam",
            $"Action=PutRolePolicy&Version=2010-05-08&RoleName={role}&PolicyName=main&PolicyDocument={Uri.EscapeDataString(policy)}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> SetRolesAsync(string roles, string? mappings = null) =>
        _server.SignedCognitoAsync("SetIdentityPoolRoles",
            $"{{\"IdentityPoolId\":\"{_poolId}\",\"Roles\":{roles}{(mappings is null ? "" : $",\"RoleMappings\":{mappings}")}}}");

    private async Task SetGoodRolesAsync()
    {
        using var set = await SetRolesAsync($"{{\"authenticated\":\"{Role("MapAuth")}\",\"unauthenticated\":\"{Role("MapGuest")}\"}}",
            $"{{\"{Google}\":{{\"Type\":\"Rules\",\"AmbiguousRoleResolution\":\"AuthenticatedRole\",\"RulesConfiguration\":{{\"Rules\":[" +
            $"{{\"Claim\":\"hd\",\"MatchType\":\"Equals\",\"Value\":\"other.com\",\"RoleARN\":\"{Role("MapAuth")}\"}}," +
            $"{{\"Claim\":\"hd\",\"MatchType\":\"Equals\",\"Value\":\"example.com\",\"RoleARN\":\"{Role("MapEditor")}\"}}]}}}}}}");
        await AwsErrorAssert.IsSuccessAsync(set);
    }

    [Test, Order(1)]
    public async Task Unknown_role_is_refused_with_its_name()
    {
        using var response = await SetRolesAsync($"{{\"authenticated\":\"{Role("Missing")}\"}}");

        var message = await AwsErrorAssert.IsJsonErrorAsync(response, "InvalidParameterException");
        Assert.That(message, Does.Contain(Role("Missing")).And.Contain("does not exist"));
    }

    [Test, Order(2)]
    public async Task Role_trusting_another_pool_is_refused_with_the_failing_condition()
    {
        using var response = await SetRolesAsync($"{{\"unauthenticated\":\"{Role("OtherPool")}\"}}");

        var message = await AwsErrorAssert.IsJsonErrorAsync(response, "InvalidParameterException");
        Assert.That(message, Does.Contain(Role("OtherPool")).And.Contain("unauthenticated").And.Contain("sts:AssumeRoleWithWebIdentity").And.Contain(_poolId));
    }

    [Test, Order(3)]
    public async Task Rule_role_is_checked_too()
    {
        using var response = await SetRolesAsync($"{{\"authenticated\":\"{Role("MapAuth")}\"}}",
            $"{{\"{Google}\":{{\"Type\":\"Rules\",\"AmbiguousRoleResolution\":\"Deny\",\"RulesConfiguration\":{{\"Rules\":[{{\"Claim\":\"hd\",\"MatchType\":\"Equals\",\"Value\":\"x\",\"RoleARN\":\"{Role("OtherPool")}\"}}]}}}}}}");

        var message = await AwsErrorAssert.IsJsonErrorAsync(response, "InvalidParameterException");
        Assert.That(message, Does.Contain("rule 1 of the role mapping for accounts.google.com"));
    }

    [Test, Order(4)]
    public async Task Twenty_six_rules_are_refused()
    {
        var rules = string.Join(",", Enumerable.Repeat($"{{\"Claim\":\"hd\",\"MatchType\":\"Equals\",\"Value\":\"x\",\"RoleARN\":\"{Role("MapAuth")}\"}}", 26));
        using var response = await SetRolesAsync($"{{\"authenticated\":\"{Role("MapAuth")}\"}}",
            $"{{\"{Google}\":{{\"Type\":\"Rules\",\"AmbiguousRoleResolution\":\"Deny\",\"RulesConfiguration\":{{\"Rules\":[{rules}]}}}}}}");

        var message = await AwsErrorAssert.IsJsonErrorAsync(response, "InvalidParameterException");
        Assert.That(message, Does.Contain("25"));
    }

    [Test, Order(5)]
    public async Task Principal_tags_need_sts_TagSession_in_the_trust()
    {
        using (var set = await SetRolesAsync($"{{\"authenticated\":\"{Role("MapNoTags")}\"}}"))
        {
            await AwsErrorAssert.IsSuccessAsync(set);
        }

        using var response = await _server.SignedCognitoAsync("SetPrincipalTagAttributeMap",
            $"{{\"IdentityPoolId\":\"{_poolId}\",\"IdentityProviderName\":\"{Google}\",\"UseDefaults\":true}}");

        var message = await AwsErrorAssert.IsJsonErrorAsync(response, "InvalidParameterException");
        Assert.That(message, Does.Contain(Role("MapNoTags")).And.Contain("sts:TagSession"));
    }

    [Test, Order(6)]
    public async Task Set_and_get_principal_tag_maps()
    {
        await SetGoodRolesAsync();
        using (var defaults = await _server.SignedCognitoAsync("SetPrincipalTagAttributeMap",
            $"{{\"IdentityPoolId\":\"{_poolId}\",\"IdentityProviderName\":\"{Google}\",\"UseDefaults\":true}}"))
        {
            var body = await AwsErrorAssert.IsSuccessAsync(defaults);
            Assert.That(body.GetProperty("UseDefaults").GetBoolean(), Is.True);
            Assert.That(body.GetProperty("PrincipalTags").GetProperty("username").GetString(), Is.EqualTo("sub"));
        }

        using (var custom = await _server.SignedCognitoAsync("SetPrincipalTagAttributeMap",
            $"{{\"IdentityPoolId\":\"{_poolId}\",\"IdentityProviderName\":\"{Google}\",\"UseDefaults\":false,\"PrincipalTags\":{{\"domain\":\"hd\",\"username\":\"sub\"}}}}"))
        {
            await AwsErrorAssert.IsSuccessAsync(custom);
        }

        using var get = await _server.SignedCognitoAsync("GetPrincipalTagAttributeMap", $"{{\"IdentityPoolId\":\"{_poolId}\",\"IdentityProviderName\":\"{Google}\"}}");
        var got = await AwsErrorAssert.IsSuccessAsync(get);
        Assert.That(got.GetProperty("UseDefaults").GetBoolean(), Is.False);
        Assert.That(got.GetProperty("PrincipalTags").GetProperty("domain").GetString(), Is.EqualTo("hd"));
    }

    [Test, Order(7)]
    public async Task Principal_tag_map_for_an_unconfigured_provider_is_refused()
    {
        using var response = await _server.SignedCognitoAsync("SetPrincipalTagAttributeMap",
            $"{{\"IdentityPoolId\":\"{_poolId}\",\"IdentityProviderName\":\"graph.facebook.com\",\"UseDefaults\":true}}");

        await AwsErrorAssert.IsJsonErrorAsync(response, "InvalidParameterException");
    }

    [Test, Order(8)]
    public async Task Simulator_over_http_explains_role_tags_policy_and_decisions()
    {
        await SetGoodRolesAsync();
        await SetCustomTagsAsync();
        var request = $$$$"""
            {"IdentityPoolId":"{{{{_poolId}}}}","IdentityId":"us-east-1:12345678-0000-0000-0000-000000000000",
             "Claims":{"{{{{Google}}}}":{"sub":"g-1","aud":"client-1","hd":"example.com"}},
             "Actions":[{"Action":"s3:GetObject","Resource":"arn:aws:s3:::docs/us-east-1:12345678-0000-0000-0000-000000000000/a.txt"},
                        {"Action":"s3:GetObject","Resource":"arn:aws:s3:::docs/us-east-1:99999999-0000-0000-0000-000000000000/a.txt"},
                        {"Action":"s3:DeleteObject","Resource":"arn:aws:s3:::docs/us-east-1:12345678-0000-0000-0000-000000000000/a.txt"}]}
            """;

        using var response = await PostAdminAsync("/admin/api/simulate", request, sign: true);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var role = root.GetProperty("Role");
        Assert.Multiple(() =>
        {
            Assert.That(role.GetProperty("RoleArn").GetString(), Is.EqualTo(Role("MapEditor")));
            Assert.That(role.GetProperty("RuleNumber").GetInt32(), Is.EqualTo(2));
            Assert.That(role.GetProperty("MappingKey").GetString(), Is.EqualTo(Google));
            Assert.That(root.GetProperty("SessionTags").GetProperty("domain").GetString(), Is.EqualTo("example.com"));
            Assert.That(root.TryGetProperty("TrustProblem", out _), Is.False);
            Assert.That(root.GetProperty("EffectivePolicies")[0].GetProperty("Document").GetRawText(), Does.Contain("docs/us-east-1:12345678-0000-0000-0000-000000000000/*"));
            var decisions = root.GetProperty("Decisions");
            Assert.That(decisions[0].GetProperty("Decision").GetString(), Is.EqualTo("Allow"));
            Assert.That(decisions[0].GetProperty("DecidedBy").GetString(), Does.Contain("OwnPrefix"));
            Assert.That(decisions[1].GetProperty("Decision").GetString(), Is.EqualTo("ImplicitDeny"));
            Assert.That(decisions[2].GetProperty("Decision").GetString(), Is.EqualTo("ExplicitDeny"));
            Assert.That(decisions[2].GetProperty("DecidedBy").GetString(), Does.Contain("NoDelete"));
        });
    }

    [Test, Order(9)]
    public async Task Simulator_for_a_guest_applies_the_scope_down()
    {
        await SetGoodRolesAsync();
        var request = $$"""{"IdentityPoolId":"{{_poolId}}","Actions":[{"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/k"},{"Action":"iam:ListUsers","Resource":"*"}]}""";

        using var response = await PostAdminAsync("/admin/api/simulate", request, sign: true);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var decisions = json.RootElement.GetProperty("Decisions");

        Assert.That(json.RootElement.GetProperty("Role").GetProperty("RoleArn").GetString(), Is.EqualTo(Role("MapGuest")));
        Assert.That(decisions[0].GetProperty("Decision").GetString(), Is.EqualTo("Allow"));
        Assert.That(decisions[1].GetProperty("Decision").GetString(), Is.EqualTo("ImplicitDeny"));
        Assert.That(decisions[1].GetProperty("Explanation").GetString(), Does.Contain("session policy"));
    }

    [Test, Order(10)]
    public async Task Simulator_reports_a_deny_resolution()
    {
        using (var set = await SetRolesAsync($"{{\"authenticated\":\"{Role("MapAuth")}\"}}",
            $"{{\"{Google}\":{{\"Type\":\"Rules\",\"AmbiguousRoleResolution\":\"Deny\",\"RulesConfiguration\":{{\"Rules\":[{{\"Claim\":\"hd\",\"MatchType\":\"Equals\",\"Value\":\"x\",\"RoleARN\":\"{Role("MapEditor")}\"}}]}}}}}}"))
        {
            await AwsErrorAssert.IsSuccessAsync(set);
        }

        using var response = await PostAdminAsync("/admin/api/simulate", $$$$"""{"IdentityPoolId":"{{{{_poolId}}}}","Claims":{"{{{{Google}}}}":{"sub":"g-1","hd":"y"}}}""", sign: true);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var role = json.RootElement.GetProperty("Role");

        Assert.That(role.GetProperty("Source").GetString(), Is.EqualTo("AmbiguousDenied"));
        Assert.That(role.GetProperty("Error").GetProperty("message").GetString(), Is.EqualTo($"The ambiguous role mapping rules for: {Google} denied this request."));
    }

    [Test, Order(11)]
    public async Task Simulator_needs_the_admin_signature()
    {
        using var response = await PostAdminAsync("/admin/api/simulate", $$"""{"IdentityPoolId":"{{_poolId}}"}""", sign: false);

        Assert.That((int)response.StatusCode, Is.InRange(400, 403));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("__type"));
    }

    [Test, Order(12)]
    public async Task Simulator_validates_logins_for_real()
    {
        using var response = await PostAdminAsync("/admin/api/simulate", $$$$"""{"IdentityPoolId":"{{{{_poolId}}}}","Logins":{"{{{{Google}}}}":"not-a-jwt"}}""", sign: true);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("NotAuthorizedException"));
    }

    [Test, Order(13)]
    public async Task Simulate_command_runs_the_same_code_without_the_server()
    {
        await SetGoodRolesAsync();
        var claims = Path.Combine(_server.DataDirectory, "claims.json");
        await File.WriteAllTextAsync(claims, $$$$"""{"{{{{Google}}}}":{"sub":"g-1","hd":"example.com"}}""");
        using var output = new StringWriter();

        var exit = await SimulateCommand.RunAsync(
            ["--pool", _poolId, "--claims", claims, "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::docs/x",
             "--Broker:DataDirectory", _server.DataDirectory, "--Broker:SeedDemoPool", "false", "--Logging:LogLevel:Default", "Warning"],
            output);

        Assert.That(exit, Is.EqualTo(0), output.ToString());
        using var json = JsonDocument.Parse(output.ToString());
        Assert.That(json.RootElement.GetProperty("Role").GetProperty("RoleArn").GetString(), Is.EqualTo(Role("MapEditor")));
        Assert.That(json.RootElement.GetProperty("Decisions")[0].GetProperty("Decision").GetString(), Is.EqualTo("ExplicitDeny"));
    }

    [Test, Order(14)]
    public async Task Simulate_command_usage_errors_exit_2()
    {
        using var output = new StringWriter();

        var exit = await SimulateCommand.RunAsync(["--claims", "x.json"], output);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output.ToString(), Does.Contain("--pool is required"));
    }

    private async Task SetCustomTagsAsync()
    {
        using var custom = await _server.SignedCognitoAsync("SetPrincipalTagAttributeMap",
            $"{{\"IdentityPoolId\":\"{_poolId}\",\"IdentityProviderName\":\"{Google}\",\"PrincipalTags\":{{\"domain\":\"hd\"}}}}");
        await AwsErrorAssert.IsSuccessAsync(custom);
    }

    /// <summary>Signs with AWSSDK.Core's SigV4 signer, as BrokerServer does for the AWS protocols, for an admin path.</summary>
    private async Task<HttpResponseMessage> PostAdminAsync(string path, string body, bool sign)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (sign)
        {
            var sdk = new DefaultRequest(new GetCallerIdentityRequest(), "IdentityBroker")
            {
                Endpoint = _server.BaseAddress,
                ResourcePath = path,
                HttpMethod = "POST",
                Content = Encoding.UTF8.GetBytes(body),
                AuthenticationRegion = "us-east-1",
                OverrideSigningServiceName = "execute-api",
            };
            sdk.Headers["Content-Type"] = message.Content.Headers.ContentType!.ToString();
            var config = new AmazonSecurityTokenServiceConfig { ServiceURL = _server.BaseAddress.ToString(), AuthenticationRegion = "us-east-1" };
            var result = new AWS4Signer().SignRequest(sdk, config, null, BrokerServer.AccessKeyId, BrokerServer.Secret);
            foreach (var (name, value) in sdk.Headers)
            {
                if (!name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && !name.Equals("Host", StringComparison.OrdinalIgnoreCase))
                {
                    message.Headers.TryAddWithoutValidation(name, value);
                }
            }

            message.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
        }

        return await _server.Http.SendAsync(message);
    }
}
