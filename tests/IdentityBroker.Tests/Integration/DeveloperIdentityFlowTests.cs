using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// Developer-authenticated identities end to end over HTTP: the backend's signed calls, then the app's unsigned
/// GetCredentialsForIdentity with the broker's token under <c>cognito-identity.amazonaws.com</c>.
/// </summary>
[TestFixture]
public sealed class DeveloperIdentityFlowTests
{
    private const string Developer = "login.example.app";
    private const string CognitoKey = "cognito-identity.amazonaws.com";

    private BrokerServer _server = null!;
    private string _poolId = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await BrokerServer.StartAsync();
        _poolId = _server.DemoPoolId;
        using var updated = await _server.SignedCognitoAsync("UpdateIdentityPool",
            $$"""{"IdentityPoolId":"{{_poolId}}","IdentityPoolName":"DemoPool","AllowUnauthenticatedIdentities":true,"DeveloperProviderName":"{{Developer}}"}""");
        await AwsErrorAssert.IsSuccessAsync(updated);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task The_developer_token_carries_the_identity_the_developer_amr_the_tags_and_the_duration()
    {
        var (identityId, token) = await DeveloperTokenAsync("user-claims", tokenDuration: 3600, tags: """{"team":"blue"}""");

        var jwt = new JsonWebToken(token);
        Assert.Multiple(() =>
        {
            Assert.That(jwt.Subject, Is.EqualTo(identityId));
            Assert.That(jwt.GetPayloadValue<string>("aud"), Is.EqualTo(_poolId));
            Assert.That(jwt.GetPayloadValue<List<string>>("amr"), Is.EqualTo(new[] { "authenticated", Developer, $"{Developer}:{_poolId}:user-claims" }));
            Assert.That(jwt.GetPayloadValue<long>("exp") - jwt.GetPayloadValue<long>("iat"), Is.EqualTo(3600));
            Assert.That(jwt.GetPayloadValue<JsonElement>("https://aws.amazon.com/tags").GetRawText(), Is.EqualTo("""{"principal_tags":{"team":["blue"]}}"""));
        });
    }

