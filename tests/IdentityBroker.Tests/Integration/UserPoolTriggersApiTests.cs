using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IdentityBroker.Tests.UserPools.Triggers;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// Every trigger against a real HTTP receiver (docs/user-pools.md, "Triggers"): the event each one gets, checked member by
/// member against the Cognito developer guide's example events, its HMAC verified by the receiver, and what each reply
/// does to the flow.
/// </summary>
[TestFixture]
public sealed partial class UserPoolTriggersApiTests
{
    private const string Password = "Correct-horse-1";
    private static readonly string[] Functions =
        ["presignup", "postconfirm", "preauth", "postauth", "pretoken", "migrate", "define", "create", "verify", "message", "sender"];

    private TriggerReceiver _receiver = null!;
    private BrokerServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _receiver = new TriggerReceiver();
        _server = await BrokerServer.StartAsync(_receiver.Settings(Functions));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [SetUp]
    public void ResetReceiver() => _receiver.Reset();

    [Test]
    public async Task LambdaConfig_is_kept_echoed_and_removed_by_an_UpdateUserPool_without_it()
    {
        var (pool, _) = await PoolAsync($$"""
            "PreSignUp":"{{Arn("presignup")}}",
            "PreTokenGenerationConfig":{"LambdaVersion":"V2_0","LambdaArn":"{{Arn("pretoken")}}"},
            "CustomEmailSender":{"LambdaVersion":"V1_0","LambdaArn":"{{Arn("message")}}"},
            "KMSKeyID":"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
            """);
        var config = (await SignedAsync("DescribeUserPool", $$"""{"UserPoolId":"{{pool}}"}""")).GetProperty("UserPool").GetProperty("LambdaConfig");
        Assert.Multiple(() =>
        {
            Assert.That(config.GetProperty("PreSignUp").GetString(), Is.EqualTo(Arn("presignup")));
            Assert.That(config.GetProperty("PreTokenGeneration").GetString(), Is.EqualTo(Arn("pretoken")), "both members name the function");
            Assert.That(config.GetProperty("PreTokenGenerationConfig").GetProperty("LambdaVersion").GetString(), Is.EqualTo("V2_0"));
            Assert.That(config.GetProperty("CustomEmailSender").GetProperty("LambdaArn").GetString(), Is.EqualTo(Arn("message")));
            Assert.That(config.GetProperty("KMSKeyID").GetString(), Does.StartWith("arn:aws:kms:"));
        });

        await SignedAsync("UpdateUserPool", $$"""{"UserPoolId":"{{pool}}"}""");
        var after = (await SignedAsync("DescribeUserPool", $$"""{"UserPoolId":"{{pool}}"}""")).GetProperty("UserPool").GetProperty("LambdaConfig");
        Assert.That(after.EnumerateObject().Count(), Is.Zero, after.ToString());
    }

    [Test]
    public async Task A_LambdaConfig_that_breaks_the_model_is_ValidationException()
    {
        using var badArn = await _server.SignedUserPoolsAsync("CreateUserPool", """{"PoolName":"t","LambdaConfig":{"PreSignUp":"not-an-arn-at-all-really"}}""");
        await AwsErrorAssert.IsJsonErrorAsync(badArn, "ValidationException");
        using var badVersion = await _server.SignedUserPoolsAsync("CreateUserPool",
            $$$$"""{"PoolName":"t","LambdaConfig":{"PreTokenGenerationConfig":{"LambdaVersion":"V9_0","LambdaArn":"{{{{Arn("pretoken")}}}}"}}}""");
        await AwsErrorAssert.IsJsonErrorAsync(badVersion, "ValidationException");
        using var noKey = await _server.SignedUserPoolsAsync("CreateUserPool",
            $$$$"""{"PoolName":"t","LambdaConfig":{"CustomSMSSender":{"LambdaVersion":"V1_0","LambdaArn":"{{{{Arn("message")}}}}"}}}""");
        await AwsErrorAssert.IsJsonErrorAsync(noKey, "ValidationException");
    }

    [Test]
    public async Task PreSignUp_gets_Cognitos_event_signed_by_the_broker()
    {
        var (pool, client) = await PoolAsync(Members(("PreSignUp", "presignup")));
        await SignUpAsync(client, "carol", "carol@example.com");

        var call = _receiver.CallsTo("presignup").Single();
        var e = call.Event;
        Assert.Multiple(() =>
        {
            Assert.That(call.SignatureValid, Is.True, "the receiver's own HMAC check");
            // The developer guide's pre sign-up example event: these members, no others.
            Assert.That(e.Select(m => m.Key), Is.EquivalentTo(new[]
                { "version", "triggerSource", "region", "userPoolId", "userName", "callerContext", "request", "response" }));
            Assert.That((string?)e["version"], Is.EqualTo("1"));
            Assert.That((string?)e["triggerSource"], Is.EqualTo("PreSignUp_SignUp"));
            Assert.That((string?)e["region"], Is.EqualTo(pool[..pool.IndexOf('_', StringComparison.Ordinal)]));
            Assert.That((string?)e["userPoolId"], Is.EqualTo(pool));
            Assert.That((string?)e["userName"], Is.EqualTo("carol"));
            Assert.That((string?)e["callerContext"]!["awsSdkVersion"], Is.EqualTo("aws-sdk-unknown-unknown"));
            Assert.That((string?)e["callerContext"]!["clientId"], Is.EqualTo(client));
            Assert.That((string?)e["request"]!["userAttributes"]!["email"], Is.EqualTo("carol@example.com"));
            Assert.That(e["request"]!.AsObject().ContainsKey("validationData"), Is.True);
            Assert.That((bool?)e["response"]!["autoConfirmUser"], Is.False);
            Assert.That((bool?)e["response"]!["autoVerifyEmail"], Is.False);
            Assert.That((bool?)e["response"]!["autoVerifyPhone"], Is.False);
        });
    }

