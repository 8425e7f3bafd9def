using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// What the caller hands the functions (ClientMetadata, ValidationData), the invitation's custom message, and the events
/// of a name the pool does not know, each against the developer guide's trigger parameters.
/// </summary>
public sealed partial class UserPoolTriggersApiTests
{
    [Test]
    public async Task SignUp_hands_ValidationData_and_ClientMetadata_to_PreSignUp_and_ClientMetadata_to_CustomMessage()
    {
        var (_, client) = await PoolAsync(Members(("PreSignUp", "presignup"), ("CustomMessage", "message")), autoVerify: true);
        await CallAsync("SignUp", $$"""
            {"ClientId":"{{client}}","Username":"rita","Password":"{{Password}}","UserAttributes":[{"Name":"email","Value":"rita@example.com"}],
             "ValidationData":[{"Name":"invite","Value":"X-17"}],"ClientMetadata":{"campaign":"spring"} }
            """);

        var pre = _receiver.CallsTo("presignup").Single().Event["request"]!;
        var message = _receiver.CallsTo("message").Single().Event["request"]!;
        Assert.Multiple(() =>
        {
            Assert.That(pre["validationData"]!.ToJsonString(), Is.EqualTo("""{"invite":"X-17"}"""));
            Assert.That(pre["clientMetadata"]!.ToJsonString(), Is.EqualTo("""{"campaign":"spring"}"""));
            Assert.That(message["clientMetadata"]!.ToJsonString(), Is.EqualTo("""{"campaign":"spring"}"""));
        });
    }

