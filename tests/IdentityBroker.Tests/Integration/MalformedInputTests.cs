using System.Net.Http.Headers;
using System.Text;

namespace IdentityBroker.Tests.Integration;

/// <summary>Raw HTTP against the running broker: bad input is always a 4xx AWS error, never a 5xx, and changes nothing.</summary>
[TestFixture]
public sealed class MalformedInputTests
{
    private BrokerServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await BrokerServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Broken_json_is_a_serialization_error()
    {
        using var response = await _server.CognitoAsync("GetId", "{\"IdentityPoolId\": ");
        await AwsErrorAssert.IsJsonErrorAsync(response, "SerializationException");
    }

    [TestCase("{\"IdentityPoolId\": 42}", TestName = "Number where a string is expected")]
    [TestCase("{\"IdentityPoolId\": \"us-east-1:1\", \"Logins\": [\"a\"]}", TestName = "Array where a map is expected")]
    [TestCase("[]", TestName = "Array as the body")]
    [TestCase("null", TestName = "Null as the body")]
    [TestCase("{} trailing", TestName = "Trailing garbage after the object")]
    public async Task Wrong_types_are_serialization_errors(string body)
    {
        using var response = await _server.CognitoAsync("GetId", body);
        await AwsErrorAssert.IsJsonErrorAsync(response, "SerializationException");
    }

    [Test]
    public async Task Missing_required_member_is_a_validation_error_naming_it()
    {
        using var response = await _server.CognitoAsync("GetId", "{}");
        var message = await AwsErrorAssert.IsJsonErrorAsync(response, "ValidationException");
        Assert.That(message, Does.Contain("identityPoolId").And.Contain("Member must not be null"));
    }

    [Test]
    public async Task Oversized_string_is_a_validation_error()
    {
        var pool = "us-east-1:" + new string('a', 100);
        using var response = await _server.CognitoAsync("GetId", $"{{\"IdentityPoolId\":\"{pool}\"}}");
        var message = await AwsErrorAssert.IsJsonErrorAsync(response, "ValidationException");
        Assert.That(message, Does.Contain("length less than or equal to 55"));
    }

    [Test]
    public async Task Unknown_target_is_an_unknown_operation()
    {
        using var response = await _server.CognitoAsync("StealEverything", "{}");
        await AwsErrorAssert.IsJsonErrorAsync(response, "UnknownOperationException");
    }

    [Test]
    public async Task Every_operation_of_the_model_is_served_the_last_ones_signed()
    {
        foreach (var operation in new[] { "TagResource", "UntagResource", "ListTagsForResource" })
        {
            using var response = await _server.CognitoAsync(operation, "{}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.That((int)response.StatusCode, Is.EqualTo(400), body);
            Assert.That(body, Does.Not.Contain("UnknownOperationException"), operation);
        }
    }

    [Test]
    public async Task Body_over_one_mebibyte_is_refused_before_parsing()
    {
        var body = "{\"IdentityPoolId\":\"" + new string('a', 1_100_000) + "\"}";
        // The broker answers from Content-Length without reading the body and then closes the connection rather than
        // drain past its limit; with Expect: 100-continue (as SDKs send large bodies) the client waits for that answer
        // instead of racing the close with its upload.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityService.GetId");
        request.Headers.ExpectContinue = true;
        using var response = await _server.Http.SendAsync(request);
        await AwsErrorAssert.IsJsonErrorAsync(response, "RequestEntityTooLargeException", 413);
    }

    [Test]
    public async Task Unknown_pool_is_resource_not_found_with_the_aws_message()
    {
        using var response = await _server.CognitoAsync("GetId", "{\"IdentityPoolId\":\"us-east-1:00000000-0000-0000-0000-000000000000\"}");
        var message = await AwsErrorAssert.IsJsonErrorAsync(response, "ResourceNotFoundException");
        Assert.That(message, Is.EqualTo("IdentityPool 'us-east-1:00000000-0000-0000-0000-000000000000' not found."));
    }

    [Test]
    public async Task Unsigned_call_to_a_signed_operation_is_refused()
    {
        using var response = await _server.CognitoAsync("ListIdentityPools", "{\"MaxResults\":10}");
        await AwsErrorAssert.IsJsonErrorAsync(response, "MissingAuthenticationTokenException");
    }

    [Test]
    public async Task Call_signed_with_the_wrong_secret_is_refused()
    {
        using var response = await _server.SignedCognitoAsync("ListIdentityPools", "{\"MaxResults\":10}", secret: "not-the-secret-of-this-key-000000");
        await AwsErrorAssert.IsJsonErrorAsync(response, "InvalidSignatureException");
    }

    [Test]
    public async Task Query_request_with_unknown_action_is_an_xml_error()
    {
        using var content = new StringContent("Action=DropTables&Version=2011-06-15", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await _server.Http.PostAsync(new Uri("/", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(400));
            Assert.That(body, Does.Contain("<Code>InvalidAction</Code>").And.Contain("<RequestId>"));
        });
    }

    /// <summary>Many shapes of junk at every served operation: none may produce a 5xx.</summary>
    [Test]
    public async Task No_junk_body_produces_a_server_error()
    {
        string[] operations = ["CreateIdentityPool", "DescribeIdentityPool", "UpdateIdentityPool", "DeleteIdentityPool", "ListIdentityPools",
            "GetId", "GetOpenIdToken", "GetCredentialsForIdentity", "DescribeIdentity", "ListIdentities", "DeleteIdentities",
            "SetIdentityPoolRoles", "GetIdentityPoolRoles"];
        string[] bodies = ["", "{", "{}", "[]", "\"x\"", "1", "{\"Logins\":{\"a\":\"b\"}}", "{\"IdentityPoolId\":\"x:1\",\"Logins\":{\"\":\"\"}}",
            "{\"IdentityId\":\"us-east-1:ffffffff-ffff-ffff-ffff-ffffffffffff\",\"Logins\":{\"x\":\"y.z.w\"}}", "{\"MaxResults\":-1}",
            "{\"MaxResults\":1e400}", "{\"IdentityPoolId\":\"\\u0000\"}", "{\"Roles\":{\"authenticated\":null}}", "{\"IdentityIdsToDelete\":[]}"];
        foreach (var operation in operations)
        {
            foreach (var body in bodies)
            {
                using var unsigned = await _server.CognitoAsync(operation, body);
                using var signed = await _server.SignedCognitoAsync(operation, body);
                Assert.That((int)unsigned.StatusCode, Is.InRange(400, 499), $"{operation} {body}");
                Assert.That((int)signed.StatusCode, Is.InRange(200, 499), $"{operation} {body} (signed)");
            }
        }
    }

    [Test]
    public async Task Wrong_content_type_with_target_is_still_answered_as_json()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("{}") };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityService.GetId");
        using var response = await _server.Http.SendAsync(request);
        await AwsErrorAssert.IsJsonErrorAsync(response, "ValidationException");
    }
}