    [Test]
    public async Task A_PreSignUp_error_is_UserLambdaValidationException_and_no_user_is_made()
    {
        var (pool, client) = await PoolAsync(Members(("PreSignUp", "presignup")));
        _receiver.Fail("presignup", "Sign-ups from example.org are closed");

        using var response = await UnsignedAsync("SignUp", SignUpJson(client, "dave", "dave@example.org"));
        var message = await AwsErrorAssert.IsJsonErrorAsync(response, "UserLambdaValidationException");
        Assert.That(message, Is.EqualTo("PreSignUp failed with error Sign-ups from example.org are closed."));
        using var get = await _server.SignedUserPoolsAsync("AdminGetUser", $$"""{"UserPoolId":"{{pool}}","Username":"dave"}""");
        await AwsErrorAssert.IsJsonErrorAsync(get, "UserNotFoundException");
    }

    [Test]
    public async Task PreSignUp_autoConfirmUser_and_autoVerifyEmail_confirm_without_a_code()
    {
        var (pool, client) = await PoolAsync(Members(("PreSignUp", "presignup")));
        _receiver.Answer("presignup", e =>
        {
            e["response"]!["autoConfirmUser"] = true;
            e["response"]!["autoVerifyEmail"] = true;
        });

        var signedUp = await SignUpAsync(client, "erin", "erin@example.com");
        Assert.Multiple(() =>
        {
            Assert.That(signedUp.GetProperty("UserConfirmed").GetBoolean(), Is.True);
            Assert.That(signedUp.TryGetProperty("CodeDeliveryDetails", out _), Is.False, "no code is sent to a confirmed user");
        });
        var user = await SignedAsync("AdminGetUser", $$"""{"UserPoolId":"{{pool}}","Username":"erin"}""");
        Assert.That(user.GetProperty("UserStatus").GetString(), Is.EqualTo("CONFIRMED"));
        var tokens = await SignInAsync(client, "erin");
        Assert.That(Claims(tokens.GetProperty("IdToken").GetString()!).GetProperty("email_verified").GetBoolean(), Is.True);
    }

    [Test]
    public async Task PostConfirmation_runs_after_ConfirmSignUp_with_the_confirmed_user()
    {
        var (pool, client) = await PoolAsync(Members(("PostConfirmation", "postconfirm")), autoVerify: true);
        await SignUpAsync(client, "frank", "frank@example.com");
        Assert.That(_receiver.CallsTo("postconfirm"), Is.Empty, "not before the confirmation");

        await CallAsync("ConfirmSignUp", $$"""{"ClientId":"{{client}}","Username":"frank","ConfirmationCode":"{{await LatestCodeAsync(pool, "frank")}}"}""");
        var e = _receiver.CallsTo("postconfirm").Single().Event;
        Assert.Multiple(() =>
        {
            Assert.That((string?)e["triggerSource"], Is.EqualTo("PostConfirmation_ConfirmSignUp"));
            Assert.That((string?)e["request"]!["userAttributes"]!["cognito:user_status"], Is.EqualTo("CONFIRMED"));
            Assert.That((string?)e["request"]!["userAttributes"]!["email_verified"], Is.EqualTo("true"));
            Assert.That((string?)e["request"]!["userAttributes"]!["sub"], Is.Not.Empty);
            Assert.That(e["response"]!.AsObject(), Is.Empty);
        });
    }

