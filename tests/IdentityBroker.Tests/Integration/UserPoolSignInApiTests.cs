using System.Text;
using System.Text.Json;
using IdentityBroker.Tests.UserPools.Srp;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Srp;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// The sign-in operations through the real server: InitiateAuth (USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH),
/// RespondToAuthChallenge (PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED), GetTokensFromRefreshToken, the Admin twins and
/// AdminUserGlobalSignOut, with users made by AdminCreateUser and AdminSetUserPassword.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class UserPoolSignInApiTests
{
    private const string Password = "Correct-horse-1";

    private BrokerServer _server = null!;
    private string _userPoolId = null!;
    private string _passwordClient = null!;
    private string _defaultClient = null!;

    private string PoolName => _userPoolId[(_userPoolId.IndexOf('_', StringComparison.Ordinal) + 1)..];

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await BrokerServer.StartAsync();
        using var pool = await _server.SignedUserPoolsAsync("CreateUserPool", """{"PoolName":"SignIn"}""");
        _userPoolId = (await AwsErrorAssert.IsSuccessAsync(pool)).GetProperty("UserPool").GetProperty("Id").GetString()!;
        _passwordClient = (await CreateClientAsync(
            """{"ClientName":"pw","ExplicitAuthFlows":["ALLOW_USER_PASSWORD_AUTH","ALLOW_USER_SRP_AUTH","ALLOW_REFRESH_TOKEN_AUTH","ALLOW_ADMIN_USER_PASSWORD_AUTH"]}""")).Id;
        _defaultClient = (await CreateClientAsync("""{"ClientName":"default"}""")).Id;
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task USER_PASSWORD_AUTH_answers_tokens_and_REFRESH_TOKEN_AUTH_renews_them_in_the_same_session()
    {
        var user = await CreateUserAsync();
        var result = await SucceedAsync(await InitiateAsync(_passwordClient, "USER_PASSWORD_AUTH", ("USERNAME", user), ("PASSWORD", Password)));
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("TokenType").GetString(), Is.EqualTo("Bearer"));
            Assert.That(result.GetProperty("ExpiresIn").GetInt32(), Is.EqualTo(3600));
            Assert.That(Claims(result.GetProperty("IdToken").GetString()!).GetProperty("cognito:username").GetString(), Is.EqualTo(user));
        });

        var refreshed = await SucceedAsync(await InitiateAsync(_passwordClient, "REFRESH_TOKEN_AUTH",
            ("REFRESH_TOKEN", result.GetProperty("RefreshToken").GetString()!)));
        Assert.Multiple(() =>
        {
            Assert.That(refreshed.TryGetProperty("RefreshToken", out _), Is.False);
            Assert.That(Claims(refreshed.GetProperty("AccessToken").GetString()!).GetProperty("origin_jti").GetString(),
                Is.EqualTo(Claims(result.GetProperty("AccessToken").GetString()!).GetProperty("origin_jti").GetString()));
        });

        using var viaOperation = await UnsignedAsync("GetTokensFromRefreshToken",
            Json(new { RefreshToken = result.GetProperty("RefreshToken").GetString(), ClientId = _passwordClient }));
        Assert.That((await AwsErrorAssert.IsSuccessAsync(viaOperation)).GetProperty("AuthenticationResult").GetProperty("IdToken").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task USER_SRP_AUTH_signs_in_through_PASSWORD_VERIFIER_and_its_session_is_used_once()
    {
        var user = await CreateUserAsync();
        var client = new SrpTestClient();
        var challenge = await ChallengeAsync(await InitiateAsync(_defaultClient, "USER_SRP_AUTH", ("USERNAME", user), ("SRP_A", client.SrpA)), "PASSWORD_VERIFIER");
        var answer = Answer(client, challenge, Password);

        using var signedIn = await RespondAsync(_defaultClient, "PASSWORD_VERIFIER", challenge.Session, answer);
        Assert.That(await SucceedAsync(signedIn), Is.Not.EqualTo(default(JsonElement)));

        using var replayed = await RespondAsync(_defaultClient, "PASSWORD_VERIFIER", challenge.Session, answer);
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(replayed, "NotAuthorizedException"), Is.EqualTo("Invalid session for the user, session is expired."));
    }

    [Test]
    public async Task A_wrong_SRP_proof_is_an_incorrect_password()
    {
        var user = await CreateUserAsync();
        var client = new SrpTestClient();
        var challenge = await ChallengeAsync(await InitiateAsync(_defaultClient, "USER_SRP_AUTH", ("USERNAME", user), ("SRP_A", client.SrpA)), "PASSWORD_VERIFIER");
        using var response = await RespondAsync(_defaultClient, "PASSWORD_VERIFIER", challenge.Session, Answer(client, challenge, "Wrong-password-1"));
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(response, "NotAuthorizedException"), Is.EqualTo("Incorrect username or password."));
    }

    [Test]
    public async Task An_altered_session_is_refused()
    {
        var user = await CreateUserAsync();
        var client = new SrpTestClient();
        var challenge = await ChallengeAsync(await InitiateAsync(_defaultClient, "USER_SRP_AUTH", ("USERNAME", user), ("SRP_A", client.SrpA)), "PASSWORD_VERIFIER");
        var altered = challenge.Session[..^2] + (challenge.Session[^2] == 'A' ? "B" : "A") + challenge.Session[^1];
        using var response = await RespondAsync(_defaultClient, "PASSWORD_VERIFIER", altered, Answer(client, challenge, Password));
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(response, "NotAuthorizedException"), Is.EqualTo("Invalid session for the user, session is expired."));
    }

    [Test]
    public async Task A_temporary_password_leads_to_NEW_PASSWORD_REQUIRED_and_the_new_password_confirms_the_user()
    {
        var user = "temp-" + Guid.NewGuid().ToString("N")[..8];
        using (var created = await _server.SignedUserPoolsAsync("AdminCreateUser", Json(new
        {
            UserPoolId = _userPoolId, Username = user, TemporaryPassword = "Temporary-pass-1", MessageAction = "SUPPRESS",
        })))
        {
            await AwsErrorAssert.IsSuccessAsync(created);
        }

        var challenge = await ChallengeAsync(await InitiateAsync(_passwordClient, "USER_PASSWORD_AUTH", ("USERNAME", user), ("PASSWORD", "Temporary-pass-1")),
            "NEW_PASSWORD_REQUIRED");
        Assert.That(challenge.Parameters.GetProperty("requiredAttributes").GetString(), Is.EqualTo("[]"));

        using (var weak = await RespondAsync(_passwordClient, "NEW_PASSWORD_REQUIRED", challenge.Session, new() { ["USERNAME"] = user, ["NEW_PASSWORD"] = "short" }))
        {
            await AwsErrorAssert.IsJsonErrorAsync(weak, "InvalidPasswordException");
        }

        using var answered = await RespondAsync(_passwordClient, "NEW_PASSWORD_REQUIRED", challenge.Session,
            new() { ["USERNAME"] = user, ["NEW_PASSWORD"] = "Brand-new-pass-2", ["userAttributes.name"] = "Temp User" });
        var tokens = await SucceedAsync(answered);
        Assert.That(Claims(tokens.GetProperty("IdToken").GetString()!).GetProperty("name").GetString(), Is.EqualTo("Temp User"));

        using var got = await _server.SignedUserPoolsAsync("AdminGetUser", Json(new { UserPoolId = _userPoolId, Username = user }));
        Assert.That((await AwsErrorAssert.IsSuccessAsync(got)).GetProperty("UserStatus").GetString(), Is.EqualTo("CONFIRMED"));
        using var again = await InitiateAsync(_passwordClient, "USER_PASSWORD_AUTH", ("USERNAME", user), ("PASSWORD", "Brand-new-pass-2"));
        await SucceedAsync(again);
    }

    [Test]
    public async Task A_flow_the_client_does_not_allow_is_refused_by_name()
    {
        using var response = await InitiateAsync(_defaultClient, "USER_PASSWORD_AUTH", ("USERNAME", "anyone"), ("PASSWORD", Password));
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(response, "InvalidParameterException"), Is.EqualTo("USER_PASSWORD_AUTH flow not enabled for this client"));
    }

    [Test]
    public async Task An_unknown_client_is_ResourceNotFoundException()
    {
        using var response = await InitiateAsync("a1b2c3d4e5f6g7h8i9j0k1l2m3", "USER_PASSWORD_AUTH", ("USERNAME", "anyone"), ("PASSWORD", Password));
        await AwsErrorAssert.IsJsonErrorAsync(response, "ResourceNotFoundException");
    }

    [Test]
    public async Task Unknown_users_are_named_unless_the_client_prevents_user_existence_errors()
    {
        var hiding = (await CreateClientAsync("""{"ClientName":"hide","ExplicitAuthFlows":["ALLOW_USER_PASSWORD_AUTH","ALLOW_USER_SRP_AUTH"],"PreventUserExistenceErrors":"ENABLED"}""")).Id;
        var user = await CreateUserAsync();

        using (var legacy = await InitiateAsync(_passwordClient, "USER_PASSWORD_AUTH", ("USERNAME", "nobody-here"), ("PASSWORD", Password)))
        {
            Assert.That(await AwsErrorAssert.IsJsonErrorAsync(legacy, "UserNotFoundException"), Is.EqualTo("User does not exist."));
        }

        using var unknown = await InitiateAsync(hiding, "USER_PASSWORD_AUTH", ("USERNAME", "nobody-here"), ("PASSWORD", Password));
        using var wrong = await InitiateAsync(hiding, "USER_PASSWORD_AUTH", ("USERNAME", user), ("PASSWORD", "Wrong-password-1"));
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(unknown, "NotAuthorizedException"),
            Is.EqualTo(await AwsErrorAssert.IsJsonErrorAsync(wrong, "NotAuthorizedException")));

        // SRP: an unknown name gets a challenge like anyone, with the same salt each time, and fails at the proof.
        var first = await ChallengeAsync(await InitiateAsync(hiding, "USER_SRP_AUTH", ("USERNAME", "nobody-here"), ("SRP_A", new SrpTestClient().SrpA)), "PASSWORD_VERIFIER");
        var client = new SrpTestClient();
        var second = await ChallengeAsync(await InitiateAsync(hiding, "USER_SRP_AUTH", ("USERNAME", "nobody-here"), ("SRP_A", client.SrpA)), "PASSWORD_VERIFIER");
        Assert.That(second.Parameters.GetProperty("SALT").GetString(), Is.EqualTo(first.Parameters.GetProperty("SALT").GetString()));
        using var proof = await RespondAsync(hiding, "PASSWORD_VERIFIER", second.Session, Answer(client, second, Password));
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(proof, "NotAuthorizedException"), Is.EqualTo("Incorrect username or password."));
    }

    [Test]
    public async Task A_client_with_a_secret_needs_SECRET_HASH()
    {
        var (clientId, secret) = await CreateClientAsync(
            """{"ClientName":"secret","GenerateSecret":true,"ExplicitAuthFlows":["ALLOW_USER_PASSWORD_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]}""");
        var user = await CreateUserAsync();
        using (var without = await InitiateAsync(clientId, "USER_PASSWORD_AUTH", ("USERNAME", user), ("PASSWORD", Password)))
        {
            await AwsErrorAssert.IsJsonErrorAsync(without, "NotAuthorizedException");
        }

        var tokens = await SucceedAsync(await InitiateAsync(clientId, "USER_PASSWORD_AUTH", ("USERNAME", user), ("PASSWORD", Password),
            ("SECRET_HASH", SecretHash.Compute(secret!, user, clientId))));
        var refreshed = await SucceedAsync(await InitiateAsync(clientId, "REFRESH_TOKEN_AUTH",
            ("REFRESH_TOKEN", tokens.GetProperty("RefreshToken").GetString()!), ("SECRET_HASH", SecretHash.Compute(secret!, user, clientId))));
        Assert.That(refreshed.GetProperty("AccessToken").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task AdminInitiateAuth_signs_in_and_AdminUserGlobalSignOut_ends_every_session()
    {
        var user = await CreateUserAsync();
        using var signedIn = await _server.SignedUserPoolsAsync("AdminInitiateAuth", Json(new
        {
            UserPoolId = _userPoolId, ClientId = _passwordClient, AuthFlow = "ADMIN_USER_PASSWORD_AUTH",
            AuthParameters = new Dictionary<string, string> { ["USERNAME"] = user, ["PASSWORD"] = Password },
        }));
        var refreshToken = (await AwsErrorAssert.IsSuccessAsync(signedIn)).GetProperty("AuthenticationResult").GetProperty("RefreshToken").GetString()!;

        using (var signOut = await _server.SignedUserPoolsAsync("AdminUserGlobalSignOut", Json(new { UserPoolId = _userPoolId, Username = user })))
        {
            await AwsErrorAssert.IsSuccessAsync(signOut);
        }

        using var refresh = await InitiateAsync(_passwordClient, "REFRESH_TOKEN_AUTH", ("REFRESH_TOKEN", refreshToken));
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(refresh, "NotAuthorizedException"), Is.EqualTo("Refresh Token has been revoked"));
    }

    [Test]
    public async Task ADMIN_USER_PASSWORD_AUTH_is_not_a_flow_of_the_public_InitiateAuth()
    {
        using var response = await InitiateAsync(_passwordClient, "ADMIN_USER_PASSWORD_AUTH", ("USERNAME", "anyone"), ("PASSWORD", Password));
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(response, "InvalidParameterException"), Is.EqualTo("Initiate Auth method not supported."));
    }

    [Test]
    public async Task A_disabled_user_cannot_sign_in_nor_refresh()
    {
        var user = await CreateUserAsync();
        var tokens = await SucceedAsync(await InitiateAsync(_passwordClient, "USER_PASSWORD_AUTH", ("USERNAME", user), ("PASSWORD", Password)));
        using (var disabled = await _server.SignedUserPoolsAsync("AdminDisableUser", Json(new { UserPoolId = _userPoolId, Username = user })))
        {
            await AwsErrorAssert.IsSuccessAsync(disabled);
        }

        using var signIn = await InitiateAsync(_passwordClient, "USER_PASSWORD_AUTH", ("USERNAME", user), ("PASSWORD", Password));
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(signIn, "NotAuthorizedException"), Is.EqualTo("User is disabled."));
        using var refresh = await InitiateAsync(_passwordClient, "REFRESH_TOKEN_AUTH", ("REFRESH_TOKEN", tokens.GetProperty("RefreshToken").GetString()!));
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(refresh, "NotAuthorizedException"), Is.EqualTo("User is disabled."));
    }

    [Test]
    public async Task Missing_parameters_and_bad_input_get_AWS_errors_not_500s()
    {
        using (var noUser = await InitiateAsync(_passwordClient, "USER_PASSWORD_AUTH", ("PASSWORD", Password)))
        {
            Assert.That(await AwsErrorAssert.IsJsonErrorAsync(noUser, "InvalidParameterException"), Is.EqualTo("Missing required parameter USERNAME"));
        }

        using (var badA = await InitiateAsync(_defaultClient, "USER_SRP_AUTH", ("USERNAME", await CreateUserAsync()), ("SRP_A", "not-hex")))
        {
            await AwsErrorAssert.IsJsonErrorAsync(badA, "InvalidParameterException");
        }

        using (var badFlow = await UnsignedAsync("InitiateAuth", Json(new { ClientId = _passwordClient, AuthFlow = "NOPE" })))
        {
            await AwsErrorAssert.IsJsonErrorAsync(badFlow, "ValidationException");
        }

        using var noSession = await RespondAsync(_defaultClient, "PASSWORD_VERIFIER", null, new() { ["USERNAME"] = "x" });
        await AwsErrorAssert.IsJsonErrorAsync(noSession, "NotAuthorizedException");
    }

    private async Task<(string Id, string? Secret)> CreateClientAsync(string settings)
    {
        using var response = await _server.SignedUserPoolsAsync("CreateUserPoolClient", settings.Insert(1, $"\"UserPoolId\":\"{_userPoolId}\","));
        var client = (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("UserPoolClient");
        return (client.GetProperty("ClientId").GetString()!, client.TryGetProperty("ClientSecret", out var s) ? s.GetString() : null);
    }

    private async Task<string> CreateUserAsync()
    {
        var user = "user-" + Guid.NewGuid().ToString("N")[..10];
        using (var created = await _server.SignedUserPoolsAsync("AdminCreateUser", Json(new
        {
            UserPoolId = _userPoolId, Username = user, MessageAction = "SUPPRESS",
            UserAttributes = new[] { new { Name = "email", Value = user + "@example.com" } },
        })))
        {
            await AwsErrorAssert.IsSuccessAsync(created);
        }

        using var set = await _server.SignedUserPoolsAsync("AdminSetUserPassword", Json(new { UserPoolId = _userPoolId, Username = user, Password, Permanent = true }));
        await AwsErrorAssert.IsSuccessAsync(set);
        return user;
    }

    private Task<HttpResponseMessage> InitiateAsync(string clientId, string flow, params (string Name, string Value)[] parameters) =>
        UnsignedAsync("InitiateAuth", Json(new { ClientId = clientId, AuthFlow = flow, AuthParameters = parameters.ToDictionary(p => p.Name, p => p.Value) }));

    private Task<HttpResponseMessage> RespondAsync(string clientId, string challenge, string? session, Dictionary<string, string> responses) =>
        UnsignedAsync("RespondToAuthChallenge", Json(new { ClientId = clientId, ChallengeName = challenge, Session = session, ChallengeResponses = responses }));

    private Task<HttpResponseMessage> UnsignedAsync(string operation, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation);
        return _server.Http.SendAsync(request);
    }

    private static async Task<JsonElement> SucceedAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await AwsErrorAssert.IsSuccessAsync(response);
            Assert.That(body.TryGetProperty("ChallengeName", out _), Is.False, body.ToString());
            return body.GetProperty("AuthenticationResult");
        }
    }

    private static async Task<(string Session, JsonElement Parameters)> ChallengeAsync(HttpResponseMessage response, string name)
    {
        using (response)
        {
            var body = await AwsErrorAssert.IsSuccessAsync(response);
            Assert.That(body.GetProperty("ChallengeName").GetString(), Is.EqualTo(name), body.ToString());
            return (body.GetProperty("Session").GetString()!, body.GetProperty("ChallengeParameters"));
        }
    }

    private Dictionary<string, string> Answer(SrpTestClient client, (string Session, JsonElement Parameters) challenge, string password)
    {
        var p = challenge.Parameters;
        var userId = p.GetProperty("USER_ID_FOR_SRP").GetString()!;
        var key = client.SessionKey(PoolName, userId, password, p.GetProperty("SRP_B").GetString()!, p.GetProperty("SALT").GetString()!);
        var timestamp = CognitoTimestamp.ToText(DateTimeOffset.UtcNow);
        var block = p.GetProperty("SECRET_BLOCK").GetString()!;
        var signature = SrpServer.Signature(key, PoolName, userId, Convert.FromBase64String(block), timestamp);
        return new()
        {
            ["USERNAME"] = userId, ["PASSWORD_CLAIM_SECRET_BLOCK"] = block, ["TIMESTAMP"] = timestamp,
            ["PASSWORD_CLAIM_SIGNATURE"] = Convert.ToBase64String(signature),
        };
    }

    private static JsonElement Claims(string jwt)
    {
        var payload = jwt.Split('.')[1];
        var padded = payload.Replace('-', '+').Replace('_', '/').PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        return JsonDocument.Parse(Convert.FromBase64String(padded)).RootElement.Clone();
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
