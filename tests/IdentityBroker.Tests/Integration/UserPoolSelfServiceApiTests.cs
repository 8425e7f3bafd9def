using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Sessions;
using IdentityBroker.UserPools.Tokens;
using IdentityBroker.UserPools.Users;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// Sign-up, confirmation, password reset, the user's own operations and compromised-password blocking
/// (docs/user-pools.md, "Sign-up and verification", "Password reset", "Compromised passwords") over HTTP. Codes are read
/// from the dev outbox through the signed admin API, as an operator would.
/// </summary>
[TestFixture]
public sealed partial class UserPoolSelfServiceApiTests
{
    private const string Strong = "Str0ng!Passw0rd-Longer";
    private const string Breached = "Passw0rd!Breached";
    private BrokerServer _server = null!;
    private string _breachFile = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // A Pwned Passwords file of one entry ("HASH:COUNT", sorted): the breached password.
        _breachFile = Path.Combine(Path.GetTempPath(), "pwned-" + Guid.NewGuid().ToString("N") + ".txt");
#pragma warning disable CA5350 // Pwned Passwords is keyed by SHA-1.
        await File.WriteAllTextAsync(_breachFile, Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(Breached))) + ":42\n");
#pragma warning restore CA5350
        _server = await BrokerServer.StartAsync(new Dictionary<string, string?> { ["Broker:UserPools:CompromisedPasswords:File"] = _breachFile });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _server.DisposeAsync();
        File.Delete(_breachFile);
    }

    private async Task<JsonElement> SignedAsync(string operation, string json)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, json);
        return await AwsErrorAssert.IsSuccessAsync(response);
    }

    private async Task<HttpResponseMessage> UnsignedAsync(string operation, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation);
        return await _server.Http.SendAsync(request);
    }

    private async Task<JsonElement> CallAsync(string operation, string json)
    {
        using var response = await UnsignedAsync(operation, json);
        return await AwsErrorAssert.IsSuccessAsync(response);
    }

    private async Task<string> ErrorAsync(string operation, string json, string type)
    {
        using var response = await UnsignedAsync(operation, json);
        return await AwsErrorAssert.IsJsonErrorAsync(response, type);
    }

    private async Task<(string Pool, string Client)> PoolAsync(string poolSettings = ""","AutoVerifiedAttributes":["email"]""", string clientSettings = "")
    {
        var pool = (await SignedAsync("CreateUserPool", $$"""{"PoolName":"self"{{poolSettings}}}""")).GetProperty("UserPool").GetProperty("Id").GetString()!;
        var client = (await SignedAsync("CreateUserPoolClient", $$"""{"UserPoolId":"{{pool}}","ClientName":"app"{{clientSettings}}}"""))
            .GetProperty("UserPoolClient");
        return (pool, client.GetProperty("ClientId").GetString()!);
    }

    private Task<JsonElement> SignUpAsync(string client, string username, string email = "alice@example.com", string password = Strong) =>
        CallAsync("SignUp", $$"""{"ClientId":"{{client}}","Username":"{{username}}","Password":"{{password}}","UserAttributes":[{"Name":"email","Value":"{{email}}"}]}""");

    /// <summary>The latest code sent to the user, read from the dev outbox through the signed admin API.</summary>
    private async Task<string> LatestCodeAsync(string pool, string username)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/admin/api/userpools/{pool}/outbox?username={Uri.EscapeDataString(username)}")
        {
            Content = new ByteArrayContent([]),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        using var response = await _server.Http.SendAsync(_server.Sign(request, "execute-api", string.Empty,
            new SigningKey(BrokerServer.AccessKeyId, BrokerServer.Secret, null)));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        var latest = JsonDocument.Parse(body).RootElement.GetProperty("Messages").EnumerateArray().First().GetProperty("Body").GetString()!;
        return Digits().Match(latest).Value;
    }

    private int OutboxCount(string pool) =>
        _server.Services.GetRequiredService<IdentityBroker.Server.Messages.DevOutbox>().Read(pool, null).Count;

    private async Task<PoolUser> UserAsync(string pool, string username)
    {
        var store = _server.Services.GetRequiredService<IUserPoolStore>();
        var found = await _server.Services.GetRequiredService<UserLookup>()
            .FindAsync((await store.GetUserPoolAsync(pool, CancellationToken.None))!, username, CancellationToken.None);
        return found!;
    }

    /// <summary>What the sign-in flows will do (another slice): start a session for the user and return its access token.</summary>
    private async Task<string> AccessTokenAsync(string pool, string client, string username)
    {
        var user = await UserAsync(pool, username);
        var stored = (await _server.Services.GetRequiredService<IUserPoolStore>().GetClientAsync(pool, client, CancellationToken.None))!;
        var grant = new TokenGrant(stored, user.Sub, user.Username, user.Attributes, GroupClaims.None, DateTimeOffset.UtcNow);
        return (await _server.Services.GetRequiredService<UserPoolSessions>().StartAsync(grant, CancellationToken.None)).AccessToken;
    }

    private bool PasswordIs(PoolUser user, string password) =>
        _server.Services.GetRequiredService<PasswordHashes>().Verify(user.Password!.Hash, password) != PasswordCheck.Mismatch;

    private static string? Attribute(JsonElement attributes, string name) => attributes.EnumerateArray()
        .Where(a => a.GetProperty("Name").GetString() == name).Select(a => a.GetProperty("Value").GetString()).FirstOrDefault();

    [Test]
    public async Task SignUp_makes_an_unconfirmed_user_and_sends_a_code_that_ConfirmSignUp_accepts_once()
    {
        var (pool, client) = await PoolAsync();

        var signedUp = await SignUpAsync(client, "alice");
        var details = signedUp.GetProperty("CodeDeliveryDetails");
        var unconfirmed = await UserAsync(pool, "alice");
        var code = await LatestCodeAsync(pool, "alice");
        var wrong = code == "000000" ? "111111" : "000000";
        await ErrorAsync("ConfirmSignUp", $$"""{"ClientId":"{{client}}","Username":"alice","ConfirmationCode":"{{wrong}}"}""", "CodeMismatchException");
        await CallAsync("ConfirmSignUp", $$"""{"ClientId":"{{client}}","Username":"alice","ConfirmationCode":"{{code}}"}""");
        var again = await ErrorAsync("ConfirmSignUp", $$"""{"ClientId":"{{client}}","Username":"alice","ConfirmationCode":"{{code}}"}""",
            "NotAuthorizedException");
        var confirmed = await UserAsync(pool, "alice");

        Assert.Multiple(() =>
        {
            Assert.That(signedUp.GetProperty("UserConfirmed").GetBoolean(), Is.False);
            Assert.That(signedUp.GetProperty("UserSub").GetString(), Is.EqualTo(unconfirmed.Sub));
            Assert.That(details.GetProperty("Destination").GetString(), Is.EqualTo("a***@e***.com"));
            Assert.That(details.GetProperty("DeliveryMedium").GetString(), Is.EqualTo("EMAIL"));
            Assert.That(details.GetProperty("AttributeName").GetString(), Is.EqualTo("email"));
            Assert.That(unconfirmed.UserStatus, Is.EqualTo("UNCONFIRMED"));
            Assert.That(PasswordIs(unconfirmed, Strong), Is.True);
            Assert.That(confirmed.UserStatus, Is.EqualTo("CONFIRMED"));
            Assert.That(confirmed.IsVerified("email"), Is.True, "the attribute the code went to is verified");
            Assert.That(again, Is.EqualTo("User cannot be confirmed. Current status is CONFIRMED"));
        });
    }

    [Test]
    public async Task SignUp_refuses_a_weak_password_a_taken_username_an_unknown_client_and_a_missing_secret_hash()
    {
        var (pool, client) = await PoolAsync();
        var secretClient = (await SignedAsync("CreateUserPoolClient", $$"""{"UserPoolId":"{{pool}}","ClientName":"server","GenerateSecret":true}"""))
            .GetProperty("UserPoolClient");
        var secretId = secretClient.GetProperty("ClientId").GetString()!;
        var secret = secretClient.GetProperty("ClientSecret").GetString()!;
        await SignUpAsync(client, "bob", "bob@example.com");

        var weak = await ErrorAsync("SignUp", $$"""{"ClientId":"{{client}}","Username":"carol","Password":"weakpassword"}""", "InvalidPasswordException");
        var taken = await ErrorAsync("SignUp", $$"""{"ClientId":"{{client}}","Username":"bob","Password":"{{Strong}}"}""", "UsernameExistsException");
        await ErrorAsync("SignUp", $$"""{"ClientId":"nosuchclient0000000000000","Username":"dan","Password":"{{Strong}}"}""", "ResourceNotFoundException");
        var noHash = await ErrorAsync("SignUp", $$"""{"ClientId":"{{secretId}}","Username":"erin","Password":"{{Strong}}"}""", "NotAuthorizedException");
        var hash = SecretHash.Compute(secret, "erin", secretId);
        await CallAsync("SignUp", $$"""{"ClientId":"{{secretId}}","SecretHash":"{{hash}}","Username":"erin","Password":"{{Strong}}"}""");

        Assert.Multiple(() =>
        {
            Assert.That(weak, Does.StartWith("Password did not conform with policy: "));
            Assert.That(taken, Is.EqualTo("User account already exists"));
            Assert.That(noHash, Does.Contain("configured for secret but secret was not received"));
        });
        Assert.That(await _server.Services.GetRequiredService<IUserStore>().GetUserAsync(pool, (await UserAsync(pool, "erin")).Sub, CancellationToken.None),
            Is.Not.Null);
    }

    [Test]
    public async Task Without_AutoVerifiedAttributes_SignUp_sends_no_code_and_the_user_waits_for_AdminConfirmSignUp()
    {
        var (pool, client) = await PoolAsync(poolSettings: "");

        var signedUp = await SignUpAsync(client, "quiet");
        await SignedAsync("AdminConfirmSignUp", $$"""{"UserPoolId":"{{pool}}","Username":"quiet"}""");

        Assert.Multiple(() =>
        {
            Assert.That(signedUp.TryGetProperty("CodeDeliveryDetails", out _), Is.False);
            Assert.That(OutboxCount(pool), Is.Zero);
        });
        Assert.That((await UserAsync(pool, "quiet")).UserStatus, Is.EqualTo("CONFIRMED"));
    }

    [Test]
    public async Task ResendConfirmationCode_replaces_the_code_and_refuses_a_confirmed_user()
    {
        var (pool, client) = await PoolAsync();
        await SignUpAsync(client, "resend");
        var first = await LatestCodeAsync(pool, "resend");

        var resent = await CallAsync("ResendConfirmationCode", $$"""{"ClientId":"{{client}}","Username":"resend"}""");
        var second = await LatestCodeAsync(pool, "resend");
        if (first != second)
        {
            await ErrorAsync("ConfirmSignUp", $$"""{"ClientId":"{{client}}","Username":"resend","ConfirmationCode":"{{first}}"}""", "CodeMismatchException");
        }

        await CallAsync("ConfirmSignUp", $$"""{"ClientId":"{{client}}","Username":"resend","ConfirmationCode":"{{second}}"}""");
        await ErrorAsync("ResendConfirmationCode", $$"""{"ClientId":"{{client}}","Username":"resend"}""", "InvalidParameterException");

        Assert.That(resent.GetProperty("CodeDeliveryDetails").GetProperty("Destination").GetString(), Is.EqualTo("a***@e***.com"));
    }

    [Test]
    public async Task Five_wrong_codes_exhaust_ConfirmSignUp_with_TooManyFailedAttempts_and_ConfirmForgotPassword_with_LimitExceeded()
    {
        var (pool, client) = await PoolAsync();
        await SignUpAsync(client, "guesser", "guesser@example.org");
        var code = await LatestCodeAsync(pool, "guesser");
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
        {
            await ErrorAsync("ConfirmSignUp", $$"""{"ClientId":"{{client}}","Username":"guesser","ConfirmationCode":"{{wrong}}"}""", "CodeMismatchException");
        }

        await ErrorAsync("ConfirmSignUp", $$"""{"ClientId":"{{client}}","Username":"guesser","ConfirmationCode":"{{code}}"}""", "TooManyFailedAttemptsException");
        await CallAsync("ResendConfirmationCode", $$"""{"ClientId":"{{client}}","Username":"guesser"}""");
        await CallAsync("ConfirmSignUp",
            $$"""{"ClientId":"{{client}}","Username":"guesser","ConfirmationCode":"{{await LatestCodeAsync(pool, "guesser")}}"}""");

        await CallAsync("ForgotPassword", $$"""{"ClientId":"{{client}}","Username":"guesser"}""");
        var reset = await LatestCodeAsync(pool, "guesser");
        var wrongReset = reset == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
        {
            await ErrorAsync("ConfirmForgotPassword",
                $$"""{"ClientId":"{{client}}","Username":"guesser","ConfirmationCode":"{{wrongReset}}","Password":"An0ther!Passw0rd-Longer"}""", "CodeMismatchException");
        }

        var limit = await ErrorAsync("ConfirmForgotPassword",
            $$"""{"ClientId":"{{client}}","Username":"guesser","ConfirmationCode":"{{reset}}","Password":"An0ther!Passw0rd-Longer"}""", "LimitExceededException");
        Assert.That(limit, Is.EqualTo("Attempt limit exceeded, please try after some time."));
    }

    [Test]
    public async Task ForgotPassword_needs_a_verified_address_and_ConfirmForgotPassword_sets_the_new_password()
    {
        var (pool, client) = await PoolAsync();
        await SignUpAsync(client, "forgetful", "forgetful@example.org");
        var none = await ErrorAsync("ForgotPassword", $$"""{"ClientId":"{{client}}","Username":"forgetful"}""", "InvalidParameterException");
        await CallAsync("ConfirmSignUp",
            $$"""{"ClientId":"{{client}}","Username":"forgetful","ConfirmationCode":"{{await LatestCodeAsync(pool, "forgetful")}}"}""");

        var sent = await CallAsync("ForgotPassword", $$"""{"ClientId":"{{client}}","Username":"forgetful"}""");
        var code = await LatestCodeAsync(pool, "forgetful");
        const string Next = "An0ther!Passw0rd-Longer";
        await ErrorAsync("ConfirmForgotPassword",
            $$"""{"ClientId":"{{client}}","Username":"forgetful","ConfirmationCode":"{{code}}","Password":"weak"}""", "InvalidPasswordException");
        await CallAsync("ConfirmForgotPassword",
            $$"""{"ClientId":"{{client}}","Username":"forgetful","ConfirmationCode":"{{code}}","Password":"{{Next}}"}""");
        await ErrorAsync("ConfirmForgotPassword",
            $$"""{"ClientId":"{{client}}","Username":"forgetful","ConfirmationCode":"{{code}}","Password":"{{Next}}x"}""", "ExpiredCodeException");
        var user = await UserAsync(pool, "forgetful");

        Assert.Multiple(() =>
        {
            Assert.That(none, Is.EqualTo("Cannot reset password for the user as there is no registered/verified email or phone_number"));
            Assert.That(sent.GetProperty("CodeDeliveryDetails").GetProperty("Destination").GetString(), Is.EqualTo("f***@e***.org"));
            Assert.That(PasswordIs(user, Next), Is.True);
            Assert.That(PasswordIs(user, Strong), Is.False);
            Assert.That(user.UserStatus, Is.EqualTo("CONFIRMED"));
        });
    }

    [Test]
    public async Task With_PreventUserExistenceErrors_an_unknown_user_gets_a_plausible_delivery_otherwise_UserNotFoundException()
    {
        var (_, hiding) = await PoolAsync(clientSettings: ""","PreventUserExistenceErrors":"ENABLED" """);
        var (_, legacy) = await PoolAsync();

        var plausible = await CallAsync("ForgotPassword", $$"""{"ClientId":"{{hiding}}","Username":"ghost@example.net"}""");
        await ErrorAsync("ForgotPassword", $$"""{"ClientId":"{{legacy}}","Username":"ghost@example.net"}""", "UserNotFoundException");
        await ErrorAsync("ConfirmForgotPassword",
            $$"""{"ClientId":"{{hiding}}","Username":"ghost","ConfirmationCode":"123456","Password":"{{Strong}}"}""", "CodeMismatchException");

        var details = plausible.GetProperty("CodeDeliveryDetails");
        Assert.That(details.GetProperty("Destination").GetString(), Is.EqualTo("g***@e***.net"));
        Assert.That(details.GetProperty("DeliveryMedium").GetString(), Is.EqualTo("EMAIL"));
    }

    [Test]
    public async Task AdminResetUserPassword_makes_the_user_RESET_REQUIRED_and_sends_a_reset_code()
    {
        var (pool, client) = await PoolAsync();
        await SignUpAsync(client, "reset");
        await CallAsync("ConfirmSignUp", $$"""{"ClientId":"{{client}}","Username":"reset","ConfirmationCode":"{{await LatestCodeAsync(pool, "reset")}}"}""");

        await SignedAsync("AdminResetUserPassword", $$"""{"UserPoolId":"{{pool}}","Username":"reset"}""");
        var code = await LatestCodeAsync(pool, "reset");
        var required = await UserAsync(pool, "reset");
        await CallAsync("ConfirmForgotPassword", $$"""{"ClientId":"{{client}}","Username":"reset","ConfirmationCode":"{{code}}","Password":"Rec0vered!Password"}""");

        Assert.That(required.UserStatus, Is.EqualTo("RESET_REQUIRED"));
        Assert.That((await UserAsync(pool, "reset")).UserStatus, Is.EqualTo("CONFIRMED"));
    }

    [Test]
    public async Task The_access_token_reads_and_changes_its_own_user_and_DeleteUser_revokes_it()
    {
        var (pool, client) = await PoolAsync();
        await SignUpAsync(client, "own", "own@example.com");
        await CallAsync("ConfirmSignUp", $$"""{"ClientId":"{{client}}","Username":"own","ConfirmationCode":"{{await LatestCodeAsync(pool, "own")}}"}""");
        var token = await AccessTokenAsync(pool, client, "own");

        var got = await CallAsync("GetUser", $$"""{"AccessToken":"{{token}}"}""");
        var updated = await CallAsync("UpdateUserAttributes",
            $$"""{"AccessToken":"{{token}}","UserAttributes":[{"Name":"email","Value":"new@example.com"},{"Name":"name","Value":"Own"}]}""");
        var unverified = await UserAsync(pool, "own");
        await CallAsync("VerifyUserAttribute", $$"""{"AccessToken":"{{token}}","AttributeName":"email","Code":"{{await LatestCodeAsync(pool, "own")}}"}""");
        var verified = await UserAsync(pool, "own");
        var wrongPrevious = await ErrorAsync("ChangePassword",
            $$"""{"AccessToken":"{{token}}","PreviousPassword":"Wr0ng!Password","ProposedPassword":"Changed!Passw0rd"}""", "NotAuthorizedException");
        await CallAsync("ChangePassword", $$"""{"AccessToken":"{{token}}","PreviousPassword":"{{Strong}}","ProposedPassword":"Changed!Passw0rd"}""");
        var changed = await UserAsync(pool, "own");
        await CallAsync("DeleteUser", $$"""{"AccessToken":"{{token}}"}""");
        var afterDelete = await ErrorAsync("GetUser", $$"""{"AccessToken":"{{token}}"}""", "NotAuthorizedException");

        Assert.Multiple(() =>
        {
            Assert.That(got.GetProperty("Username").GetString(), Is.EqualTo("own"));
            Assert.That(Attribute(got.GetProperty("UserAttributes"), "email_verified"), Is.EqualTo("true"));
            Assert.That(got.TryGetProperty("MFAOptions", out _), Is.False);
            var list = updated.GetProperty("CodeDeliveryDetailsList").EnumerateArray().ToList();
            Assert.That(list.Select(d => d.GetProperty("AttributeName").GetString()), Is.EqualTo(new[] { "email" }));
            Assert.That(list[0].GetProperty("Destination").GetString(), Is.EqualTo("n***@e***.com"));
            Assert.That(unverified.IsVerified("email"), Is.False, "a changed email is unverified");
            Assert.That(verified.IsVerified("email"), Is.True);
            Assert.That(wrongPrevious, Is.EqualTo("Incorrect username or password."));
            Assert.That(PasswordIs(changed, "Changed!Passw0rd"), Is.True);
            Assert.That(afterDelete, Is.EqualTo("Access Token has been revoked"));
        });
    }

    [Test]
    public async Task A_breached_password_is_refused_where_the_risk_configuration_blocks_and_allowed_with_NO_ACTION()
    {
        var (pool, client) = await PoolAsync();
        var allowed = await SignUpAsync(client, "before", "before@example.com", Breached);

        var set = await SignedAsync("SetRiskConfiguration",
            $$"""{"UserPoolId":"{{pool}}","CompromisedCredentialsRiskConfiguration":{"EventFilter":["SIGN_UP","PASSWORD_CHANGE"],"Actions":{"EventAction":"BLOCK"} } }""");
        var described = await SignedAsync("DescribeRiskConfiguration", $$"""{"UserPoolId":"{{pool}}"}""");
        var blocked = await ErrorAsync("SignUp",
            $$"""{"ClientId":"{{client}}","Username":"after","Password":"{{Breached}}"}""", "InvalidPasswordException");
        await SignUpAsync(client, "clean", "clean@example.com");
        await CallAsync("ConfirmSignUp", $$"""{"ClientId":"{{client}}","Username":"clean","ConfirmationCode":"{{await LatestCodeAsync(pool, "clean")}}"}""");
        var token = await AccessTokenAsync(pool, client, "clean");
        await ErrorAsync("ChangePassword",
            $$"""{"AccessToken":"{{token}}","PreviousPassword":"{{Strong}}","ProposedPassword":"{{Breached}}"}""", "InvalidPasswordException");

        Assert.Multiple(() =>
        {
            Assert.That(allowed.GetProperty("UserSub").GetString(), Is.Not.Empty, "no configuration: nothing is checked");
            Assert.That(set.GetProperty("RiskConfiguration").GetProperty("CompromisedCredentialsRiskConfiguration")
                .GetProperty("Actions").GetProperty("EventAction").GetString(), Is.EqualTo("BLOCK"));
            Assert.That(described.GetProperty("RiskConfiguration").GetProperty("CompromisedCredentialsRiskConfiguration")
                .GetProperty("EventFilter").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "SIGN_UP", "PASSWORD_CHANGE" }));
            Assert.That(blocked, Does.Contain("compromised"));
            Assert.That(blocked, Does.Not.Contain(Breached));
        });

        await SignedAsync("SetRiskConfiguration",
            $$"""{"UserPoolId":"{{pool}}","CompromisedCredentialsRiskConfiguration":{"Actions":{"EventAction":"NO_ACTION"} } }""");
        await SignUpAsync(client, "later", "later@example.com", Breached);
    }

    [Test]
    public async Task The_pools_message_templates_are_kept_described_and_used_and_AllowAdminCreateUserOnly_refuses_SignUp()
    {
        const string Templates = ""","AutoVerifiedAttributes":["email"],"VerificationMessageTemplate":{"EmailMessage":"Welcome {username}, code {####}","EmailSubject":"Confirm"},"AdminCreateUserConfig":{"InviteMessageTemplate":{"EmailMessage":"Hi {username}, use {####}","EmailSubject":"Invite"}}""";
        var (pool, client) = await PoolAsync(Templates);
        var (closedPool, closedClient) = await PoolAsync(""","AdminCreateUserConfig":{"AllowAdminCreateUserOnly":true}""");

        await SignUpAsync(client, "templated");
        var signUpMail = _server.Services.GetRequiredService<IdentityBroker.Server.Messages.DevOutbox>().Read(pool, "templated")[0];
        await SignedAsync("AdminCreateUser", $$"""{"UserPoolId":"{{pool}}","Username":"invited","UserAttributes":[{"Name":"email","Value":"i@example.com"}],"DesiredDeliveryMediums":["EMAIL"]}""");
        var invite = _server.Services.GetRequiredService<IdentityBroker.Server.Messages.DevOutbox>().Read(pool, "invited")[0];
        var described = (await SignedAsync("DescribeUserPool", $$"""{"UserPoolId":"{{pool}}"}""")).GetProperty("UserPool");
        var refused = await ErrorAsync("SignUp", $$"""{"ClientId":"{{closedClient}}","Username":"nobody","Password":"{{Strong}}"}""", "NotAuthorizedException");
        var closed = (await SignedAsync("DescribeUserPool", $$"""{"UserPoolId":"{{closedPool}}"}""")).GetProperty("UserPool");
        using var noCode = await _server.SignedUserPoolsAsync("CreateUserPool",
            """{"PoolName":"bad","VerificationMessageTemplate":{"EmailMessage":"no code here"}}""");
        var invalid = await AwsErrorAssert.IsJsonErrorAsync(noCode, "ValidationException");

        Assert.Multiple(() =>
        {
            Assert.That(signUpMail.Subject, Is.EqualTo("Confirm"));
            Assert.That(signUpMail.Body, Does.Match("^Welcome templated, code [0-9]{6}$"));
            Assert.That(invite.Subject, Is.EqualTo("Invite"));
            Assert.That(invite.Body, Does.StartWith("Hi invited, use "));
            Assert.That(described.GetProperty("VerificationMessageTemplate").GetProperty("EmailMessage").GetString(), Is.EqualTo("Welcome {username}, code {####}"));
            Assert.That(described.GetProperty("EmailVerificationSubject").GetString(), Is.EqualTo("Confirm"));
            Assert.That(described.GetProperty("AdminCreateUserConfig").GetProperty("InviteMessageTemplate").GetProperty("EmailSubject").GetString(),
                Is.EqualTo("Invite"));
            Assert.That(refused, Is.EqualTo("SignUp is not permitted for this user pool"));
            Assert.That(closed.GetProperty("AdminCreateUserConfig").GetProperty("AllowAdminCreateUserOnly").GetBoolean(), Is.True);
            Assert.That(OutboxCount(closedPool), Is.Zero);
            Assert.That(invalid, Does.Contain("verificationMessageTemplate.emailMessage"));
        });
    }

    [Test]
    public async Task With_SIGN_IN_blocked_a_breached_password_sign_in_makes_the_user_RESET_REQUIRED()
    {
        var (pool, client) = await PoolAsync(clientSettings: ""","ExplicitAuthFlows":["ALLOW_USER_PASSWORD_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]""");
        await SignUpAsync(client, "reuser", "reuser@example.com", Breached);
        await CallAsync("ConfirmSignUp", $$"""{"ClientId":"{{client}}","Username":"reuser","ConfirmationCode":"{{await LatestCodeAsync(pool, "reuser")}}"}""");
        var signIn = $$"""{"ClientId":"{{client}}","AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"reuser","PASSWORD":"{{Breached}}"} }""";
        var before = await CallAsync("InitiateAuth", signIn);

        await SignedAsync("SetRiskConfiguration",
            $$"""{"UserPoolId":"{{pool}}","ClientId":"{{client}}","CompromisedCredentialsRiskConfiguration":{"EventFilter":["SIGN_IN"],"Actions":{"EventAction":"BLOCK"} } }""");
        var blocked = await ErrorAsync("InitiateAuth", signIn, "PasswordResetRequiredException");
        var poolLevel = await SignedAsync("DescribeRiskConfiguration", $$"""{"UserPoolId":"{{pool}}"}""");

        Assert.Multiple(() =>
        {
            Assert.That(before.GetProperty("AuthenticationResult").GetProperty("AccessToken").GetString(), Is.Not.Empty);
            Assert.That(blocked, Is.EqualTo("Password reset required for the user"));
            Assert.That(poolLevel.GetProperty("RiskConfiguration").TryGetProperty("CompromisedCredentialsRiskConfiguration", out _), Is.False,
                "the configuration was set for the client only");
        });
        Assert.That((await UserAsync(pool, "reuser")).UserStatus, Is.EqualTo("RESET_REQUIRED"));
    }

    [GeneratedRegex("[0-9]{6}")]
    private static partial Regex Digits();
}