    [Test]
    public async Task PreAuthentication_can_refuse_and_PostAuthentication_sees_the_signed_in_user()
    {
        var (pool, client) = await PoolAsync(Members(("PreAuthentication", "preauth"), ("PostAuthentication", "postauth")));
        await CreateUserAsync(pool, "gina");
        _receiver.Fail("preauth", "Outside office hours");
        using (var refused = await InitiateAsync(client, "USER_PASSWORD_AUTH", ("USERNAME", "gina"), ("PASSWORD", Password)))
        {
            Assert.That(await AwsErrorAssert.IsJsonErrorAsync(refused, "UserLambdaValidationException"),
                Is.EqualTo("PreAuthentication failed with error Outside office hours."));
        }

        Assert.That(_receiver.CallsTo("postauth"), Is.Empty);
        _receiver.Reset();
        await SignInAsync(client, "gina");
        var pre = _receiver.CallsTo("preauth").Single().Event;
        var post = _receiver.CallsTo("postauth").Single().Event;
        Assert.Multiple(() =>
        {
            Assert.That((string?)pre["triggerSource"], Is.EqualTo("PreAuthentication_Authentication"));
            Assert.That((bool?)pre["request"]!["userNotFound"], Is.False);
            Assert.That((string?)post["triggerSource"], Is.EqualTo("PostAuthentication_Authentication"));
            Assert.That((bool?)post["request"]!["newDeviceUsed"], Is.False);
            Assert.That((string?)post["request"]!["userAttributes"]!["email"], Is.EqualTo("gina@example.com"));
            Assert.That((string?)post["callerContext"]!["clientId"], Is.EqualTo(client));
        });
    }

    [Test]
    public async Task PreTokenGeneration_V1_adds_and_suppresses_ID_token_claims_and_overrides_groups()
    {
        var (pool, client) = await PoolAsync(Members(("PreTokenGeneration", "pretoken")));
        await CreateUserAsync(pool, "hank");
        _receiver.Answer("pretoken", e => e["response"]!["claimsOverrideDetails"] = JsonNode.Parse("""
            {"claimsToAddOrOverride":{"tenant":"blue","email":"hidden@example.com","sub":"forged"},
             "claimsToSuppress":["email_verified"],
             "groupOverrideDetails":{"groupsToOverride":["admins"],"iamRolesToOverride":[],"preferredRole":null}}
            """));

        var tokens = await SignInAsync(client, "hank");
        var id = Claims(tokens.GetProperty("IdToken").GetString()!);
        var access = Claims(tokens.GetProperty("AccessToken").GetString()!);
        var e = _receiver.CallsTo("pretoken").Single().Event;
        Assert.Multiple(() =>
        {
            Assert.That((string?)e["version"], Is.EqualTo("1"));
            Assert.That((string?)e["triggerSource"], Is.EqualTo("TokenGeneration_Authentication"));
            Assert.That(e["request"]!["groupConfiguration"]!["groupsToOverride"]!.AsArray(), Is.Empty);
            Assert.That(e["response"]!.AsObject().ContainsKey("claimsOverrideDetails"), Is.True);
            Assert.That(id.GetProperty("tenant").GetString(), Is.EqualTo("blue"));
            Assert.That(id.GetProperty("email").GetString(), Is.EqualTo("hidden@example.com"));
            Assert.That(id.TryGetProperty("email_verified", out _), Is.False);
            Assert.That(id.GetProperty("sub").GetString(), Is.Not.EqualTo("forged"), "the token's own claims cannot be overridden");
            Assert.That(id.GetProperty("cognito:groups")[0].GetString(), Is.EqualTo("admins"));
            Assert.That(access.GetProperty("cognito:groups")[0].GetString(), Is.EqualTo("admins"));
            Assert.That(access.TryGetProperty("tenant", out _), Is.False, "V1 changes the ID token only");
        });

        _receiver.Calls.Clear();
        using var refreshed = await InitiateAsync(client, "REFRESH_TOKEN_AUTH", ("REFRESH_TOKEN", tokens.GetProperty("RefreshToken").GetString()!));
        var renewed = (await AwsErrorAssert.IsSuccessAsync(refreshed)).GetProperty("AuthenticationResult");
        Assert.Multiple(() =>
        {
            Assert.That((string?)_receiver.CallsTo("pretoken").Single().Event["triggerSource"], Is.EqualTo("TokenGeneration_RefreshTokens"));
            Assert.That(Claims(renewed.GetProperty("IdToken").GetString()!).GetProperty("tenant").GetString(), Is.EqualTo("blue"),
                "a refresh runs the trigger again, so its claims stay");
        });
    }

    [Test]
    public async Task PreTokenGeneration_V2_changes_access_token_claims_and_scopes()
    {
        var (pool, client) = await PoolAsync($$"""
            "PreTokenGenerationConfig":{"LambdaVersion":"V2_0","LambdaArn":"{{Arn("pretoken")}}"}
            """);
        await CreateUserAsync(pool, "ivy");
        _receiver.Answer("pretoken", e => e["response"]!["claimsAndScopeOverrideDetails"] = JsonNode.Parse("""
            {"idTokenGeneration":{"claimsToAddOrOverride":{"plan":"gold"}},
             "accessTokenGeneration":{"claimsToAddOrOverride":{"roles":["reader","writer"]},"scopesToAdd":["photos/read"],
                                      "scopesToSuppress":["aws.cognito.signin.user.admin"]}}
            """));

        var tokens = await SignInAsync(client, "ivy");
        var id = Claims(tokens.GetProperty("IdToken").GetString()!);
        var access = Claims(tokens.GetProperty("AccessToken").GetString()!);
        var e = _receiver.CallsTo("pretoken").Single().Event;
        Assert.Multiple(() =>
        {
            Assert.That((string?)e["version"], Is.EqualTo("2"));
            Assert.That(e["request"]!["scopes"]!.AsArray().Select(s => (string?)s), Is.EqualTo(new[] { "aws.cognito.signin.user.admin" }));
            Assert.That(e["response"]!.AsObject().ContainsKey("claimsAndScopeOverrideDetails"), Is.True);
            Assert.That(id.GetProperty("plan").GetString(), Is.EqualTo("gold"));
            Assert.That(access.GetProperty("roles").EnumerateArray().Select(r => r.GetString()), Is.EqualTo(new[] { "reader", "writer" }));
            Assert.That(access.GetProperty("scope").GetString(), Is.EqualTo("photos/read"));
        });
    }

