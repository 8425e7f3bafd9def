using System.Text;
using System.Text.Json;
using IdentityBroker.Tests.Integration;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdentityBroker.Tests.Audit;

/// <summary>
/// The trail through the real broker beyond GetCredentialsForIdentity: the decisions of GetOpenIdTokenForDeveloperIdentity and
/// of STS's AssumeRoleWithWebIdentity (granted and refused), LookupEvents by EventId, the reverse lookup by provider and
/// subject and by user-pool username, and the JSON-lines file sink.
/// </summary>
[TestFixture]
public sealed class AuditDecisionApiTests
{
    private const string Developer = "login.audit.example";
    private BrokerServer _server = null!;
    private string _trailFile = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _trailFile = Path.Combine(Directory.CreateTempSubdirectory("audit-file-").FullName, "trail.jsonl");
        _server = await BrokerServer.StartAsync(new Dictionary<string, string?> { ["Broker:Audit:File"] = _trailFile });
        using var updated = await _server.SignedCognitoAsync("UpdateIdentityPool",
            $$"""{"IdentityPoolId":"{{_server.DemoPoolId}}","IdentityPoolName":"DemoPool","AllowUnauthenticatedIdentities":true,"DeveloperProviderName":"{{Developer}}"}""");
        await AwsErrorAssert.IsSuccessAsync(updated);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_trailFile)!, recursive: true);
    }

    [Test]
    public async Task A_developer_token_is_recorded_with_the_developer_user_its_tags_and_is_found_by_provider_and_subject()
    {
        using var response = await _server.SignedCognitoAsync("GetOpenIdTokenForDeveloperIdentity", JsonSerializer.Serialize(new
        {
            IdentityPoolId = _server.DemoPoolId,
            Logins = new Dictionary<string, string> { [Developer] = "dev-user-1" },
            PrincipalTags = new Dictionary<string, string> { ["team"] = "blue" },
        }));
        var body = await AwsErrorAssert.IsSuccessAsync(response);
        var identityId = body.GetProperty("IdentityId").GetString()!;

        var record = await RecordOfAsync(response, "GetOpenIdTokenForDeveloperIdentity");
        var decision = record.GetProperty("additionalEventData").GetProperty("decision");
        Assert.Multiple(() =>
        {
            Assert.That(decision.GetProperty("allowed").GetBoolean(), Is.True);
            Assert.That(decision.GetProperty("logins")[0].GetProperty("provider").GetString(), Is.EqualTo(Developer));
            Assert.That(decision.GetProperty("logins")[0].GetProperty("subject").GetString(), Is.EqualTo("dev-user-1"));
            Assert.That(decision.GetProperty("sessionTags").GetProperty("team").GetString(), Is.EqualTo("blue"));
            Assert.That(record.GetProperty("additionalEventData").GetProperty("identityId").GetString(), Is.EqualTo(identityId));
            Assert.That(record.GetRawText(), Does.Not.Contain(body.GetProperty("Token").GetString()));
        });

        var found = await AdminGetAsync($"/admin/api/identities?provider={Developer}&subject=dev-user-1");
        var identity = found.GetProperty("Identities").EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(identity.GetProperty("IdentityId").GetString(), Is.EqualTo(identityId));
            Assert.That(identity.GetProperty("Logins").EnumerateArray().Select(l => l.GetProperty("Subject").GetString()), Does.Contain("dev-user-1"));
            Assert.That(identity.GetProperty("LastSeenEvent").GetString(), Is.EqualTo("GetOpenIdTokenForDeveloperIdentity"));
        });
        var nobody = await AdminGetAsync($"/admin/api/identities?provider={Developer}&subject=dev-user-unknown");
        Assert.That(nobody.GetProperty("Identities").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task A_refused_developer_token_is_recorded_with_why()
    {
        using var response = await _server.SignedCognitoAsync("GetOpenIdTokenForDeveloperIdentity", JsonSerializer.Serialize(new
        {
            IdentityPoolId = _server.DemoPoolId,
            Logins = new Dictionary<string, string> { ["other.example"] = "someone" },
        }));
        await AwsErrorAssert.IsJsonErrorAsync(response, "InvalidParameterException");

        var refusal = (await RecordOfAsync(response, "GetOpenIdTokenForDeveloperIdentity")).GetProperty("additionalEventData").GetProperty("decision");
        Assert.That(refusal.GetProperty("allowed").GetBoolean(), Is.False);
        Assert.That(refusal.GetProperty("refusal").GetProperty("errorCode").GetString(), Is.EqualTo("InvalidParameterException"));
        Assert.That(refusal.GetProperty("refusal").GetProperty("reason").GetString(), Does.StartWith("the developer login or a login to link did not validate"));
    }

    [Test]
    public async Task Assume_role_with_web_identity_is_recorded_with_the_token_subject_the_role_and_its_trust_and_a_refusal_with_why()
    {
        var (identityId, token) = await DeveloperTokenAsync("dev-user-sts");
        var roleArn = await TrustingRoleAsync();

        using var assumed = await StsAsync(roleArn, token);
        var xml = await assumed.Content.ReadAsStringAsync();
        Assert.That((int)assumed.StatusCode, Is.EqualTo(200), xml);
        var record = await RecordOfAsync(assumed, "AssumeRoleWithWebIdentity");
        var decision = record.GetProperty("additionalEventData").GetProperty("decision");
        Assert.Multiple(() =>
        {
            Assert.That(decision.GetProperty("allowed").GetBoolean(), Is.True);
            Assert.That(decision.GetProperty("logins")[0].GetProperty("subject").GetString(), Is.EqualTo(identityId));
            Assert.That(decision.GetProperty("role").GetProperty("roleArn").GetString(), Is.EqualTo(roleArn));
            Assert.That(decision.GetProperty("role").GetProperty("chosenBy").GetString(), Is.EqualTo("Request"));
            Assert.That(decision.GetProperty("role").GetProperty("provider").GetString(), Is.EqualTo("cognito-identity.amazonaws.com"));
            Assert.That(xml, Does.Contain($"<AccessKeyId>{record.GetProperty("responseElements").GetProperty("credentials").GetProperty("accessKeyId").GetString()}</AccessKeyId>"));
            Assert.That(record.GetRawText(), Does.Not.Contain(token));
        });

        var missing = roleArn + "-missing";
        using var refused = await StsAsync(missing, token);
        Assert.That((int)refused.StatusCode, Is.EqualTo(403));
        var refusal = (await RecordOfAsync(refused, "AssumeRoleWithWebIdentity")).GetProperty("additionalEventData").GetProperty("decision");
        Assert.That(refusal.GetProperty("allowed").GetBoolean(), Is.False);
        Assert.That(refusal.GetProperty("refusal").GetProperty("reason").GetString(), Does.StartWith($"no role {missing} in this account"));
        Assert.That(refusal.GetProperty("logins")[0].GetProperty("subject").GetString(), Is.EqualTo(identityId), "the token was valid: its subject is shown");

        using var forged = await StsAsync(roleArn, token[..^4] + "AAAA");
        var badToken = (await RecordOfAsync(forged, "AssumeRoleWithWebIdentity")).GetProperty("additionalEventData").GetProperty("decision");
        Assert.That(badToken.GetProperty("refusal").GetProperty("reason").GetString(), Does.StartWith("the web identity token did not validate"));
        Assert.That(badToken.GetProperty("logins").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Lookup_by_event_id_finds_exactly_that_event()
    {
        using var response = await _server.CognitoAsync("GetId", $$"""{"IdentityPoolId":"{{_server.DemoPoolId}}"}""");
        await AwsErrorAssert.IsSuccessAsync(response);
        var eventId = (await RecordOfAsync(response, "GetId")).GetProperty("eventID").GetString()!;

        var page = await LookupAsync($$"""{"LookupAttributes":[{"AttributeKey":"EventId","AttributeValue":"{{eventId}}"}]}""");
        var other = await LookupAsync($$"""{"LookupAttributes":[{"AttributeKey":"EventId","AttributeValue":"{{Guid.CreateVersion7():D}}"}]}""");

        Assert.That(page.GetProperty("Events").EnumerateArray().Select(e => e.GetProperty("EventId").GetString()), Is.EqualTo(new[] { eventId }));
        Assert.That(other.GetProperty("Events").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Reverse_lookup_by_user_pool_username_finds_the_identity_of_its_id_token()
    {
        var userPoolId = (await UserPoolsAsync("CreateUserPool", new { PoolName = "audit-lookup" })).GetProperty("UserPool").GetProperty("Id").GetString()!;
        var clientId = (await UserPoolsAsync("CreateUserPoolClient", new { UserPoolId = userPoolId, ClientName = "app", ExplicitAuthFlows = new[] { "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH" } }))
            .GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!;
        await UserPoolsAsync("AdminCreateUser", new { UserPoolId = userPoolId, Username = "lee", MessageAction = "SUPPRESS" });
        await UserPoolsAsync("AdminSetUserPassword", new { UserPoolId = userPoolId, Username = "lee", Password = "Correct-horse-1", Permanent = true });
        var idToken = (await UserPoolsAsync("AdminInitiateAuth", new
        {
            UserPoolId = userPoolId, ClientId = clientId, AuthFlow = "ADMIN_USER_PASSWORD_AUTH",
            AuthParameters = new Dictionary<string, string> { ["USERNAME"] = "lee", ["PASSWORD"] = "Correct-horse-1" },
        })).GetProperty("AuthenticationResult").GetProperty("IdToken").GetString()!;
        var provider = new Uri(new JsonWebToken(idToken).Issuer) is var issuer ? issuer.Authority + issuer.AbsolutePath : null;
        using var pool = await _server.SignedCognitoAsync("CreateIdentityPool", JsonSerializer.Serialize(new
        {
            IdentityPoolName = "paired", AllowUnauthenticatedIdentities = false,
            CognitoIdentityProviders = new[] { new { ProviderName = provider, ClientId = clientId } },
        }));
        var identityPoolId = (await AwsErrorAssert.IsSuccessAsync(pool)).GetProperty("IdentityPoolId").GetString()!;
        using var getId = await _server.CognitoAsync("GetId", JsonSerializer.Serialize(new { IdentityPoolId = identityPoolId, Logins = new Dictionary<string, string> { [provider!] = idToken } }));
        var identityId = (await AwsErrorAssert.IsSuccessAsync(getId)).GetProperty("IdentityId").GetString();

        var found = await AdminGetAsync($"/admin/api/identities?userPoolId={userPoolId}&username=lee");
        var identity = found.GetProperty("Identities").EnumerateArray().Single();
        Assert.That(identity.GetProperty("IdentityId").GetString(), Is.EqualTo(identityId));
        Assert.That(identity.GetProperty("Logins")[0].GetProperty("Provider").GetString(), Is.EqualTo(provider));
        Assert.That(identity.GetProperty("Logins")[0].GetProperty("Subject").GetString(), Is.EqualTo(new JsonWebToken(idToken).Subject));
    }

    [Test]
    public async Task The_file_sink_holds_one_json_line_per_record_with_the_issued_key_and_no_secret()
    {
        using var getId = await _server.CognitoAsync("GetId", $$"""{"IdentityPoolId":"{{_server.DemoPoolId}}"}""");
        var identityId = (await AwsErrorAssert.IsSuccessAsync(getId)).GetProperty("IdentityId").GetString();
        using var issued = await _server.CognitoAsync("GetCredentialsForIdentity", $$"""{"IdentityId":"{{identityId}}"}""");
        var credentials = (await AwsErrorAssert.IsSuccessAsync(issued)).GetProperty("Credentials");
        var requestId = issued.Headers.GetValues("x-amzn-RequestId").Single();

        // The file is written after the batch is stored, and the issuance's reply waited for the store: poll briefly.
        JsonElement? line = null;
        for (var attempt = 0; attempt < 100 && line is null; attempt++)
        {
            line = ReadLines().Select(l => JsonDocument.Parse(l).RootElement.Clone())
                .Cast<JsonElement?>().FirstOrDefault(e => e!.Value.GetProperty("requestID").GetString() == requestId);
            if (line is null)
            {
                await Task.Delay(50);
            }
        }

        Assert.That(line, Is.Not.Null, "the record reached the file");
        var text = string.Join('\n', ReadLines());
        Assert.Multiple(() =>
        {
            Assert.That(line!.Value.GetProperty("eventName").GetString(), Is.EqualTo("GetCredentialsForIdentity"));
            Assert.That(line.Value.GetProperty("responseElements").GetProperty("credentials").GetProperty("accessKeyId").GetString(),
                Is.EqualTo(credentials.GetProperty("AccessKeyId").GetString()));
            Assert.That(text, Does.Not.Contain(credentials.GetProperty("SecretKey").GetString()));
            Assert.That(text, Does.Not.Contain(credentials.GetProperty("SessionToken").GetString()));
        });
    }

    private List<string> ReadLines()
    {
        using var stream = new FileStream(_trailFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    private async Task<(string IdentityId, string Token)> DeveloperTokenAsync(string userId)
    {
        using var response = await _server.SignedCognitoAsync("GetOpenIdTokenForDeveloperIdentity", JsonSerializer.Serialize(new
        {
            IdentityPoolId = _server.DemoPoolId,
            Logins = new Dictionary<string, string> { [Developer] = userId },
        }));
        var body = await AwsErrorAssert.IsSuccessAsync(response);
        return (body.GetProperty("IdentityId").GetString()!, body.GetProperty("Token").GetString()!);
    }

    private async Task<string> TrustingRoleAsync()
    {
        var name = $"audit-{Guid.NewGuid():N}"[..30];
        var trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"POOL"}}}]}"""
            .Replace("POOL", _server.DemoPoolId, StringComparison.Ordinal);
        using var response = await _server.SignedQueryAsync("iam", $"Action=CreateRole&Version=2010-05-08&RoleName={name}&AssumeRolePolicyDocument={Uri.EscapeDataString(trust)}");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return $"arn:aws:iam::000000000000:role/{name}";
    }

    private Task<HttpResponseMessage> StsAsync(string roleArn, string token)
    {
        var form = $"Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleSessionName=audit&RoleArn={Uri.EscapeDataString(roleArn)}&WebIdentityToken={Uri.EscapeDataString(token)}";
        return _server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded") });
    }

    private async Task<JsonElement> UserPoolsAsync(string operation, object body)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, JsonSerializer.Serialize(body));
        return await AwsErrorAssert.IsSuccessAsync(response);
    }

    /// <summary>The record of the call <paramref name="response"/> answered, found by its request id (records of non-issuing calls come a moment later).</summary>
    private async Task<JsonElement> RecordOfAsync(HttpResponseMessage response, string eventName)
    {
        var requestId = response.Headers.GetValues("x-amzn-RequestId").Single();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var page = await LookupAsync($$"""{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"{{eventName}}"}]}""");
            var found = page.GetProperty("Events").EnumerateArray()
                .Select(e => JsonDocument.Parse(e.GetProperty("CloudTrailEvent").GetString()!).RootElement.Clone())
                .Where(r => r.GetProperty("requestID").GetString() == requestId)
                .ToList();
            if (found.Count == 1)
            {
                return found[0];
            }

            await Task.Delay(50);
        }

        throw new AssertionException($"No record of {eventName} {requestId} within 5 s.");
    }

    private Task<JsonElement> LookupAsync(string body) => _server.LookupAsync(body);

    private Task<JsonElement> AdminGetAsync(string path) => _server.AdminGetAsync(path);
}