    [Test]
    public async Task Without_ClientMetadata_the_events_leave_clientMetadata_out_and_validationData_is_null()
    {
        var (_, client) = await PoolAsync(Members(("PreSignUp", "presignup"), ("CustomMessage", "message")), autoVerify: true);
        await SignUpAsync(client, "sara", "sara@example.com");

        var pre = _receiver.CallsTo("presignup").Single().Event["request"]!.AsObject();
        var message = _receiver.CallsTo("message").Single().Event["request"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(pre.ContainsKey("clientMetadata"), Is.False);
            Assert.That(pre["validationData"], Is.Null);
            Assert.That(message.ContainsKey("clientMetadata"), Is.False);
        });
    }

    [Test]
    public async Task InitiateAuth_ClientMetadata_is_validationData_of_PreAuthentication_and_reaches_no_later_trigger()
    {
        var (pool, client) = await PoolAsync(Members(("PreAuthentication", "preauth"), ("PostAuthentication", "postauth"), ("PreTokenGeneration", "pretoken")));
        await CreateUserAsync(pool, "tess");
        using var response = await UnsignedAsync("InitiateAuth", JsonSerializer.Serialize(new
        {
            ClientId = client, AuthFlow = "USER_PASSWORD_AUTH",
            AuthParameters = new Dictionary<string, string> { ["USERNAME"] = "tess", ["PASSWORD"] = Password },
            ClientMetadata = new Dictionary<string, string> { ["device"] = "kiosk-4" },
        }));
        await AwsErrorAssert.IsSuccessAsync(response);

        var pre = _receiver.CallsTo("preauth").Single().Event["request"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(pre["validationData"]!.ToJsonString(), Is.EqualTo("""{"device":"kiosk-4"}"""));
            Assert.That(pre.ContainsKey("clientMetadata"), Is.False);
            // The API reference of InitiateAuth: post authentication and pre token generation run without it.
            Assert.That(_receiver.CallsTo("postauth").Single().Event["request"]!.AsObject().ContainsKey("clientMetadata"), Is.False);
            Assert.That(_receiver.CallsTo("pretoken").Single().Event["request"]!.AsObject().ContainsKey("clientMetadata"), Is.False);
        });
    }

    [Test]
    public async Task RespondToAuthChallenge_ClientMetadata_reaches_verify_define_create_and_the_token_triggers()
    {
        var (pool, client) = await PoolAsync($$"""
            "DefineAuthChallenge":"{{Arn("define")}}","CreateAuthChallenge":"{{Arn("create")}}","VerifyAuthChallengeResponse":"{{Arn("verify")}}",
            "PostAuthentication":"{{Arn("postauth")}}","PreTokenGeneration":"{{Arn("pretoken")}}"
            """);
        await CreateUserAsync(pool, "uma");
        CustomAuthFunctions();
        var (session, _) = await ChallengeAsync(await InitiateAsync(client, "CUSTOM_AUTH", ("USERNAME", "uma")), "CUSTOM_CHALLENGE");
        using var answered = await UnsignedAsync("RespondToAuthChallenge", JsonSerializer.Serialize(new
        {
            ClientId = client, ChallengeName = "CUSTOM_CHALLENGE", Session = session,
            ChallengeResponses = new Dictionary<string, string> { ["USERNAME"] = "uma", ["ANSWER"] = "42" },
            ClientMetadata = new Dictionary<string, string> { ["step"] = "two" },
        }));
        await AwsErrorAssert.IsSuccessAsync(answered);

        const string expected = """{"step":"two"}""";
        Assert.Multiple(() =>
        {
            Assert.That(_receiver.CallsTo("define")[0].Event["request"]!.AsObject().ContainsKey("clientMetadata"), Is.False, "InitiateAuth passes none");
            Assert.That(_receiver.CallsTo("define")[1].Event["request"]!["clientMetadata"]!.ToJsonString(), Is.EqualTo(expected));
            Assert.That(_receiver.CallsTo("verify").Single().Event["request"]!["clientMetadata"]!.ToJsonString(), Is.EqualTo(expected));
            Assert.That(_receiver.CallsTo("postauth").Single().Event["request"]!["clientMetadata"]!.ToJsonString(), Is.EqualTo(expected));
            Assert.That(_receiver.CallsTo("pretoken").Single().Event["request"]!["clientMetadata"]!.ToJsonString(), Is.EqualTo(expected));
            // Define, create and verify carry the members of the guide's parameters, userNotFound included.
            Assert.That(_receiver.CallsTo("create").Single().Event["request"]!.AsObject().Select(m => m.Key),
                Is.EquivalentTo(new[] { "userAttributes", "userNotFound", "challengeName", "session" }));
        });
    }

    [Test]
    public async Task AdminCreateUser_invitation_runs_CustomMessage_AdminCreateUser_with_the_username_placeholder()
    {
        var (pool, _) = await PoolAsync(Members(("PreSignUp", "presignup"), ("CustomMessage", "message")));
        _receiver.Answer("message", e =>
        {
            e["response"]!["emailSubject"] = "You are invited";
            e["response"]!["emailMessage"] = "Sign in as " + (string?)e["request"]!["usernameParameter"] + " with " + (string?)e["request"]!["codeParameter"];
        });
        await SignedAsync("AdminCreateUser", $$"""
            {"UserPoolId":"{{pool}}","Username":"vera","DesiredDeliveryMediums":["EMAIL"],"TemporaryPassword":"Temp-pass-123",
             "UserAttributes":[{"Name":"email","Value":"vera@example.com"}],
             "ValidationData":[{"Name":"source","Value":"hr"}],"ClientMetadata":{"batch":"7"} }
            """);

        var e = _receiver.CallsTo("message").Single().Event;
        var presignup = _receiver.CallsTo("presignup").Single().Event["request"]!;
        var sent = await LatestMessageAsync(pool, "vera");
        Assert.Multiple(() =>
        {
            Assert.That((string?)e["triggerSource"], Is.EqualTo("CustomMessage_AdminCreateUser"));
            Assert.That((string?)e["request"]!["usernameParameter"], Is.EqualTo("{username}"));
            Assert.That((string?)e["request"]!["codeParameter"], Is.EqualTo("{####}"));
            Assert.That(e["request"]!["clientMetadata"]!.ToJsonString(), Is.EqualTo("""{"batch":"7"}"""));
            Assert.That(presignup["validationData"]!.ToJsonString(), Is.EqualTo("""{"source":"hr"}"""));
            Assert.That(sent.GetProperty("Subject").GetString(), Is.EqualTo("You are invited"));
            Assert.That(sent.GetProperty("Body").GetString(), Is.EqualTo("Sign in as vera with Temp-pass-123"));
        });
    }

    [Test]
    public async Task An_invitation_text_without_the_username_placeholder_keeps_the_pools_own_text()
    {
        var (pool, _) = await PoolAsync(Members(("CustomMessage", "message")));
        _receiver.Answer("message", e => e["response"]!["emailMessage"] = "Your password: " + (string?)e["request"]!["codeParameter"]);
        await SignedAsync("AdminCreateUser", $$"""
            {"UserPoolId":"{{pool}}","Username":"wanda","DesiredDeliveryMediums":["EMAIL"],"UserAttributes":[{"Name":"email","Value":"wanda@example.com"}]}
            """);

        var body = (await LatestMessageAsync(pool, "wanda")).GetProperty("Body").GetString();
        Assert.That(body, Does.Not.StartWith("Your password:"));
        Assert.That(body, Does.Contain("wanda"));
    }

    [Test]
    public async Task CUSTOM_AUTH_for_an_unknown_name_runs_the_functions_with_userNotFound_and_fails_even_on_the_right_answer()
    {
        var (pool, _) = await PoolAsync($$"""
            "DefineAuthChallenge":"{{Arn("define")}}","CreateAuthChallenge":"{{Arn("create")}}","VerifyAuthChallengeResponse":"{{Arn("verify")}}"
            """);
        var hiding = (await SignedAsync("CreateUserPoolClient", $$"""
            {"UserPoolId":"{{pool}}","ClientName":"hiding","ExplicitAuthFlows":["ALLOW_CUSTOM_AUTH"],"PreventUserExistenceErrors":"ENABLED"}
            """)).GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!;
        CustomAuthFunctions();

        var (session, parameters) = await ChallengeAsync(await InitiateAsync(hiding, "CUSTOM_AUTH", ("USERNAME", "ghost")), "CUSTOM_CHALLENGE");
        using var answered = await RespondAsync(hiding, session, "ghost", "42");
        var message = await AwsErrorAssert.IsJsonErrorAsync(answered, "NotAuthorizedException");

        Assert.Multiple(() =>
        {
            Assert.That(parameters.GetProperty("USERNAME").GetString(), Is.EqualTo("ghost"));
            Assert.That(message, Is.EqualTo("Incorrect username or password."));
            var calls = _receiver.Calls.ToArray();
            Assert.That(calls.Select(c => c.Function), Is.EqualTo(new[] { "define", "create", "verify", "define" }));
            foreach (var call in calls)
            {
                Assert.That((bool?)call.Event["request"]!["userNotFound"], Is.True, call.Function);
                Assert.That(call.Event["request"]!["userAttributes"]!.AsObject(), Is.Empty, call.Function);
            }

            Assert.That((bool?)calls[^1].Event["request"]!["session"]![0]!["challengeResult"], Is.True, "the answer was right; the name is unknown");
        });
    }

    [Test]
    public async Task An_unknown_name_runs_PreAuthentication_with_userNotFound_when_the_client_hides_users()
    {
        var (pool, _) = await PoolAsync(Members(("PreAuthentication", "preauth")));
        var hiding = (await SignedAsync("CreateUserPoolClient", $$"""
            {"UserPoolId":"{{pool}}","ClientName":"hiding","ExplicitAuthFlows":["ALLOW_USER_PASSWORD_AUTH"],"PreventUserExistenceErrors":"ENABLED"}
            """)).GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!;

        using (var refused = await InitiateAsync(hiding, "USER_PASSWORD_AUTH", ("USERNAME", "nobody"), ("PASSWORD", Password)))
        {
            await AwsErrorAssert.IsJsonErrorAsync(refused, "NotAuthorizedException");
        }

        var request = _receiver.CallsTo("preauth").Single().Event["request"]!;
        Assert.Multiple(() =>
        {
            Assert.That((bool?)request["userNotFound"], Is.True);
            Assert.That(request["userAttributes"]!.AsObject(), Is.Empty);
        });

        _receiver.Reset();
        _receiver.Fail("preauth", "Unknown names are blocked");
        using var blocked = await InitiateAsync(hiding, "USER_PASSWORD_AUTH", ("USERNAME", "nobody"), ("PASSWORD", Password));
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(blocked, "UserLambdaValidationException"),
            Is.EqualTo("PreAuthentication failed with error Unknown names are blocked."));
    }

    [Test]
    public async Task An_unknown_name_does_not_run_PreAuthentication_when_the_client_names_missing_users()
    {
        var (_, client) = await PoolAsync(Members(("PreAuthentication", "preauth")));
        using var response = await InitiateAsync(client, "USER_PASSWORD_AUTH", ("USERNAME", "nobody"), ("PASSWORD", Password));
        await AwsErrorAssert.IsJsonErrorAsync(response, "UserNotFoundException");
        Assert.That(_receiver.CallsTo("preauth"), Is.Empty);
    }

    [Test]
    public async Task UserMigration_gets_InitiateAuths_ClientMetadata_as_validationData_and_checks_messageAction()
    {
        var (pool, client) = await PoolAsync(Members(("UserMigration", "migrate")));
        _receiver.Answer("migrate", e =>
        {
            e["response"]!["userAttributes"] = new JsonObject { ["email"] = "xena@example.com", ["email_verified"] = "true" };
            e["response"]!["messageAction"] = "SUPPRESS";
            e["response"]!["desiredDeliveryMediums"] = new JsonArray("EMAIL");
        });
        using (var response = await UnsignedAsync("InitiateAuth", JsonSerializer.Serialize(new
        {
            ClientId = client, AuthFlow = "USER_PASSWORD_AUTH",
            AuthParameters = new Dictionary<string, string> { ["USERNAME"] = "xena", ["PASSWORD"] = Password },
            ClientMetadata = new Dictionary<string, string> { ["legacy"] = "ldap" },
        })))
        {
            await AwsErrorAssert.IsSuccessAsync(response);
        }

        var request = _receiver.CallsTo("migrate").Single().Event["request"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(request["validationData"]!.ToJsonString(), Is.EqualTo("""{"legacy":"ldap"}"""));
            Assert.That(request.ContainsKey("clientMetadata"), Is.False);
        });

        _receiver.Answer("migrate", e =>
        {
            e["response"]!["userAttributes"] = new JsonObject { ["email"] = "yuri@example.com" };
            e["response"]!["messageAction"] = "SHOUT";
        });
        using var bad = await InitiateAsync(client, "USER_PASSWORD_AUTH", ("USERNAME", "yuri"), ("PASSWORD", Password));
        await AwsErrorAssert.IsJsonErrorAsync(bad, "InvalidLambdaResponseException");
        using var get = await _server.SignedUserPoolsAsync("AdminGetUser", $$"""{"UserPoolId":"{{pool}}","Username":"yuri"}""");
        await AwsErrorAssert.IsJsonErrorAsync(get, "UserNotFoundException");
    }

    [Test]
    public async Task ForgotPassword_hands_its_ClientMetadata_to_UserMigration_and_PostConfirmation()
    {
        var (pool, client) = await PoolAsync(Members(("UserMigration", "migrate"), ("PostConfirmation", "postconfirm")));
        _receiver.Answer("migrate", e =>
            e["response"]!["userAttributes"] = new JsonObject { ["email"] = "zoe@example.com", ["email_verified"] = "true" });
        await CallAsync("ForgotPassword", $$"""{"ClientId":"{{client}}","Username":"zoe","ClientMetadata":{"flow":"reset"} }""");
        await CallAsync("ConfirmForgotPassword", $$"""
            {"ClientId":"{{client}}","Username":"zoe","ConfirmationCode":"{{await LatestCodeAsync(pool, "zoe")}}","Password":"{{Password}}",
             "ClientMetadata":{"flow":"confirm"} }
            """);

        Assert.Multiple(() =>
        {
            Assert.That(_receiver.CallsTo("migrate").Single().Event["request"]!["clientMetadata"]!.ToJsonString(), Is.EqualTo("""{"flow":"reset"}"""));
            Assert.That(_receiver.CallsTo("postconfirm").Single().Event["request"]!["clientMetadata"]!.ToJsonString(), Is.EqualTo("""{"flow":"confirm"}"""));
        });
    }
}