    [Test]
    public async Task UserMigration_creates_the_user_on_first_sign_in_and_is_not_asked_again()
    {
        var (pool, client) = await PoolAsync(Members(("UserMigration", "migrate")));
        _receiver.Answer("migrate", e =>
        {
            e["response"]!["userAttributes"] = new JsonObject { ["email"] = "jack@example.com", ["email_verified"] = "true" };
            e["response"]!["finalUserStatus"] = "CONFIRMED";
            e["response"]!["messageAction"] = "SUPPRESS";
        });

        await SignInAsync(client, "jack");
        var e = _receiver.CallsTo("migrate").Single().Event;
        Assert.Multiple(() =>
        {
            Assert.That((string?)e["triggerSource"], Is.EqualTo("UserMigration_Authentication"));
            Assert.That((string?)e["userName"], Is.EqualTo("jack"));
            Assert.That((string?)e["request"]!["password"], Is.EqualTo(Password));
        });
        var user = await SignedAsync("AdminGetUser", $$"""{"UserPoolId":"{{pool}}","Username":"jack"}""");
        Assert.That(user.GetProperty("UserStatus").GetString(), Is.EqualTo("CONFIRMED"));

        _receiver.Reset();
        await SignInAsync(client, "jack");
        Assert.That(_receiver.CallsTo("migrate"), Is.Empty, "the migrated user signs in as any other");
    }

    [Test]
    public async Task UserMigration_on_ForgotPassword_creates_the_user_RESET_REQUIRED_and_sends_the_reset_code()
    {
        var (pool, client) = await PoolAsync(Members(("UserMigration", "migrate"), ("PostConfirmation", "postconfirm")));
        _receiver.Answer("migrate", e =>
            e["response"]!["userAttributes"] = new JsonObject { ["email"] = "rita@example.com", ["email_verified"] = "true" });

        var sent = await CallAsync("ForgotPassword", $$"""{"ClientId":"{{client}}","Username":"rita"}""");
        var e = _receiver.CallsTo("migrate").Single().Event;
        Assert.Multiple(() =>
        {
            Assert.That((string?)e["triggerSource"], Is.EqualTo("UserMigration_ForgotPassword"));
            Assert.That(e["request"]!.AsObject().ContainsKey("password"), Is.False);
            Assert.That(sent.GetProperty("CodeDeliveryDetails").GetProperty("AttributeName").GetString(), Is.EqualTo("email"));
        });
        var user = await SignedAsync("AdminGetUser", $$"""{"UserPoolId":"{{pool}}","Username":"rita"}""");
        Assert.That(user.GetProperty("UserStatus").GetString(), Is.EqualTo("RESET_REQUIRED"));

        await CallAsync("ConfirmForgotPassword", $$"""
            {"ClientId":"{{client}}","Username":"rita","ConfirmationCode":"{{await LatestCodeAsync(pool, "rita")}}","Password":"{{Password}}"}
            """);
        Assert.That((string?)_receiver.CallsTo("postconfirm").Single().Event["triggerSource"], Is.EqualTo("PostConfirmation_ConfirmForgotPassword"));
        await SignInAsync(client, "rita");
    }

    [Test]
    public async Task A_migrated_user_gets_the_pools_welcome_message_by_the_mediums_the_function_asks_and_never_their_password()
    {
        var (pool, client) = await PoolAsync(Members(("UserMigration", "migrate")));
        await SignedAsync("UpdateUserPool", $$$"""
            {"UserPoolId":"{{{pool}}}","LambdaConfig":{{{{Members(("UserMigration", "migrate"))}}}},
             "AdminCreateUserConfig":{"InviteMessageTemplate":{"EmailSubject":"Welcome aboard","EmailMessage":"Hello {username}, your account moved. {####}","SMSMessage":"Hi {username} {####}"} }
            }
            """);
        _receiver.Answer("migrate", e =>
        {
            e["response"]!["userAttributes"] = new JsonObject { ["email"] = "lena@example.com", ["email_verified"] = "true", ["phone_number"] = "+15550100" };
            e["response"]!["desiredDeliveryMediums"] = new JsonArray("EMAIL");
        });

        await SignInAsync(client, "lena");
        var welcome = await LatestMessageAsync(pool, "lena");

        Assert.Multiple(() =>
        {
            Assert.That(OutboxCount(pool), Is.EqualTo(1), "EMAIL only, as desiredDeliveryMediums says, though the user has a phone");
            Assert.That(welcome.GetProperty("Channel").GetString(), Is.EqualTo("EMAIL"));
            Assert.That(welcome.GetProperty("Destination").GetString(), Is.EqualTo("lena@example.com"));
            Assert.That(welcome.GetProperty("Subject").GetString(), Is.EqualTo("Welcome aboard"));
            Assert.That(welcome.GetProperty("Body").GetString(), Is.EqualTo("Hello lena, your account moved. "));
            Assert.That(welcome.GetProperty("Body").GetString(), Does.Not.Contain(Password));
        });
    }

