using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IdentityBroker.Tests.Integration;

namespace IdentityBroker.Tests.Audit;

/// <summary>
/// The audit trail through the real broker: each call makes its CloudTrail record, CloudTrail's LookupEvents reads them
/// (filters, paging, CloudTrail's errors), and the reverse identity lookup finds an identity with its last-seen time.
/// </summary>
[TestFixture]
public sealed class AuditTrailApiTests
{
    private const string Target = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";
    private BrokerServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await BrokerServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Get_credentials_for_identity_is_recorded_before_its_reply_with_the_access_key_id_only_and_the_decision()
    {
        var identityId = await NewGuestAsync();
        using var issued = await _server.CognitoAsync("GetCredentialsForIdentity", $"{{\"IdentityId\":\"{identityId}\"}}");
        var reply = JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement.GetProperty("Credentials");
        var requestId = issued.Headers.GetValues("x-amzn-RequestId").Single();

        // No wait: an issuance's reply is sent only once its record is durable.
        var events = await LookupAsync("""{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"GetCredentialsForIdentity"}]}""");
        var found = events.GetProperty("Events").EnumerateArray()
            .Select(e => (Summary: e, Record: JsonDocument.Parse(e.GetProperty("CloudTrailEvent").GetString()!).RootElement))
            .Single(e => e.Record.GetProperty("requestID").GetString() == requestId);

        var text = found.Summary.GetProperty("CloudTrailEvent").GetString()!;
        var decision = found.Record.GetProperty("additionalEventData").GetProperty("decision");
        Assert.Multiple(() =>
        {
            Assert.That(found.Summary.GetProperty("EventSource").GetString(), Is.EqualTo("cognito-identity.amazonaws.com"));
            Assert.That(found.Summary.GetProperty("ReadOnly").GetString(), Is.EqualTo("false"));
            Assert.That(found.Summary.GetProperty("Resources").EnumerateArray().Select(r => r.GetProperty("ResourceName").GetString()), Does.Contain(identityId));
            Assert.That(found.Record.GetProperty("responseElements").GetProperty("credentials").GetProperty("accessKeyId").GetString(),
                Is.EqualTo(reply.GetProperty("AccessKeyId").GetString()));
            Assert.That(text, Does.Not.Contain(reply.GetProperty("SecretKey").GetString()));
            Assert.That(text, Does.Not.Contain(reply.GetProperty("SessionToken").GetString()));
            Assert.That(found.Record.GetProperty("userIdentity").GetProperty("type").GetString(), Is.EqualTo("Unknown"));
            Assert.That(decision.GetProperty("allowed").GetBoolean(), Is.True);
            Assert.That(decision.GetProperty("role").GetProperty("chosenBy").GetString(), Is.EqualTo("Default"));
            Assert.That(decision.GetProperty("role").GetProperty("source").GetString(), Is.EqualTo("DefaultUnauthenticated"));
        });
    }

    [Test]
    public async Task A_refused_custom_role_is_recorded_with_the_error_and_the_reason()
    {
        var identityId = await NewGuestAsync();
        using var refused = await _server.CognitoAsync("GetCredentialsForIdentity",
            $"{{\"IdentityId\":\"{identityId}\",\"CustomRoleArn\":\"arn:aws:iam::000000000000:role/NotMine\"}}");
        Assert.That((int)refused.StatusCode, Is.EqualTo(400));

        var record = await EventualRecordAsync(identityId, "GetCredentialsForIdentity");
        var refusal = record.GetProperty("additionalEventData").GetProperty("decision").GetProperty("refusal");
        Assert.That(record.GetProperty("errorCode").GetString(), Is.EqualTo("NotAuthorizedException"));
        Assert.That(refusal.GetProperty("reason").GetString(), Does.Contain("CustomRoleArn is not that role"));
    }

