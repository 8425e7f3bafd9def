using System.Net;
using System.Text;
using System.Text.Json;
using IdentityBroker.Storage;
using IdentityBroker.Tests.UserPools.Tokens;
using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Sessions;
using IdentityBroker.UserPools.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// A broker user pool's tokens through the real server: its discovery document and JWKS, RevokeToken and GlobalSignOut,
/// and its ID token turned into identity-pool credentials of the user's preferred group role. Sign-in is not served yet, so
/// the test host mints the tokens with the broker's own issuer (in process) and presents them over HTTP.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class UserPoolTokensApiTests
{
    private const string Account = "000000000000";

    private BrokerServer _server = null!;
    private string _userPoolId = null!;
    private string _clientId = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await BrokerServer.StartAsync();
        using var pool = await _server.SignedUserPoolsAsync("CreateUserPool", """{"PoolName":"Tokens"}""");
        _userPoolId = (await AwsErrorAssert.IsSuccessAsync(pool)).GetProperty("UserPool").GetProperty("Id").GetString()!;
        _clientId = await CreateClientAsync("""{"ClientName":"web"}""");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private string Issuer => _server.BaseAddress.ToString().TrimEnd('/') + "/" + _userPoolId;

    private string ProviderName => _server.BaseAddress.Authority + "/" + _userPoolId;

    private static string Role(string name) => $"arn:aws:iam::{Account}:role/{name}";

    private async Task<string> CreateClientAsync(string settings)
    {
        var json = settings.Insert(1, $"\"UserPoolId\":\"{_userPoolId}\",");
        using var client = await _server.SignedUserPoolsAsync("CreateUserPoolClient", json);
        return (await AwsErrorAssert.IsSuccessAsync(client)).GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!;
    }

    /// <summary>What a sign-in of the next slice will do: start a session through the broker's own issuer.</summary>
    private async Task<UserPoolTokens> SignInAsync(string sub, string? clientId = null, GroupClaims? groups = null)
    {
        var store = _server.Services.GetRequiredService<IUserPoolStore>();
        var client = (await store.GetClientAsync(_userPoolId, clientId ?? _clientId, CancellationToken.None))!;
        var grant = new TokenGrant(client, sub, sub + "-name", new Dictionary<string, string> { ["email"] = sub + "@example.com", ["email_verified"] = "true" },
            groups ?? GroupClaims.None, DateTimeOffset.UtcNow);
        return await _server.Services.GetRequiredService<UserPoolSessions>().StartAsync(grant, CancellationToken.None);
    }

    private Task<HttpResponseMessage> UnsignedUserPoolsAsync(string operation, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation);
        return _server.Http.SendAsync(request);
    }

    private Task<HttpResponseMessage> GlobalSignOutAsync(string accessToken) =>
        UnsignedUserPoolsAsync("GlobalSignOut", $$"""{"AccessToken":"{{accessToken}}"}""");

    [Test]
    public async Task The_pool_publishes_its_issuer_and_a_JWKS_that_verifies_its_tokens()
    {
        var tokens = await SignInAsync("discovery-user");
        var configuration = JsonDocument.Parse(await _server.Http.GetStringAsync($"/{_userPoolId}/.well-known/openid-configuration")).RootElement;
        using var jwksResponse = await _server.Http.GetAsync($"/{_userPoolId}/.well-known/jwks.json");
        var jwks = new JsonWebKeySet(await jwksResponse.Content.ReadAsStringAsync());
        var validation = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = _clientId,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        };
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(tokens.IdToken, validation);

        Assert.Multiple(() =>
        {
            Assert.That(configuration.GetProperty("issuer").GetString(), Is.EqualTo(Issuer));
            Assert.That(configuration.GetProperty("jwks_uri").GetString(), Is.EqualTo(Issuer + "/.well-known/jwks.json"));
            Assert.That(configuration.GetProperty("id_token_signing_alg_values_supported")[0].GetString(), Is.EqualTo("RS256"));
            Assert.That(jwksResponse.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(jwks.Keys.Single().Alg, Is.EqualTo("RS256"));
            Assert.That(result.IsValid, Is.True, result.Exception?.Message);
        });
    }

    [TestCase("us-east-1_NoSuchPool")]
    [TestCase("not-a-pool-id")]
    public async Task An_unknown_pool_has_no_discovery_document_nor_keys(string userPoolId)
    {
        using var configuration = await _server.Http.GetAsync($"/{userPoolId}/.well-known/openid-configuration");
        using var jwks = await _server.Http.GetAsync($"/{userPoolId}/.well-known/jwks.json");

        Assert.Multiple(async () =>
        {
            Assert.That(configuration.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(jwks.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(JsonDocument.Parse(await jwks.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString(), Does.Contain("does not exist"));
        });
    }

    [Test]
    public async Task GlobalSignOut_with_the_access_token_revokes_every_session_of_the_user_only()
    {
        var first = await SignInAsync("global-user");
        var second = await SignInAsync("global-user");
        var other = await SignInAsync("someone-else");

        using var signOut = await GlobalSignOutAsync(first.AccessToken);
        await AwsErrorAssert.IsSuccessAsync(signOut);
        using var again = await GlobalSignOutAsync(second.AccessToken);
        using var others = await GlobalSignOutAsync(other.AccessToken);

        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(again, "NotAuthorizedException"), Is.EqualTo("Access Token has been revoked"));
        await AwsErrorAssert.IsSuccessAsync(others);
    }

    [TestCase("""{"AccessToken":"not.a.token"}""", "NotAuthorizedException")]
    [TestCase("""{"AccessToken":"has spaces"}""", "ValidationException")]
    [TestCase("""{}""", "ValidationException")]
    public async Task GlobalSignOut_refuses_what_is_not_a_live_access_token(string body, string error)
    {
        using var response = await UnsignedUserPoolsAsync("GlobalSignOut", body);

        var message = await AwsErrorAssert.IsJsonErrorAsync(response, error);
        Assert.That(message, Does.Not.Contain("has spaces"), "the token is sensitive and never echoed");
    }

    [Test]
    public async Task RevokeToken_revokes_the_session_of_the_refresh_token_and_its_access_tokens()
    {
        var revoked = await SignInAsync("revoke-user");
        var kept = await SignInAsync("revoke-user");

        using var response = await UnsignedUserPoolsAsync("RevokeToken", $$"""{"Token":"{{revoked.RefreshToken}}","ClientId":"{{_clientId}}"}""");
        await AwsErrorAssert.IsSuccessAsync(response);
        using var revokedCall = await GlobalSignOutAsync(revoked.AccessToken);
        var client = (await _server.Services.GetRequiredService<IUserPoolStore>().GetClientAsync(_userPoolId, _clientId, CancellationToken.None))!;
        var redeemed = await _server.Services.GetRequiredService<UserPoolSessions>().RedeemAsync(client, kept.RefreshToken!, CancellationToken.None);

        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(revokedCall, "NotAuthorizedException"), Is.EqualTo("Access Token has been revoked"));
        Assert.That(redeemed.IsSuccess, Is.True, "the user's other session is untouched");
    }

    [Test]
    public async Task RevokeToken_answers_Cognitos_errors_for_an_access_token_a_disabled_client_and_a_missing_secret()
    {
        var tokens = await SignInAsync("revoke-errors");
        var noRevocation = await CreateClientAsync("""{"ClientName":"norevoke","EnableTokenRevocation":false}""");
        var withSecret = await CreateClientAsync("""{"ClientName":"secret","GenerateSecret":true}""");
        var secretTokens = await SignInAsync("revoke-errors", withSecret);

        using var accessToken = await UnsignedUserPoolsAsync("RevokeToken", $$"""{"Token":"{{tokens.AccessToken}}","ClientId":"{{_clientId}}"}""");
        using var disabled = await UnsignedUserPoolsAsync("RevokeToken", $$"""{"Token":"{{tokens.RefreshToken}}","ClientId":"{{noRevocation}}"}""");
        using var noSecret = await UnsignedUserPoolsAsync("RevokeToken", $$"""{"Token":"{{secretTokens.RefreshToken}}","ClientId":"{{withSecret}}"}""");

        await AwsErrorAssert.IsJsonErrorAsync(accessToken, "UnsupportedTokenTypeException");
        await AwsErrorAssert.IsJsonErrorAsync(disabled, "UnsupportedOperationException");
        await AwsErrorAssert.IsJsonErrorAsync(noSecret, "NotAuthorizedException");
    }

    [Test]
    public async Task An_id_token_of_the_pool_gets_identity_pool_credentials_of_the_users_preferred_group_role_until_sign_out()
    {
        var identityPoolId = await CreatePairedIdentityPoolAsync("Token", serverSideTokenCheck: true);
        var tokens = await SignInAsync("paired-user", groups:
            UserPoolTokenKit.Groups(("readers", Role("UpReadersToken"), 10), ("admins", Role("UpAdminsToken"), 1)));

        var role = await AssumedRoleAsync(identityPoolId, tokens.IdToken);
        using var signOut = await GlobalSignOutAsync(tokens.AccessToken);
        await AwsErrorAssert.IsSuccessAsync(signOut);
        using var afterSignOut = await _server.CognitoAsync("GetId",
            $$$"""{"IdentityPoolId":"{{{identityPoolId}}}","Logins":{"{{{ProviderName}}}":"{{{tokens.IdToken}}}"}}""");

        Assert.That(role, Is.EqualTo("UpAdminsToken"), "cognito:preferred_role: the lowest Precedence with a role");
        await AwsErrorAssert.IsJsonErrorAsync(afterSignOut, "NotAuthorizedException");
    }

    [Test]
    public async Task Rules_mapping_on_cognito_groups_picks_the_groups_role()
    {
        var identityPoolId = await CreatePairedIdentityPoolAsync("Rules", serverSideTokenCheck: false);
        var tokens = await SignInAsync("rules-user", groups: UserPoolTokenKit.Groups(("readers", null, 3)));

        Assert.That(await AssumedRoleAsync(identityPoolId, tokens.IdToken), Is.EqualTo("UpReadersRules"));
    }

    private async Task<string> CreatePairedIdentityPoolAsync(string mapping, bool serverSideTokenCheck)
    {
        using var created = await _server.SignedCognitoAsync("CreateIdentityPool", $$"""
            {"IdentityPoolName":"Paired{{mapping}}","AllowUnauthenticatedIdentities":false,
             "CognitoIdentityProviders":[{"ProviderName":"{{ProviderName}}","ClientId":"{{_clientId}}","ServerSideTokenCheck":{{(serverSideTokenCheck ? "true" : "false")}}}]}
            """);
        var identityPoolId = (await AwsErrorAssert.IsSuccessAsync(created)).GetProperty("IdentityPoolId").GetString()!;
        foreach (var name in new[] { "UpDefault", "UpAdmins", "UpReaders" })
        {
            await CreateRoleAsync(name + mapping, identityPoolId);
        }

        var rules = mapping == "Rules"
            ? $$""","RulesConfiguration":{"Rules":[{"Claim":"cognito:groups","MatchType":"Contains","Value":"readers","RoleARN":"{{Role("UpReadersRules")}}"}]}"""
            : string.Empty;
        using var roles = await _server.SignedCognitoAsync("SetIdentityPoolRoles", $$$$"""
            {"IdentityPoolId":"{{{{identityPoolId}}}}","Roles":{"authenticated":"{{{{Role("UpDefault" + mapping)}}}}"},
             "RoleMappings":{"{{{{ProviderName}}}}:{{{{_clientId}}}}":{"Type":"{{{{mapping}}}}","AmbiguousRoleResolution":"Deny"{{{{rules}}}}}}}
            """);
        await AwsErrorAssert.IsSuccessAsync(roles);
        return identityPoolId;
    }

    private async Task CreateRoleAsync(string name, string identityPoolId)
    {
        var trust = $$$$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},
            "Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"{{{{identityPoolId}}}}"}}}]}
            """;
        using var response = await _server.SignedQueryAsync("iam",
            $"Action=CreateRole&Version=2010-05-08&RoleName={name}&AssumeRolePolicyDocument={Uri.EscapeDataString(trust)}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    /// <summary>GetId then GetCredentialsForIdentity with the ID token, then GetCallerIdentity: the role name the credentials carry.</summary>
    private async Task<string> AssumedRoleAsync(string identityPoolId, string idToken)
    {
        var logins = $$"""{"{{ProviderName}}":"{{idToken}}"}""";
        using var getId = await _server.CognitoAsync("GetId", $$"""{"IdentityPoolId":"{{identityPoolId}}","Logins":{{logins}}}""");
        var identityId = (await AwsErrorAssert.IsSuccessAsync(getId)).GetProperty("IdentityId").GetString()!;
        using var credentials = await _server.CognitoAsync("GetCredentialsForIdentity", $$"""{"IdentityId":"{{identityId}}","Logins":{{logins}}}""");
        var issued = (await AwsErrorAssert.IsSuccessAsync(credentials)).GetProperty("Credentials");
        var key = new SigningKey(issued.GetProperty("AccessKeyId").GetString()!, issued.GetProperty("SecretKey").GetString()!,
            issued.GetProperty("SessionToken").GetString());
        using var caller = await _server.SignedQueryAsync("sts", "Action=GetCallerIdentity&Version=2011-06-15", key);
        var body = await caller.Content.ReadAsStringAsync();
        Assert.That(caller.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return System.Text.RegularExpressions.Regex.Match(body, "assumed-role/([^/]+)/").Groups[1].Value;
    }
}