    [Test]
    public async Task A_migrated_user_gets_the_welcome_message_by_SMS_when_the_function_names_no_medium_and_none_with_SUPPRESS()
    {
        var (pool, client) = await PoolAsync(Members(("UserMigration", "migrate")));
        _receiver.Answer("migrate", e => e["response"]!["userAttributes"] = new JsonObject
            { ["email"] = (string?)e["userName"] + "@example.com", ["phone_number"] = "+15550101" });
        await SignInAsync(client, "mona");
        var welcome = await LatestMessageAsync(pool, "mona");

        _receiver.Answer("migrate", e =>
        {
            e["response"]!["userAttributes"] = new JsonObject { ["email"] = "nina@example.com", ["phone_number"] = "+15550102" };
            e["response"]!["messageAction"] = "SUPPRESS";
        });
        await SignInAsync(client, "nina");

        Assert.Multiple(() =>
        {
            Assert.That(welcome.GetProperty("Channel").GetString(), Is.EqualTo("SMS"), "the guide: SMS when desiredDeliveryMediums is not returned");
            Assert.That(welcome.GetProperty("Destination").GetString(), Is.EqualTo("+15550101"));
            Assert.That(welcome.GetProperty("Body").GetString(), Does.StartWith("Your username is mona and temporary password is"));
            Assert.That(OutboxCount(pool), Is.EqualTo(1), "nina's migration said SUPPRESS");
        });
    }