    [Test]
    public async Task The_default_lifetime_is_fifteen_minutes_and_the_same_user_keeps_its_identity()
    {
        var (first, token) = await DeveloperTokenAsync("user-default");
        var (second, _) = await DeveloperTokenAsync("user-default");

        var jwt = new JsonWebToken(token);
        Assert.That(jwt.GetPayloadValue<long>("exp") - jwt.GetPayloadValue<long>("iat"), Is.EqualTo(900));
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public async Task The_app_exchanges_the_token_for_credentials_under_the_cognito_key()
    {
        var (identityId, token) = await DeveloperTokenAsync("user-credentials");

        using var response = await _server.CognitoAsync("GetCredentialsForIdentity",
            JsonSerializer.Serialize(new { IdentityId = identityId, Logins = new Dictionary<string, string> { [CognitoKey] = token } }));

        var body = await AwsErrorAssert.IsSuccessAsync(response);
        Assert.That(body.GetProperty("IdentityId").GetString(), Is.EqualTo(identityId));
        Assert.That(body.GetProperty("Credentials").GetProperty("AccessKeyId").GetString(), Does.StartWith("ASIA"));
        using var described = await _server.SignedCognitoAsync("DescribeIdentity", JsonSerializer.Serialize(new { IdentityId = identityId }));
        var logins = (await AwsErrorAssert.IsSuccessAsync(described)).GetProperty("Logins").EnumerateArray().Select(e => e.GetString());
        Assert.That(logins, Is.EqualTo(new[] { Developer }), "the cognito key is never linked as a login");
    }

    [Test]
    public async Task A_token_of_another_identity_or_not_from_the_broker_is_refused()
    {
        var (identityId, _) = await DeveloperTokenAsync("user-victim");
        var (_, otherToken) = await DeveloperTokenAsync("user-attacker");

        using var foreign = await CredentialsAsync(identityId, otherToken);
        using var garbage = await CredentialsAsync(identityId, "not-a-token");

        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(foreign, "NotAuthorizedException"), Is.EqualTo($"Access to Identity '{identityId}' is forbidden."));
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(garbage, "NotAuthorizedException"), Is.EqualTo("Invalid login token. Not a Cognito token."));
    }

    [Test]
    public async Task The_developer_provider_cannot_be_used_in_GetId()
    {
        using var response = await _server.CognitoAsync("GetId",
            JsonSerializer.Serialize(new { IdentityPoolId = _poolId, Logins = new Dictionary<string, string> { [Developer] = "user-x" } }));

        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(response, "NotAuthorizedException"),
            Is.EqualTo("Token is not from a supported provider of this identity pool."));
    }

    [Test]
    public async Task Lookup_finds_either_side_and_a_mismatch_is_a_conflict()
    {
        var (identityId, _) = await DeveloperTokenAsync("user-lookup");
        var (otherId, _) = await DeveloperTokenAsync("user-lookup-other");

        var byUser = await AwsErrorAssert.IsSuccessAsync(await LookupAsync(new { IdentityPoolId = _poolId, DeveloperUserIdentifier = "user-lookup" }));
        var byId = await AwsErrorAssert.IsSuccessAsync(await LookupAsync(new { IdentityPoolId = _poolId, IdentityId = identityId, MaxResults = 10 }));
        using var mismatch = await LookupAsync(new { IdentityPoolId = _poolId, IdentityId = otherId, DeveloperUserIdentifier = "user-lookup" });

        Assert.That(byUser.GetProperty("IdentityId").GetString(), Is.EqualTo(identityId));
        Assert.That(byId.GetProperty("DeveloperUserIdentifierList")[0].GetString(), Is.EqualTo("user-lookup"));
        await AwsErrorAssert.IsJsonErrorAsync(mismatch, "ResourceConflictException");
    }

    [Test]
    public async Task Merge_moves_the_source_user_to_the_destination_identity_and_unlink_frees_it()
    {
        var (destination, _) = await DeveloperTokenAsync("user-dest");
        var (source, _) = await DeveloperTokenAsync("user-src");

        using var merged = await _server.SignedCognitoAsync("MergeDeveloperIdentities", JsonSerializer.Serialize(new
        {
            SourceUserIdentifier = "user-src", DestinationUserIdentifier = "user-dest", DeveloperProviderName = Developer, IdentityPoolId = _poolId,
        }));
        Assert.That((await AwsErrorAssert.IsSuccessAsync(merged)).GetProperty("IdentityId").GetString(), Is.EqualTo(destination));
        var (afterMerge, _) = await DeveloperTokenAsync("user-src");
        Assert.That(afterMerge, Is.EqualTo(destination));
        using var oldSource = await _server.CognitoAsync("GetOpenIdToken", JsonSerializer.Serialize(new { IdentityId = source }));
        await AwsErrorAssert.IsJsonErrorAsync(oldSource, "NotAuthorizedException");

        using var unlinked = await _server.SignedCognitoAsync("UnlinkDeveloperIdentity", JsonSerializer.Serialize(new
        {
            IdentityId = destination, IdentityPoolId = _poolId, DeveloperProviderName = Developer, DeveloperUserIdentifier = "user-src",
        }));
        await AwsErrorAssert.IsSuccessAsync(unlinked);
        var (fresh, _) = await DeveloperTokenAsync("user-src");
        Assert.That(fresh, Is.Not.EqualTo(destination).And.Not.EqualTo(source));
    }

    [Test]
    public async Task Linking_a_user_of_another_identity_is_DeveloperUserAlreadyRegistered()
    {
        var (identityId, _) = await DeveloperTokenAsync("user-owner-a");
        await DeveloperTokenAsync("user-owner-b");

        using var response = await _server.SignedCognitoAsync("GetOpenIdTokenForDeveloperIdentity", JsonSerializer.Serialize(new
        {
            IdentityPoolId = _poolId, IdentityId = identityId, Logins = new Dictionary<string, string> { [Developer] = "user-owner-b" },
        }));

        await AwsErrorAssert.IsJsonErrorAsync(response, "DeveloperUserAlreadyRegisteredException");
    }

    [Test]
    public async Task A_guest_linked_to_a_developer_user_keeps_its_id_and_becomes_authenticated()
    {
        using var guest = await _server.CognitoAsync("GetId", JsonSerializer.Serialize(new { IdentityPoolId = _poolId }));
        var guestId = (await AwsErrorAssert.IsSuccessAsync(guest)).GetProperty("IdentityId").GetString()!;

        using var response = await _server.SignedCognitoAsync("GetOpenIdTokenForDeveloperIdentity", JsonSerializer.Serialize(new
        {
            IdentityPoolId = _poolId, IdentityId = guestId, Logins = new Dictionary<string, string> { [Developer] = "user-from-guest" },
        }));

        Assert.That((await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("IdentityId").GetString(), Is.EqualTo(guestId));
        using var asGuest = await _server.CognitoAsync("GetCredentialsForIdentity", JsonSerializer.Serialize(new { IdentityId = guestId }));
        await AwsErrorAssert.IsJsonErrorAsync(asGuest, "NotAuthorizedException");
    }

    [Test]
    public async Task A_token_duration_beyond_a_day_is_a_validation_error()
    {
        using var response = await _server.SignedCognitoAsync("GetOpenIdTokenForDeveloperIdentity", JsonSerializer.Serialize(new
        {
            IdentityPoolId = _poolId, Logins = new Dictionary<string, string> { [Developer] = "user-long" }, TokenDuration = 86401,
        }));

        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(response, "ValidationException"),
            Does.Contain("Value '86401' at 'tokenDuration' failed to satisfy constraint: Member must have value less than or equal to 86400"));
    }

    private async Task<(string IdentityId, string Token)> DeveloperTokenAsync(string user, int? tokenDuration = null, string? tags = null)
    {
        var duration = tokenDuration is null ? string.Empty : $",\"TokenDuration\":{tokenDuration}";
        var principalTags = tags is null ? string.Empty : $",\"PrincipalTags\":{tags}";
        using var response = await _server.SignedCognitoAsync("GetOpenIdTokenForDeveloperIdentity",
            $$"""{"IdentityPoolId":"{{_poolId}}","Logins":{"{{Developer}}":"{{user}}"}{{duration}}{{principalTags}}}""");
        var body = await AwsErrorAssert.IsSuccessAsync(response);
        return (body.GetProperty("IdentityId").GetString()!, body.GetProperty("Token").GetString()!);
    }

    private Task<HttpResponseMessage> CredentialsAsync(string identityId, string token) =>
        _server.CognitoAsync("GetCredentialsForIdentity",
            JsonSerializer.Serialize(new { IdentityId = identityId, Logins = new Dictionary<string, string> { [CognitoKey] = token } }));

    private Task<HttpResponseMessage> LookupAsync(object request) =>
        _server.SignedCognitoAsync("LookupDeveloperIdentity", JsonSerializer.Serialize(request));
}
