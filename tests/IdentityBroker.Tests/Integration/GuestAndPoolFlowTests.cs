using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Tests.Integration;

/// <summary>End-to-end flows over HTTP against the real broker with its embedded STS.</summary>
[TestFixture]
public sealed class GuestAndPoolFlowTests
{
    private BrokerServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await BrokerServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Guest_gets_an_identity_and_credentials_from_the_demo_pool()
    {
        var identityId = await NewGuestAsync(_server.DemoPoolId);
        using var response = await _server.CognitoAsync("GetCredentialsForIdentity", $"{{\"IdentityId\":\"{identityId}\"}}");
        var body = await AwsErrorAssert.IsSuccessAsync(response);
        var credentials = body.GetProperty("Credentials");
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("IdentityId").GetString(), Is.EqualTo(identityId));
            Assert.That(credentials.GetProperty("AccessKeyId").GetString(), Does.StartWith("ASIA"));
            Assert.That(credentials.GetProperty("SecretKey").GetString(), Is.Not.Empty);
            Assert.That(credentials.GetProperty("SessionToken").GetString(), Is.Not.Empty);
            Assert.That(credentials.GetProperty("Expiration").GetDouble(), Is.GreaterThan(DateTimeOffset.UtcNow.AddMinutes(50).ToUnixTimeSeconds()));
        });
    }

    [Test]
    public async Task Each_tokenless_GetId_is_a_new_guest()
    {
        var first = await NewGuestAsync(_server.DemoPoolId);
        var second = await NewGuestAsync(_server.DemoPoolId);
        Assert.That(first, Is.Not.EqualTo(second));
    }

    [Test]
    public async Task Guest_OpenId_token_verifies_against_the_published_jwks_and_carries_the_cognito_claims()
    {
        var poolId = _server.DemoPoolId;
        var identityId = await NewGuestAsync(poolId);
        using var response = await _server.CognitoAsync("GetOpenIdToken", $"{{\"IdentityId\":\"{identityId}\"}}");
        var token = (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("Token").GetString()!;
        var jwks = new JsonWebKeySet(await _server.Http.GetStringAsync(new Uri("/.well-known/jwks.json", UriKind.Relative)));
        var issuer = _server.BaseAddress.ToString().TrimEnd('/');
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = poolId + ":unauthenticated",
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha512],
        });
        Assert.That(result.IsValid, Is.True, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Multiple(() =>
        {
            Assert.That(jwt.Subject, Is.EqualTo(identityId));
            Assert.That(jwt.GetPayloadValue<List<string>>("amr"), Is.EqualTo(new[] { "unauthenticated" }));
            Assert.That(jwt.GetPayloadValue<long>("exp") - jwt.GetPayloadValue<long>("iat"), Is.EqualTo(600));
        });
    }

    [Test]
    public async Task Pool_lifecycle_create_describe_replace_list_delete()
    {
        using var created = await _server.SignedCognitoAsync("CreateIdentityPool",
            "{\"IdentityPoolName\":\"Lifecycle pool\",\"AllowUnauthenticatedIdentities\":false,\"AllowClassicFlow\":true,\"IdentityPoolTags\":{\"team\":\"a\"}}");
        var pool = await AwsErrorAssert.IsSuccessAsync(created);
        var poolId = pool.GetProperty("IdentityPoolId").GetString()!;
        Assert.That(poolId, Does.Match("^us-east-1:[0-9a-f-]{36}$"));

        using var updated = await _server.SignedCognitoAsync("UpdateIdentityPool",
            $"{{\"IdentityPoolId\":\"{poolId}\",\"IdentityPoolName\":\"Renamed\",\"AllowUnauthenticatedIdentities\":true}}");
        await AwsErrorAssert.IsSuccessAsync(updated);
        using var described = await _server.SignedCognitoAsync("DescribeIdentityPool", $"{{\"IdentityPoolId\":\"{poolId}\"}}");
        var after = await AwsErrorAssert.IsSuccessAsync(described);
        Assert.Multiple(() =>
        {
            Assert.That(after.GetProperty("IdentityPoolName").GetString(), Is.EqualTo("Renamed"));
            Assert.That(after.GetProperty("AllowUnauthenticatedIdentities").GetBoolean(), Is.True);
            Assert.That(after.TryGetProperty("AllowClassicFlow", out _), Is.False, "replace semantics reset the omitted member");
        });

        using var deleted = await _server.SignedCognitoAsync("DeleteIdentityPool", $"{{\"IdentityPoolId\":\"{poolId}\"}}");
        await AwsErrorAssert.IsSuccessAsync(deleted);
        using var gone = await _server.SignedCognitoAsync("DescribeIdentityPool", $"{{\"IdentityPoolId\":\"{poolId}\"}}");
        var message = await AwsErrorAssert.IsJsonErrorAsync(gone, "ResourceNotFoundException");
        Assert.That(message, Is.EqualTo($"IdentityPool '{poolId}' not found."));
    }

    [Test]
    public async Task Guest_is_refused_on_a_pool_without_unauthenticated_access()
    {
        using var created = await _server.SignedCognitoAsync("CreateIdentityPool", "{\"IdentityPoolName\":\"Closed\",\"AllowUnauthenticatedIdentities\":false}");
        var poolId = (await AwsErrorAssert.IsSuccessAsync(created)).GetProperty("IdentityPoolId").GetString();
        using var response = await _server.CognitoAsync("GetId", $"{{\"IdentityPoolId\":\"{poolId}\"}}");
        var message = await AwsErrorAssert.IsJsonErrorAsync(response, "NotAuthorizedException");
        Assert.That(message, Is.EqualTo("Unauthenticated access is not supported for this identity pool."));
    }

    [Test]
    public async Task Guest_credentials_without_an_unauthenticated_role_are_a_pool_configuration_error()
    {
        using var created = await _server.SignedCognitoAsync("CreateIdentityPool", "{\"IdentityPoolName\":\"NoRoles\",\"AllowUnauthenticatedIdentities\":true}");
        var poolId = (await AwsErrorAssert.IsSuccessAsync(created)).GetProperty("IdentityPoolId").GetString()!;
        var identityId = await NewGuestAsync(poolId);
        using var response = await _server.CognitoAsync("GetCredentialsForIdentity", $"{{\"IdentityId\":\"{identityId}\"}}");
        var message = await AwsErrorAssert.IsJsonErrorAsync(response, "InvalidIdentityPoolConfigurationException");
        Assert.That(message, Is.EqualTo("Invalid identity pool configuration. Check assigned IAM roles for this pool."));
    }

    [Test]
    public async Task Classic_flow_disabled_refuses_GetOpenIdToken()
    {
        using var created = await _server.SignedCognitoAsync("CreateIdentityPool", "{\"IdentityPoolName\":\"Enhanced only\",\"AllowUnauthenticatedIdentities\":true,\"AllowClassicFlow\":false}");
        var poolId = (await AwsErrorAssert.IsSuccessAsync(created)).GetProperty("IdentityPoolId").GetString()!;
        var identityId = await NewGuestAsync(poolId);
        using var response = await _server.CognitoAsync("GetOpenIdToken", $"{{\"IdentityId\":\"{identityId}\"}}");
        var message = await AwsErrorAssert.IsJsonErrorAsync(response, "InvalidParameterException");
        Assert.That(message, Is.EqualTo("Basic (classic) flow is not enabled, please use enhanced flow."));
    }

    [Test]
    public async Task Deleted_identity_is_not_found_and_listing_pages_through_identities()
    {
        using var created = await _server.SignedCognitoAsync("CreateIdentityPool", "{\"IdentityPoolName\":\"Paged\",\"AllowUnauthenticatedIdentities\":true}");
        var poolId = (await AwsErrorAssert.IsSuccessAsync(created)).GetProperty("IdentityPoolId").GetString()!;
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await NewGuestAsync(poolId));
        }

        var listed = new List<string>();
        string? next = null;
        do
        {
            var token = next is null ? string.Empty : $",\"NextToken\":\"{next}\"";
            using var page = await _server.SignedCognitoAsync("ListIdentities", $"{{\"IdentityPoolId\":\"{poolId}\",\"MaxResults\":2{token}}}");
            var body = await AwsErrorAssert.IsSuccessAsync(page);
            listed.AddRange(body.GetProperty("Identities").EnumerateArray().Select(e => e.GetProperty("IdentityId").GetString()!));
            next = body.TryGetProperty("NextToken", out var n) ? n.GetString() : null;
        }
        while (next is not null);
        Assert.That(listed, Is.EquivalentTo(ids));

        using var deleted = await _server.SignedCognitoAsync("DeleteIdentities", $"{{\"IdentityIdsToDelete\":[\"{ids[0]}\"]}}");
        Assert.That((await AwsErrorAssert.IsSuccessAsync(deleted)).GetProperty("UnprocessedIdentityIds").GetArrayLength(), Is.Zero);
        using var described = await _server.SignedCognitoAsync("DescribeIdentity", $"{{\"IdentityId\":\"{ids[0]}\"}}");
        var message = await AwsErrorAssert.IsJsonErrorAsync(described, "ResourceNotFoundException");
        Assert.That(message, Is.EqualTo($"Identity '{ids[0]}' not found."));
    }

    private async Task<string> NewGuestAsync(string poolId)
    {
        using var response = await _server.CognitoAsync("GetId", $"{{\"IdentityPoolId\":\"{poolId}\"}}");
        return (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("IdentityId").GetString()!;
    }
}