    [Test]
    public async Task EnableSMSMFA_makes_the_migrated_users_sign_in_ask_for_an_SMS_code_and_needs_a_phone_number()
    {
        var (pool, client) = await PoolAsync(Members(("UserMigration", "migrate")));
        await SignedAsync("SetUserPoolMfaConfig", $$$"""{"UserPoolId":"{{{pool}}}","MfaConfiguration":"OPTIONAL","SmsMfaConfiguration":{"SmsAuthenticationMessage":"Code {####}"}}""");
        _receiver.Answer("migrate", e =>
        {
            e["response"]!["userAttributes"] = new JsonObject { ["email"] = "owen@example.com", ["phone_number"] = "+15550103" };
            e["response"]!["messageAction"] = "SUPPRESS";
            e["response"]!["enableSMSMFA"] = true;
        });
        var (_, parameters) = await ChallengeAsync(await InitiateAsync(client, "USER_PASSWORD_AUTH", ("USERNAME", "owen"), ("PASSWORD", Password)), "SMS_MFA");
        var user = await SignedAsync("AdminGetUser", $$"""{"UserPoolId":"{{pool}}","Username":"owen"}""");

        _receiver.Answer("migrate", e =>
        {
            e["response"]!["userAttributes"] = new JsonObject { ["email"] = "pia@example.com" };
            e["response"]!["enableSMSMFA"] = true;
        });
        using var noPhone = await InitiateAsync(client, "USER_PASSWORD_AUTH", ("USERNAME", "pia"), ("PASSWORD", Password));
        var refused = await AwsErrorAssert.IsJsonErrorAsync(noPhone, "InvalidLambdaResponseException");
        using var piaAfter = await _server.SignedUserPoolsAsync("AdminGetUser", $$"""{"UserPoolId":"{{pool}}","Username":"pia"}""");

        Assert.Multiple(() =>
        {
            Assert.That(parameters.GetProperty("CODE_DELIVERY_DELIVERY_MEDIUM").GetString(), Is.EqualTo("SMS"));
            Assert.That(user.GetProperty("UserMFASettingList").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { "SMS_MFA" }));
            Assert.That(refused, Is.EqualTo("Unrecognizable lambda output"));
        });
        await AwsErrorAssert.IsJsonErrorAsync(piaAfter, "UserNotFoundException");
    }

    [Test]
    public async Task UserMigration_that_does_not_know_the_user_leaves_it_unknown()
    {
        var (_, client) = await PoolAsync(Members(("UserMigration", "migrate")));
        using var response = await InitiateAsync(client, "USER_PASSWORD_AUTH", ("USERNAME", "nobody"), ("PASSWORD", Password));
        // The client leaves PreventUserExistenceErrors at its default (LEGACY), which names an unknown user.
        await AwsErrorAssert.IsJsonErrorAsync(response, "UserNotFoundException");
        Assert.That(_receiver.CallsTo("migrate"), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task CUSTOM_AUTH_runs_define_create_and_verify_until_the_right_answer()
    {
        var (pool, client) = await PoolAsync($$"""
            "DefineAuthChallenge":"{{Arn("define")}}","CreateAuthChallenge":"{{Arn("create")}}","VerifyAuthChallengeResponse":"{{Arn("verify")}}"
            """);
        await CreateUserAsync(pool, "kate");
        CustomAuthFunctions();

        var (session, parameters) = await ChallengeAsync(await InitiateAsync(client, "CUSTOM_AUTH", ("USERNAME", "kate")), "CUSTOM_CHALLENGE");
        Assert.That(parameters.GetProperty("question").GetString(), Is.EqualTo("6 x 7?"));
        Assert.That(parameters.TryGetProperty("answer", out _), Is.False, "private parameters stay private");
        var (again, _) = await ChallengeAsync(await RespondAsync(client, session, "kate", "41"), "CUSTOM_CHALLENGE");
        using (var replay = await RespondAsync(client, session, "kate", "42"))
        {
            await AwsErrorAssert.IsJsonErrorAsync(replay, "NotAuthorizedException");
        }

        using var signedIn = await RespondAsync(client, again, "kate", "42");
        var body = await AwsErrorAssert.IsSuccessAsync(signedIn);
        Assert.That(Claims(body.GetProperty("AuthenticationResult").GetProperty("IdToken").GetString()!).GetProperty("cognito:username").GetString(),
            Is.EqualTo("kate"));

        var defines = _receiver.CallsTo("define").Select(c => c.Event).ToArray();
        var verify = _receiver.CallsTo("verify").Last().Event;
        Assert.Multiple(() =>
        {
            Assert.That(defines.Select(d => d["request"]!["session"]!.AsArray().Count), Is.EqualTo(new[] { 0, 1, 2 }));
            Assert.That((bool?)defines[2]["request"]!["session"]![0]!["challengeResult"], Is.False);
            Assert.That((string?)defines[2]["request"]!["session"]![1]!["challengeMetadata"], Is.EqualTo("MATH"));
            Assert.That((string?)defines[0]["triggerSource"], Is.EqualTo("DefineAuthChallenge_Authentication"));
            Assert.That((string?)verify["triggerSource"], Is.EqualTo("VerifyAuthChallengeResponse_Authentication"));
            Assert.That((string?)verify["request"]!["privateChallengeParameters"]!["answer"], Is.EqualTo("42"));
            Assert.That((string?)verify["request"]!["challengeAnswer"], Is.EqualTo("42"));
            Assert.That(_receiver.Calls.All(c => c.SignatureValid), Is.True);
        });
    }

    [Test]
    public async Task CUSTOM_AUTH_fails_when_define_says_so_and_needs_the_three_functions()
    {
        var (pool, client) = await PoolAsync($$"""
            "DefineAuthChallenge":"{{Arn("define")}}","CreateAuthChallenge":"{{Arn("create")}}","VerifyAuthChallengeResponse":"{{Arn("verify")}}"
            """);
        await CreateUserAsync(pool, "liam");
        _receiver.Answer("define", e => e["response"]!["failAuthentication"] = true);
        using (var failed = await InitiateAsync(client, "CUSTOM_AUTH", ("USERNAME", "liam")))
        {
            await AwsErrorAssert.IsJsonErrorAsync(failed, "NotAuthorizedException");
        }

        var (_, plain) = await PoolAsync("");
        using var notConfigured = await InitiateAsync(plain, "CUSTOM_AUTH", ("USERNAME", "liam"));
        await AwsErrorAssert.IsJsonErrorAsync(notConfigured, "InvalidParameterException");
    }

    [Test]
    public async Task A_function_without_a_configured_URL_is_UnexpectedLambdaException()
    {
        var (_, client) = await PoolAsync(Members(("PreSignUp", "not-configured")));
        using var response = await UnsignedAsync("SignUp", SignUpJson(client, "mia", "mia@example.com"));
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(response, "UnexpectedLambdaException"),
            Is.EqualTo("PreSignUp invocation failed due to error AccessDeniedException."));
    }

    [Test]
    public async Task A_reply_that_is_not_the_event_is_InvalidLambdaResponseException()
    {
        var (_, client) = await PoolAsync(Members(("PreSignUp", "presignup")));
        _receiver.Handlers["presignup"] = _ => (200, "\"ok\"");
        using var response = await UnsignedAsync("SignUp", SignUpJson(client, "noah", "noah@example.com"));
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(response, "InvalidLambdaResponseException"), Is.EqualTo("Unrecognizable lambda output"));
    }

    [Test]
    public async Task AdminCreateUser_runs_PreSignUp_with_its_own_source_and_no_client()
    {
        var (pool, _) = await PoolAsync(Members(("PreSignUp", "presignup")));
        _receiver.Answer("presignup", e => e["response"]!["autoVerifyEmail"] = true);
        await CreateUserAsync(pool, "olga");
        var e = _receiver.CallsTo("presignup").Single().Event;
        var user = await SignedAsync("AdminGetUser", $$"""{"UserPoolId":"{{pool}}","Username":"olga"}""");
        Assert.Multiple(() =>
        {
            Assert.That((string?)e["triggerSource"], Is.EqualTo("PreSignUp_AdminCreateUser"));
            Assert.That((string?)e["callerContext"]!["clientId"], Is.EqualTo("CLIENT_ID_NOT_APPLICABLE"));
            Assert.That(user.GetProperty("UserAttributes").EnumerateArray()
                .Single(a => a.GetProperty("Name").GetString() == "email_verified").GetProperty("Value").GetString(), Is.EqualTo("true"));
        });
    }

    [Test]
    public async Task CustomMessage_rewords_the_sign_up_code_message()
    {
        var (pool, client) = await PoolAsync(Members(("CustomMessage", "message")), autoVerify: true);
        _receiver.Answer("message", e =>
        {
            e["response"]!["emailSubject"] = "Welcome aboard";
            e["response"]!["emailMessage"] = "Hello " + (string?)e["request"]!["userAttributes"]!["email"] + ", your code is " + (string?)e["request"]!["codeParameter"];
        });

        await SignUpAsync(client, "paul", "paul@example.com");
        var message = await LatestMessageAsync(pool, "paul");
        var e = _receiver.CallsTo("message").Single().Event;
        Assert.Multiple(() =>
        {
            Assert.That((string?)e["triggerSource"], Is.EqualTo("CustomMessage_SignUp"));
            Assert.That((string?)e["request"]!["codeParameter"], Is.EqualTo("{####}"));
            Assert.That(e["request"]!.AsObject().ContainsKey("usernameParameter"), Is.True);
            Assert.That(e["response"]!.AsObject().Select(m => m.Key), Is.EquivalentTo(new[] { "smsMessage", "emailMessage", "emailSubject" }));
            Assert.That(message.GetProperty("Subject").GetString(), Is.EqualTo("Welcome aboard"));
            Assert.That(message.GetProperty("Body").GetString(), Does.Match("^Hello paul@example.com, your code is [0-9]{6}$"));
        });

        _receiver.Reset();
        await CallAsync("ResendConfirmationCode", $$"""{"ClientId":"{{client}}","Username":"paul"}""");
        Assert.That((string?)_receiver.CallsTo("message").Single().Event["triggerSource"], Is.EqualTo("CustomMessage_ResendCode"));
    }

    [Test]
    public async Task CustomEmailSender_gets_the_code_and_the_broker_sends_nothing()
    {
        var (pool, client) = await PoolAsync($$"""
            "CustomEmailSender":{"LambdaVersion":"V1_0","LambdaArn":"{{Arn("sender")}}"},
            "KMSKeyID":"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
            """, autoVerify: true);
        await SignUpAsync(client, "quinn", "quinn@example.com");

        var call = _receiver.CallsTo("sender").Single();
        var e = call.Event;
        var code = (string?)e["request"]!["code"];
        Assert.Multiple(() =>
        {
            Assert.That(call.SignatureValid, Is.True);
            Assert.That((string?)e["triggerSource"], Is.EqualTo("CustomEmailSender_SignUp"));
            Assert.That((string?)e["request"]!["type"], Is.EqualTo("customEmailSenderRequestV1"));
            Assert.That((string?)e["request"]!["userAttributes"]!["email"], Is.EqualTo("quinn@example.com"));
            Assert.That(code, Does.Match("^[0-9]{6}$"), "in clear: the broker has no KMS (docs/user-pools.md, Triggers)");
            Assert.That(OutboxCount(pool), Is.Zero);
        });
        await CallAsync("ConfirmSignUp", $$"""{"ClientId":"{{client}}","Username":"quinn","ConfirmationCode":"{{code}}"}""");
    }

    /// <summary>The guide's "math question" custom challenge: one question, the answer 42, tokens after one right answer, fail after three wrong.</summary>
    private void CustomAuthFunctions()
    {
        _receiver.Answer("define", e =>
        {
            var history = e["request"]!["session"]!.AsArray();
            var response = e["response"]!;
            if (history.Count > 0 && (bool)history[^1]!["challengeResult"]!)
            {
                response["issueTokens"] = true;
            }
            else if (history.Count >= 3)
            {
                response["failAuthentication"] = true;
            }
            else
            {
                response["challengeName"] = "CUSTOM_CHALLENGE";
            }
        });
        _receiver.Answer("create", e =>
        {
            e["response"]!["publicChallengeParameters"] = new JsonObject { ["question"] = "6 x 7?" };
            e["response"]!["privateChallengeParameters"] = new JsonObject { ["answer"] = "42" };
            e["response"]!["challengeMetadata"] = "MATH";
        });
        _receiver.Answer("verify", e =>
            e["response"]!["answerCorrect"] = (string?)e["request"]!["challengeAnswer"] == (string?)e["request"]!["privateChallengeParameters"]!["answer"]);
    }

    private static string Arn(string name) => TriggerReceiver.Arn(name);

    /// <summary>LambdaConfig members naming the receiver's functions: ("PreSignUp", "presignup") → "PreSignUp":"arn:…:presignup".</summary>
    private static string Members(params (string Member, string Function)[] members) =>
        string.Join(',', members.Select(m => $"\"{m.Member}\":\"{Arn(m.Function)}\""));

    private async Task<(string Pool, string Client)> PoolAsync(string lambdaConfig, bool autoVerify = false)
    {
        var verified = autoVerify ? ""","AutoVerifiedAttributes":["email"]""" : "";
        var pool = (await SignedAsync("CreateUserPool", $$$"""{"PoolName":"triggers"{{{verified}}},"LambdaConfig":{{{{lambdaConfig}}}}}"""))
            .GetProperty("UserPool").GetProperty("Id").GetString()!;
        var client = (await SignedAsync("CreateUserPoolClient", $$"""
            {"UserPoolId":"{{pool}}","ClientName":"app","ExplicitAuthFlows":["ALLOW_USER_PASSWORD_AUTH","ALLOW_CUSTOM_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]}
            """)).GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!;
        return (pool, client);
    }

    private async Task CreateUserAsync(string pool, string username)
    {
        await SignedAsync("AdminCreateUser", $$"""
            {"UserPoolId":"{{pool}}","Username":"{{username}}","MessageAction":"SUPPRESS","UserAttributes":[{"Name":"email","Value":"{{username}}@example.com"}]}
            """);
        await SignedAsync("AdminSetUserPassword", $$"""{"UserPoolId":"{{pool}}","Username":"{{username}}","Password":"{{Password}}","Permanent":true}""");
    }

    private static string SignUpJson(string client, string username, string email) =>
        $$"""{"ClientId":"{{client}}","Username":"{{username}}","Password":"{{Password}}","UserAttributes":[{"Name":"email","Value":"{{email}}"}]}""";

    private Task<JsonElement> SignUpAsync(string client, string username, string email) => CallAsync("SignUp", SignUpJson(client, username, email));

    private async Task<JsonElement> SignInAsync(string client, string username)
    {
        using var response = await InitiateAsync(client, "USER_PASSWORD_AUTH", ("USERNAME", username), ("PASSWORD", Password));
        return (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("AuthenticationResult");
    }

    private Task<HttpResponseMessage> InitiateAsync(string clientId, string flow, params (string Name, string Value)[] parameters) =>
        UnsignedAsync("InitiateAuth", JsonSerializer.Serialize(new
        {
            ClientId = clientId, AuthFlow = flow, AuthParameters = parameters.ToDictionary(p => p.Name, p => p.Value),
        }));

    private Task<HttpResponseMessage> RespondAsync(string clientId, string session, string username, string answer) =>
        UnsignedAsync("RespondToAuthChallenge", JsonSerializer.Serialize(new
        {
            ClientId = clientId, ChallengeName = "CUSTOM_CHALLENGE", Session = session,
            ChallengeResponses = new Dictionary<string, string> { ["USERNAME"] = username, ["ANSWER"] = answer },
        }));

    private static async Task<(string Session, JsonElement Parameters)> ChallengeAsync(HttpResponseMessage response, string name)
    {
        using (response)
        {
            var body = await AwsErrorAssert.IsSuccessAsync(response);
            Assert.That(body.GetProperty("ChallengeName").GetString(), Is.EqualTo(name), body.ToString());
            return (body.GetProperty("Session").GetString()!, body.GetProperty("ChallengeParameters"));
        }
    }

    private async Task<JsonElement> SignedAsync(string operation, string json)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, json);
        return await AwsErrorAssert.IsSuccessAsync(response);
    }

    private async Task<JsonElement> CallAsync(string operation, string json)
    {
        using var response = await UnsignedAsync(operation, json);
        return await AwsErrorAssert.IsSuccessAsync(response);
    }

    private Task<HttpResponseMessage> UnsignedAsync(string operation, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation);
        return _server.Http.SendAsync(request);
    }

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

    private async Task<JsonElement> LatestMessageAsync(string pool, string username)
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
        return JsonDocument.Parse(body).RootElement.GetProperty("Messages").EnumerateArray().First().Clone();
    }

    private int OutboxCount(string pool) =>
        _server.Services.GetRequiredService<IdentityBroker.Server.Messages.DevOutbox>().Read(pool, null).Count;

    private static JsonElement Claims(string jwt)
    {
        var payload = jwt.Split('.')[1];
        var padded = payload.Replace('-', '+').Replace('_', '/').PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        return JsonDocument.Parse(Convert.FromBase64String(padded)).RootElement.Clone();
    }

    [GeneratedRegex("[0-9]{6}")]
    private static partial Regex Digits();
}
