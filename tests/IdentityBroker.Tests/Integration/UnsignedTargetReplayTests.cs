using System.Net.Http.Headers;
using System.Text;
using IdentityBroker.Tests.Signing;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// Against the real server: a signature that leaves X-Amz-Target out cannot be replayed as another
/// operation. Both forms: a seven-day presigned URL signing only host, and an Authorization header
/// signing host;x-amz-date. Each replay asks for DeleteIdentityPool; the pool must survive.
/// </summary>
[TestFixture]
public sealed class UnsignedTargetReplayTests
{
    private const string Delete = "AWSCognitoIdentityService.DeleteIdentityPool";
    private const string Refusal = "'x-amz-target' must be a 'SignedHeader' in the AWS Authorization.";

    private BrokerServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await BrokerServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Presigned_describe_url_replayed_as_delete_is_refused_and_the_pool_survives()
    {
        var (poolId, body) = await CreatePoolAsync();
        var query = HandSigner.PresignedQuery(BrokerServer.AccessKeyId, BrokerServer.Secret, DateTimeOffset.UtcNow, "cognito-identity", 604_800, "POST", Host, body);
        using var replay = Request("/?" + query, body, Delete);

        using var response = await _server.Http.SendAsync(replay);

        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(response, "InvalidSignatureException"), Is.EqualTo(Refusal));
        await AssertPoolExistsAsync(poolId);
    }

    [Test]
    public async Task Header_signature_over_host_and_date_replayed_as_delete_is_refused_and_the_pool_survives()
    {
        var (poolId, body) = await CreatePoolAsync();
        var at = DateTimeOffset.UtcNow;
        using var replay = Request("/", body, Delete);
        replay.Headers.TryAddWithoutValidation("X-Amz-Date", HandSigner.AmzDate(at));
        replay.Headers.TryAddWithoutValidation("Authorization", HandSigner.Authorization(BrokerServer.AccessKeyId, BrokerServer.Secret, at,
            "cognito-identity", "POST", string.Empty, [("host", Host), ("x-amz-date", HandSigner.AmzDate(at))], body));

        using var response = await _server.Http.SendAsync(replay);

        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(response, "InvalidSignatureException"), Is.EqualTo(Refusal));
        await AssertPoolExistsAsync(poolId);
    }

    [Test]
    public async Task Header_signature_covering_the_target_is_served()
    {
        var (poolId, body) = await CreatePoolAsync();
        var at = DateTimeOffset.UtcNow;
        const string Describe = "AWSCognitoIdentityService.DescribeIdentityPool";
        using var request = Request("/", body, Describe);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", HandSigner.AmzDate(at));
        request.Headers.TryAddWithoutValidation("Authorization", HandSigner.Authorization(BrokerServer.AccessKeyId, BrokerServer.Secret, at,
            "cognito-identity", "POST", string.Empty, [("host", Host), ("x-amz-date", HandSigner.AmzDate(at)), ("x-amz-target", Describe)], body));

        using var response = await _server.Http.SendAsync(request);

        Assert.That((await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("IdentityPoolId").GetString(), Is.EqualTo(poolId));
    }

    [Test]
    public async Task Signed_query_call_with_an_unsigned_amz_header_is_refused_as_iam_does()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent("Action=ListRoles&Version=2010-05-08", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        var at = DateTimeOffset.UtcNow;
        request.Headers.TryAddWithoutValidation("X-Amz-Date", HandSigner.AmzDate(at));
        request.Headers.TryAddWithoutValidation("X-Amz-Meta-Note", "added after signing");
        request.Headers.TryAddWithoutValidation("Authorization", HandSigner.Authorization(BrokerServer.AccessKeyId, BrokerServer.Secret, at,
            "iam", "POST", string.Empty, [("host", Host), ("x-amz-date", HandSigner.AmzDate(at))], Encoding.UTF8.GetBytes("Action=ListRoles&Version=2010-05-08")));

        using var response = await _server.Http.SendAsync(request);

        var xml = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(403), xml);
            Assert.That(xml, Does.Contain("<Code>SignatureDoesNotMatch</Code>")
                .And.Contain("<Message>'x-amz-meta-note' must be a 'SignedHeader' in the AWS Authorization.</Message>"));
        });
    }

    private string Host => _server.BaseAddress.Authority;

    private static HttpRequestMessage Request(string uri, byte[] body, string target)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        return request;
    }

    private async Task<(string PoolId, byte[] Body)> CreatePoolAsync()
    {
        using var created = await _server.SignedCognitoAsync("CreateIdentityPool", $"{{\"IdentityPoolName\":\"Replay{Guid.NewGuid():N}\",\"AllowUnauthenticatedIdentities\":true}}");
        var poolId = (await AwsErrorAssert.IsSuccessAsync(created)).GetProperty("IdentityPoolId").GetString()!;
        return (poolId, Encoding.UTF8.GetBytes($"{{\"IdentityPoolId\":\"{poolId}\"}}"));
    }

    private async Task AssertPoolExistsAsync(string poolId)
    {
        using var described = await _server.SignedCognitoAsync("DescribeIdentityPool", $"{{\"IdentityPoolId\":\"{poolId}\"}}");
        await AwsErrorAssert.IsSuccessAsync(described);
    }
}