    [Test]
    public async Task A_login_token_sent_to_get_id_appears_nowhere_in_the_trail()
    {
        const string Token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0b3Atc2VjcmV0In0.c2lnbmF0dXJlLXNlY3JldA";
        using var response = await _server.CognitoAsync("GetId", $"{{\"IdentityPoolId\":\"{_server.DemoPoolId}\",\"Logins\":{{\"accounts.google.com\":\"{Token}\"}}}}");
        var requestId = response.Headers.GetValues("x-amzn-RequestId").Single();

        var record = await EventualValueAsync(async () => (await AllEventsAsync("GetId"))
            .Select(r => (JsonElement?)r).FirstOrDefault(r => r!.Value.GetProperty("requestID").GetString() == requestId));
        Assert.That(record.GetRawText(), Does.Not.Contain(Token).And.Not.Contain("c2lnbmF0dXJlLXNlY3JldA"));
        Assert.That(record.GetProperty("requestParameters").GetProperty("logins").GetProperty("accounts.google.com").GetString(),
            Is.EqualTo("HIDDEN_DUE_TO_SECURITY_REASONS"));
    }

    [Test]
    public async Task Lookup_by_access_key_id_finds_the_admin_calls()
    {
        using var listed = await _server.SignedCognitoAsync("ListIdentityPools", """{"MaxResults":5}""");
        Assert.That((int)listed.StatusCode, Is.EqualTo(200));

        var events = await EventualAsync(async () =>
        {
            var page = await LookupAsync($$"""{"LookupAttributes":[{"AttributeKey":"AccessKeyId","AttributeValue":"{{BrokerServer.AccessKeyId}}"}]}""");
            var list = page.GetProperty("Events").EnumerateArray().ToList();
            return list.Any(e => e.GetProperty("EventName").GetString() == "ListIdentityPools") ? list : null;
        });
        Assert.That(events.Select(e => e.GetProperty("AccessKeyId").GetString()), Is.All.EqualTo(BrokerServer.AccessKeyId));
        Assert.That(events.Select(e => e.GetProperty("Username").GetString()), Is.All.EqualTo("root"));
    }

    [Test]
    public async Task Lookup_pages_with_next_token_until_every_event_is_seen_once()
    {
        var identityId = await NewGuestAsync();
        var requestIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var issued = await _server.CognitoAsync("GetCredentialsForIdentity", $"{{\"IdentityId\":\"{identityId}\"}}");
            requestIds.Add(issued.Headers.GetValues("x-amzn-RequestId").Single());
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var next = token is null ? string.Empty : $",\"NextToken\":\"{token}\"";
            var page = await LookupAsync($$"""{"MaxResults":2,"LookupAttributes":[{"AttributeKey":"ResourceName","AttributeValue":"{{identityId}}"}]{{next}}}""");
            var events = page.GetProperty("Events").EnumerateArray().ToList();
            Assert.That(events, Has.Count.LessThanOrEqualTo(2));
            seen.AddRange(events.Select(e => JsonDocument.Parse(e.GetProperty("CloudTrailEvent").GetString()!).RootElement.GetProperty("requestID").GetString()!));
            token = page.TryGetProperty("NextToken", out var t) ? t.GetString() : null;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.That(seen, Is.Unique);
        Assert.That(seen, Is.SupersetOf(requestIds));
        Assert.That(pages, Is.GreaterThanOrEqualTo(2));
    }

    [TestCase("""{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"GetId"},{"AttributeKey":"ReadOnly","AttributeValue":"true"}]}""", "InvalidLookupAttributesException")]
    [TestCase("""{"LookupAttributes":[{"AttributeKey":"Colour","AttributeValue":"blue"}]}""", "InvalidLookupAttributesException")]
    [TestCase("""{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":""}]}""", "InvalidLookupAttributesException")]
    [TestCase("""{"StartTime":1800000000,"EndTime":1700000000}""", "InvalidTimeRangeException")]
    [TestCase("""{"MaxResults":0}""", "InvalidMaxResultsException")]
    [TestCase("""{"MaxResults":51}""", "InvalidMaxResultsException")]
    [TestCase("""{"NextToken":"not-a-token"}""", "InvalidNextTokenException")]
    public async Task A_wrong_lookup_is_refused_with_cloudtrails_error(string body, string error)
    {
        using var response = await SendLookupAsync(body);

        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(response.Headers.GetValues("x-amzn-ErrorType").Single(), Does.StartWith(error));
    }

    [Test]
    public async Task An_unsigned_lookup_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent("{}"u8.ToArray()) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", Target + "LookupEvents");
        using var response = await _server.Http.SendAsync(request);

        Assert.That((int)response.StatusCode, Is.EqualTo(400).Or.EqualTo(403));
    }

    [Test]
    public async Task Reverse_lookup_by_identity_id_returns_its_pool_logins_creation_and_last_seen()
    {
        var identityId = await NewGuestAsync();
        using (await _server.CognitoAsync("GetCredentialsForIdentity", $"{{\"IdentityId\":\"{identityId}\"}}"))
        {
        }

        var body = await AdminGetAsync($"/admin/api/identities?identityId={Uri.EscapeDataString(identityId)}");
        var identity = body.GetProperty("Identities").EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(identity.GetProperty("IdentityId").GetString(), Is.EqualTo(identityId));
            Assert.That(identity.GetProperty("IdentityPoolId").GetString(), Is.EqualTo(_server.DemoPoolId));
            Assert.That(identity.GetProperty("Logins").GetArrayLength(), Is.Zero);
            Assert.That(identity.GetProperty("CreationDate").GetDateTimeOffset(), Is.GreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5)));
            Assert.That(identity.GetProperty("LastSeenEvent").GetString(), Is.EqualTo("GetCredentialsForIdentity"));
        });
    }

    [Test]
    public async Task Reverse_lookup_without_a_key_is_a_clear_error_and_unsigned_is_refused()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/admin/api/identities?provider=x") { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        using var signed = await _server.Http.SendAsync(_server.Sign(request, "execute-api", string.Empty, new SigningKey(BrokerServer.AccessKeyId, BrokerServer.Secret, null)));
        using var unsigned = await _server.Http.GetAsync("/admin/api/identities?identityId=us-east-1:x");

        Assert.That((int)signed.StatusCode, Is.EqualTo(400));
        Assert.That(await signed.Content.ReadAsStringAsync(), Does.Contain("InvalidParameterException"));
        Assert.That((int)unsigned.StatusCode, Is.AnyOf(400, 403));
    }

    [Test]
    public async Task A_rules_write_through_the_admin_api_is_recorded_as_the_consoles_with_the_admin_caller_and_a_refusal_with_its_error()
    {
        var poolId = _server.DemoPoolId;
        using var stored = await PutRulesAsync(poolId, """{"ExpressionRules":[]}""");
        Assert.That((int)stored.StatusCode, Is.EqualTo(200), await stored.Content.ReadAsStringAsync());
        var storedId = stored.Headers.GetValues("x-amzn-RequestId").Single();
        using var refused = await PutRulesAsync(poolId, """{"ExpressionRules":[{"Condition":"claims.dept ==","Role":"arn:aws:iam::000000000000:role/Nope"}]}""");
        Assert.That((int)refused.StatusCode, Is.EqualTo(400), await refused.Content.ReadAsStringAsync());
        var refusedId = refused.Headers.GetValues("x-amzn-RequestId").Single();

        var records = await EventualAsync(async () =>
        {
            var all = await AllEventsAsync("SetIdentityPoolExpressionRules");
            var mine = all.Where(r => r.GetProperty("requestID").GetString() is { } id && (id == storedId || id == refusedId)).ToList();
            return mine.Count == 2 ? mine : null;
        });
        var ok = records.Single(r => r.GetProperty("requestID").GetString() == storedId);
        var bad = records.Single(r => r.GetProperty("requestID").GetString() == refusedId);
        Assert.Multiple(() =>
        {
            Assert.That(ok.GetProperty("eventSource").GetString(), Is.EqualTo("cognito-identity.amazonaws.com"));
            Assert.That(ok.GetProperty("userIdentity").GetProperty("type").GetString(), Is.EqualTo("Root"));
            Assert.That(ok.GetProperty("userIdentity").GetProperty("accessKeyId").GetString(), Is.EqualTo(BrokerServer.AccessKeyId));
            Assert.That(ok.GetProperty("requestParameters").GetProperty("identityPoolId").GetString(), Is.EqualTo(poolId));
            Assert.That(ok.GetProperty("readOnly").GetBoolean(), Is.False);
            Assert.That(ok.TryGetProperty("errorCode", out _), Is.False);
            Assert.That(bad.GetProperty("errorCode").GetString(), Is.Not.Empty);
            Assert.That(bad.GetProperty("errorMessage").GetString(), Does.Contain("Condition"));
            Assert.That(bad.GetProperty("requestParameters").GetProperty("identityPoolId").GetString(), Is.EqualTo(poolId));
        });
    }

    private async Task<HttpResponseMessage> PutRulesAsync(string poolId, string body)
    {
        // Signed over the path as the SDK encodes it (the pool id's ':' once encoded), sent with the ':' encoded, as SDKs send it.
        var request = new HttpRequestMessage(HttpMethod.Put, $"/admin/api/pools/{poolId}/rules") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        var signed = _server.Sign(request, "execute-api", body, new SigningKey(BrokerServer.AccessKeyId, BrokerServer.Secret, null));
        signed.RequestUri = new Uri($"/admin/api/pools/{Uri.EscapeDataString(poolId)}/rules", UriKind.Relative);
        return await _server.Http.SendAsync(signed);
    }

    private async Task<string> NewGuestAsync()
    {
        using var response = await _server.CognitoAsync("GetId", $"{{\"IdentityPoolId\":\"{_server.DemoPoolId}\"}}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("IdentityId").GetString()!;
    }

    private async Task<JsonElement> EventualRecordAsync(string identityId, string eventName) =>
        await EventualValueAsync(async () =>
        {
            var page = await LookupAsync($$"""{"LookupAttributes":[{"AttributeKey":"ResourceName","AttributeValue":"{{identityId}}"}]}""");
            return page.GetProperty("Events").EnumerateArray()
                .Where(e => e.GetProperty("EventName").GetString() == eventName)
                .Select(e => (JsonElement?)JsonDocument.Parse(e.GetProperty("CloudTrailEvent").GetString()!).RootElement)
                .FirstOrDefault();
        });

    private async Task<List<JsonElement>> AllEventsAsync(string eventName)
    {
        var page = await LookupAsync($$"""{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"{{eventName}}"}]}""");
        return [.. page.GetProperty("Events").EnumerateArray().Select(e => JsonDocument.Parse(e.GetProperty("CloudTrailEvent").GetString()!).RootElement)];
    }

    /// <summary>Records of calls that issue nothing are written a moment after their reply: poll for them, briefly.</summary>
    private static async Task<T> EventualAsync<T>(Func<Task<T?>> read)
        where T : class
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await read() is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new AssertionException("The audit record did not appear within 5 s.");
    }

    private static async Task<T> EventualValueAsync<T>(Func<Task<T?>> read)
        where T : struct
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await read() is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new AssertionException("The audit record did not appear within 5 s.");
    }

    private Task<JsonElement> LookupAsync(string body) => _server.LookupAsync(body);

    private Task<HttpResponseMessage> SendLookupAsync(string body) => _server.SendLookupAsync(body);

    private Task<JsonElement> AdminGetAsync(string path) => _server.AdminGetAsync(path);
}
